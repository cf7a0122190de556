/**
 * Real-world rows in the Klaviyo node's batch operations: phones as guests type them reach Klaviyo
 * in E.164, a phone that cannot be normalized is left out with a warning, and a bad row (invalid
 * email, no identifier, properties that are not an object) is left out of the request with its
 * reason on an error item while every other row is sent — live and in shadow mode alike.
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { BASE, booking, items, runNode, useKlaviyoTestLifecycle } from './harness';

useKlaviyoTestLifecycle();

type ImportBody = { data: { attributes: { profiles: { data: Array<{ attributes: IDataObject }> } } } };
type EventsBody = { data: { attributes: { 'events-bulk-create': { data: Array<{ attributes: { profile: { data: { attributes: IDataObject } }; events: { data: unknown[] } } }> } } } };

const bulkImport = { resource: 'profile', operation: 'bulkImport', waitForCompletion: false, defaultPhoneCountry: 'US' };
const UNFIXABLE = 'call after 5pm';
const BAD_EMAIL = 'guest 17@example'; // a space and no top-level domain

/** How guests type phones; index → the E.164 Klaviyo must receive. */
const TYPED: Array<[string, string | undefined, string]> = [
	['+1 (403) 555-0142', undefined, '+14035550142'],
	['403-555-0199', undefined, '+14035550199'],
	['0044 20 7946 0958', undefined, '+442079460958'],
	['020 7946 0958', 'GB', '+442079460958'],
	['(212) 555-0100', 'United States', '+12125550100'],
	['+49 30 901820', undefined, '+4930901820'],
];

/** 480 customers: phones formatted every which way, row 5 unfixable, row 17 a bad email. */
function segment(n = 480, unfixableOnly = false): INodeExecutionData[] {
	return items(
		...Array.from({ length: n }, (_, i) => {
			const [phone, country] = TYPED[i % TYPED.length];
			const customer: IDataObject = { email: `guest${i}@example.com`, phone, ...(country ? { country } : {}) };
			if (i === 5) {
				customer.phone = UNFIXABLE;
				if (unfixableOnly) delete customer.email;
			}
			if (i === 17) customer.email = BAD_EMAIL;
			return { id: `c${i}`, customer, ai_segment: i % 2 ? 'explorers' : 'families' };
		}),
	);
}

function importedProfiles(bodies: ImportBody[]): IDataObject[] {
	return bodies.flatMap((b) => b.data.attributes.profiles.data.map((p) => p.attributes));
}

