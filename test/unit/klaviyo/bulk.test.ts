import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BASE, booking, items, runNode, useKlaviyoTestLifecycle } from './harness';

type BulkBody = { data: { attributes: { 'events-bulk-create': { data: Array<{ attributes: { profile: { data: { attributes: IDataObject } }; events: { data: Array<{ attributes: IDataObject }> } } }> } } } };
const events = (b: BulkBody) => b.data.attributes['events-bulk-create'].data.flatMap((e) => e.attributes.events.data);
const createMany = { resource: 'event', operation: 'createMany', metricName: 'Tour Booked' };

useKlaviyoTestLifecycle();

function guests(n: number, offset = 0) {
	return items(...Array.from({ length: n }, (_, i) => ({ email: `g${i + offset}@x.io`, booking_ref: i + offset, ...{} })));
}

describe('Event → Create Many (bulk endpoint)', () => {
	it.each([
		[1, [1]],
		[999, [999]],
		[1000, [1000]],
		[1001, [1000, 1]],
		[2000, [1000, 1000]],
		[2001, [1000, 1000, 1]],
	])('batches %i events as %j per job', async (n, sizes) => {
		const bodies: BulkBody[] = [];
		nock(BASE).post('/api/event-bulk-create-jobs', (b) => (bodies.push(b as BulkBody), true)).times(sizes.length).reply(202);
		const { out } = await runNode(createMany, guests(n));
		expect(bodies.map((b) => events(b).length)).toEqual(sizes);
		expect(out).toHaveLength(n);
		expect(out.every((o, i) => o.json.status === 'accepted' && (o.pairedItem as { item: number }).item === i)).toBe(true);
		const uniqueIds = bodies.flatMap((b) => events(b).map((e) => e.attributes.unique_id));
		expect(new Set(uniqueIds).size).toBe(n);
	});

	it('groups one profile\'s events into one entry and removes repeated unique_ids before sending', async () => {
		let body: BulkBody | undefined;
		nock(BASE).post('/api/event-bulk-create-jobs', (b) => ((body = b as BulkBody), true)).reply(202);
		const input = items(
			booking('B-1', 'ana@example.com'),
			booking('B-1', 'ana@example.com'),
			booking('B-1', 'ana@example.com', { event: 'booking.cancelled' }),
			booking('B-2', 'bo@example.com'),
		);
		const { out } = await runNode(createMany, input);
		const entries = body!.data.attributes['events-bulk-create'].data;
		expect(entries).toHaveLength(2);
		expect(entries[0].attributes.profile.data.attributes.email).toBe('ana@example.com');
		expect(entries[0].attributes.events.data.map((e) => e.attributes.unique_id)).toEqual(['B-1:booking.created', 'B-1:booking.cancelled']);
		expect(out[1].json.skipped).toBe(true);
		expect(out.filter((o) => o.json.status === 'accepted')).toHaveLength(3);
	});

	it('fails every item of a rejected job with the error and its own entry (continue on fail), and keeps the other jobs', async () => {
		nock(BASE)
			.post('/api/event-bulk-create-jobs')
			.reply(202)
			.post('/api/event-bulk-create-jobs')
			.reply(400, { errors: [{ id: 'x', code: 'invalid', title: 'Invalid input.', detail: 'Payload too large', source: { pointer: '/data/attributes/events-bulk-create' } }] });
		const { out } = await runNode(createMany, guests(1002), { continueOnFail: true });
		expect(out.slice(0, 1000).every((o) => o.json.status === 'accepted')).toBe(true);
		expect(out[1000].json).toMatchObject({ field: '/data/attributes/events-bulk-create', httpCode: '400' });
		expect(out[1001].json.field).toBe('/data/attributes/events-bulk-create');
		const ownBody = (out[1001].json.request as { body: BulkBody }).body;
		expect(events(ownBody).map((e) => e.attributes.unique_id)).toEqual([expect.stringMatching(/^h:/)]);
	});

	it('shadow mode: no request; the first item carries the full job, the others their own entry', async () => {
		const { out, ctx } = await runNode({ ...createMany, shadowMode: true }, guests(3));
		expect(ctx.requests).toHaveLength(0);
		expect(events((out[0].json.request as { body: BulkBody }).body)).toHaveLength(3);
		expect(events((out[2].json.request as { body: BulkBody }).body)).toHaveLength(1);
		expect(out[2].json.batch).toMatchObject({ events: 3, fullBodyOnItem: 0 });
	});
});