describe('Klaviyo batches with real-world rows', () => {
	it('480 profiles, one unfixable phone and one bad email → one import job with 479 profiles, phones in E.164, bad rows reported by row', async () => {
		const bodies: ImportBody[] = [];
		nock(BASE)
			.post('/api/profile-bulk-import-jobs', (b) => (bodies.push(b as ImportBody), true))
			.reply(202, { data: { type: 'profile-bulk-import-job', id: 'JOB1', attributes: { status: 'queued', total_count: 479 } } });
		const { out } = await runNode(bulkImport, segment());

		expect(bodies).toHaveLength(1);
		const profiles = importedProfiles(bodies);
		expect(profiles).toHaveLength(479);
		expect(profiles.map((p) => p.email)).not.toContain(BAD_EMAIL);
		// The named case: typed "+1 (403) 555-0142" arrives as "+14035550142".
		expect(profiles.find((p) => p.email === 'guest0@example.com')?.phone_number).toBe('+14035550142');
		expect(profiles.find((p) => p.email === 'guest3@example.com')?.phone_number).toBe('+442079460958');
		expect(profiles.find((p) => p.email === 'guest4@example.com')?.phone_number).toBe('+12125550100');
		// Every phone that reached Klaviyo is E.164; the unfixable one was left out, the profile kept.
		expect(profiles.filter((p) => p.phone_number !== undefined).every((p) => /^\+[1-9]\d{6,14}$/.test(String(p.phone_number)))).toBe(true);
		const row5 = profiles.find((p) => p.email === 'guest5@example.com');
		expect(row5).toBeDefined();
		expect(row5).not.toHaveProperty('phone_number');

		expect(out).toHaveLength(480);
		expect(out.map((o) => (o.pairedItem as { item: number }).item)).toEqual(Array.from({ length: 480 }, (_, i) => i));
		expect(out[5].json.jobId).toBe('JOB1');
		expect(out[5].json.warnings).toEqual([{ field: 'phone_number', reason: expect.stringMatching(/^The phone number was left out: it /) }]);
		expect(out[17].json).toMatchObject({ error: 'The email is not a valid address', field: 'email' });
		expect(out[17].json.jobId).toBeUndefined();
		expect((out[17].json.audit as IDataObject).result).toBe('failed');
		expect(out.filter((o) => o.json.error !== undefined).map((o) => (o.pairedItem as { item: number }).item)).toEqual([17]);
		// No raw phone or bad email in what the node reports about the bad rows.
		expect(JSON.stringify([out[5].json.warnings, out[17].json.error, out[17].json.description])).not.toMatch(/call after|guest 17/);
	});

	it('a row whose only identifier is an unfixable phone is left out too: 478 profiles', async () => {
		const bodies: ImportBody[] = [];
		nock(BASE).post('/api/profile-bulk-import-jobs', (b) => (bodies.push(b as ImportBody), true)).reply(202, { data: { type: 'profile-bulk-import-job', id: 'JOB2', attributes: { status: 'queued' } } });
		const { out } = await runNode(bulkImport, segment(480, true));
		expect(importedProfiles(bodies)).toHaveLength(478);
		expect(out[5].json).toMatchObject({ error: 'The item has no usable profile identifier', field: 'phoneNumber' });
		expect(String(out[5].json.description)).toMatch(/phone number was left out/);
		expect(out[17].json.field).toBe('email');
		expect(out.filter((o) => o.json.jobId === 'JOB2')).toHaveLength(478);
	});

	it('shadow mode behaves the same: nothing sent, the would-be job holds the 479 good profiles, bad rows reported', async () => {
		const { out, ctx } = await runNode({ ...bulkImport, shadowMode: true }, segment());
		expect(ctx.requests).toHaveLength(0);
		const job = (out[0].json.request as IDataObject).body as ImportBody;
		expect(job.data.attributes.profiles.data).toHaveLength(479);
		expect(job.data.attributes.profiles.data[0].attributes.phone_number).toBe('+14035550142');
		expect(out[5].json).toMatchObject({ shadow: true, warnings: [{ field: 'phone_number' }] });
		expect(out[17].json).toMatchObject({ error: 'The email is not a valid address' });
		expect(out.filter((o) => o.json.shadow === true)).toHaveLength(479);
	});

	it('Create Many: a bad email, a missing identifier and properties given as a list are left out; the rest go in one job', async () => {
		const bodies: EventsBody[] = [];
		nock(BASE).post('/api/event-bulk-create-jobs', (b) => (bodies.push(b as EventsBody), true)).reply(202);
		const rows = Array.from({ length: 50 }, (_, i) => booking(`B-${i}`, `g${i}@x.io`));
		rows[3] = booking('B-3', 'not-an-email');
		rows[7] = { id: 'B-7', customer: {} };
		rows[9] = booking('B-9', 'g9@x.io', { customer: { email: 'g9@x.io', phone: UNFIXABLE } });
		const { out } = await runNode(
			{ resource: 'event', operation: 'createMany', metricName: 'Tour Booked', eventProperties: (i: number) => (i === 11 ? '[1,2]' : '{}') },
			items(...rows),
		);
		const entries = bodies[0].data.attributes['events-bulk-create'].data;
		expect(bodies).toHaveLength(1);
		expect(entries).toHaveLength(47);
		expect(out[3].json.field).toBe('email');
		expect(out[7].json.field).toBe('email');
		expect(out[11].json.field).toBe('eventProperties');
		expect(out[9].json).toMatchObject({ status: 'accepted', warnings: [{ field: 'phone_number' }] });
		expect(out.filter((o) => o.json.status === 'accepted')).toHaveLength(47);
	});

	it('Create Many in shadow mode leaves out the same rows and sends nothing', async () => {
		const rows = Array.from({ length: 5 }, (_, i) => booking(`B-${i}`, i === 2 ? 'bad@' : `g${i}@x.io`));
		const { out, ctx } = await runNode({ resource: 'event', operation: 'createMany', metricName: 'Tour Booked', shadowMode: true }, items(...rows));
		expect(ctx.requests).toHaveLength(0);
		expect(((out[0].json.request as IDataObject).body as EventsBody).data.attributes['events-bulk-create'].data).toHaveLength(4);
		expect(out[2].json.field).toBe('email');
	});

	it('list add: a row without an email and one with a bad email are reported; the others are added in one call', async () => {
		let added: unknown;
		nock(BASE)
			.get('/api/profiles')
			.query(true)
			.reply(200, { data: [{ type: 'profile', id: 'P1', attributes: { email: 'a@x.io' } }, { type: 'profile', id: 'P2', attributes: { email: 'b@x.io' } }] })
			.post('/api/lists/Y6nRLr/relationships/profiles', (b) => ((added = b), true))
			.reply(204);
		const { out } = await runNode(
			{ resource: 'list', operation: 'addProfiles', listId: 'Y6nRLr', identifyBy: 'email' },
			items({ email: 'a@x.io' }, { name: 'no email' }, { email: 'b@x.io' }, { email: 'b@@x.io' }),
		);
		expect(added).toEqual({ data: [{ type: 'profile', id: 'P1' }, { type: 'profile', id: 'P2' }] });
		expect(out.map((o) => o.json.added ?? o.json.field)).toEqual([true, 'email', true, 'email']);
	});

	it('list remove: a bad row does not stop the removal of the others', async () => {
		let removed: unknown;
		nock(BASE)
			.get('/api/profiles')
			.query(true)
			.reply(200, { data: [{ type: 'profile', id: 'P1', attributes: { email: 'a@x.io' } }] })
			.delete('/api/lists/Y6nRLr/relationships/profiles', (b) => ((removed = b), true))
			.reply(204);
		const { out } = await runNode({ resource: 'list', operation: 'removeProfiles', listId: 'Y6nRLr', identifyBy: 'email' }, items({ email: 'a@x.io' }, { customer: ['not', 'an', 'object'] }));
		expect(removed).toEqual({ data: [{ type: 'profile', id: 'P1' }] });
		expect(out[0].json.removed).toBe(true);
		expect(out[1].json).toMatchObject({ error: 'The item has no email', field: 'email' });
	});

	it('Create (one event per item, as pre-trip sends): 20 bookings, one unfixable phone and one without identifier → 19 events sent', async () => {
		const bodies: IDataObject[] = [];
		nock(BASE).post('/api/events', (b) => (bodies.push(b as IDataObject), true)).times(19).reply(202);
		const rows = Array.from({ length: 20 }, (_, i) => booking(`P-${i}`, `p${i}@x.io`, { customer: { email: `p${i}@x.io`, phone: i === 4 ? UNFIXABLE : '403-555-0142', country: 'CA' } }));
		rows[12] = { id: 'P-12', customer: { phone: UNFIXABLE } };
		const { out } = await runNode({ resource: 'event', operation: 'create', metricName: 'Pre-Trip Forecast' }, items(...rows));
		expect(bodies).toHaveLength(19);
		expect(out.filter((o) => o.json.status === 'accepted')).toHaveLength(19);
		expect(out[4].json).toMatchObject({ status: 'accepted', warnings: [{ field: 'phone_number' }] });
		expect(out[12].json).toMatchObject({ error: 'The item has no usable profile identifier', field: 'phoneNumber' });
		const phones = bodies.map((b) => ((b.data as IDataObject).attributes as { profile: { data: { attributes: IDataObject } } }).profile.data.attributes.phone_number);
		expect(phones.filter((p) => p === '+14035550142')).toHaveLength(18);
	});

	it('when every row is bad the node stops with the first reason (a setting to fix, not one bad row)', async () => {
		await expect(runNode(bulkImport, items({ customer: { email: 'x' } }, { customer: {} }))).rejects.toMatchObject({ context: expect.objectContaining({ field: 'email' }) });
	});
});
