import nock from 'nock';
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { bucketSpec } from '../../../nodes/Klaviyo/transport';
import { API_KEY, BASE, booking, clock, items, runNode, useKlaviyoTestLifecycle } from './harness';

const create = (extra: Record<string, unknown> = {}) => ({ resource: 'event', operation: 'create', metricName: 'Tour Booked', ...extra });

useKlaviyoTestLifecycle();

describe('Event → Create', () => {
	it('sends the exact Create Event request and outputs the accepted event with an audit record', async () => {
		let sent: IDataObject | undefined;
		nock(BASE)
			.post('/api/events', (b) => ((sent = b), true))
			.matchHeader('authorization', `Klaviyo-API-Key ${API_KEY}`)
			.matchHeader('revision', '2026-07-15')
			.matchHeader('content-type', 'application/vnd.api+json')
			.matchHeader('accept', 'application/vnd.api+json')
			.reply(202);
		const { out } = await runNode(create({ eventProperties: '{"tour_name":"Alps"}' }), items({ ...booking('B-1', 'ana@example.com'), ai_score: 0.91, ai: { segment: 'family' } }));

		expect(sent).toEqual({
			data: {
				type: 'event',
				attributes: {
					properties: {
						booking_id: 'B-1',
						booking_status: 'confirmed',
						booking_event: 'booking.created',
						activity_id: 'act-1',
						activity_name: 'Alps day trip',
						activity_type: 'hiking',
						starts_at: '2026-07-01T09:00:00+02:00',
						party_size: 2,
						total_amount: 240,
						currency: 'EUR',
						ai_segment: 'family',
						ai_score: 0.91,
						tour_name: 'Alps',
					},
					value: 240,
					value_currency: 'EUR',
					unique_id: 'B-1:booking.created',
					metric: { data: { type: 'metric', attributes: { name: 'Tour Booked' } } },
					profile: { data: { type: 'profile', attributes: { email: 'ana@example.com', external_id: 'c-B-1', first_name: 'Ana', last_name: 'Lopez' } } },
				},
			},
		});
		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[0].json).toMatchObject({ status: 'accepted', httpStatus: 202, uniqueId: 'B-1:booking.created', metric: 'Tour Booked' });
		const audit = out[0].json.audit as IDataObject;
		expect(audit).toMatchObject({ decision: 'klaviyo.event.create', result: 'sent', shadow: false, input: expect.objectContaining({ bookingId: 'B-1' }) });
		expect(JSON.stringify(audit)).not.toContain('ana@example.com');
		expect(JSON.stringify(out[0].json)).not.toContain(API_KEY);
	});

	it('uses an overridden unique_id and sends a repeated one only once', async () => {
		const bodies: IDataObject[] = [];
		nock(BASE).post('/api/events', (b) => (bodies.push(b), true)).reply(202);
		const { out } = await runNode(create({ additionalFields: { uniqueId: 'fixed-1' } }), items({ email: 'a@x.io', n: 1 }, { email: 'A@x.io', n: 2 }));
		expect(bodies).toHaveLength(1);
		expect((bodies[0].data as { attributes: { unique_id: string } }).attributes.unique_id).toBe('fixed-1');
		expect(out[1].json).toMatchObject({ skipped: true });
		expect(String(out[1].json.reason)).toContain('item 0');
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('sends a replayed booking webhook (same booking and event) once', async () => {
		nock(BASE).post('/api/events').once().reply(202);
		const { out, ctx } = await runNode(create(), items(booking('B-1', 'a@x.io'), booking('B-1', 'a@x.io')));
		expect(ctx.requests).toHaveLength(1);
		expect(out[1].json.skipped).toBe(true);
	});

	it('derives a stable hash unique_id when the item has no booking id', async () => {
		const ids: string[] = [];
		nock(BASE).post('/api/events', (b) => (ids.push((b as { data: { attributes: { unique_id: string } } }).data.attributes.unique_id), true)).times(2).reply(202);
		await runNode(create(), items({ email: 'x@y.io', score: 1 }));
		await runNode(create(), items({ email: 'x@y.io', score: 1 }));
		expect(ids[0]).toMatch(/^h:[0-9a-f]{32}$/);
		expect(ids[1]).toBe(ids[0]);
	});

	it('honours Retry-After on 429, then delivers', async () => {
		nock(BASE).post('/api/events').reply(429, { errors: [{ id: '1', code: 'throttled', title: 'Throttled', detail: 'Request was throttled.' }] }, { 'Retry-After': '2' }).post('/api/events').reply(202);
		const { out } = await runNode(create(), items(booking('B-1', 'a@x.io')));
		expect(out[0].json).toMatchObject({ status: 'accepted', attempts: 2 });
		expect(clock.slept.some((ms) => ms >= 2000 && ms < 2200)).toBe(true);
	});

	it('backs off on 429 without Retry-After, then delivers', async () => {
		nock(BASE).post('/api/events').reply(429, '').post('/api/events').reply(202);
		const { out } = await runNode(create(), items(booking('B-1', 'a@x.io')));
		expect(out[0].json).toMatchObject({ status: 'accepted', attempts: 2 });
		expect(clock.slept.length).toBeGreaterThan(0);
	});

	it('retries a 500 (unique_id makes it safe) and a socket timeout', async () => {
		nock(BASE).post('/api/events').reply(500, { errors: [{ id: '1', code: 'error', title: 'Server error', detail: 'boom' }] }).post('/api/events').replyWithError({ code: 'ETIMEDOUT', message: 'socket timeout' }).post('/api/events').reply(202);
		const { out } = await runNode(create(), items(booking('B-1', 'a@x.io')));
		expect(out[0].json).toMatchObject({ status: 'accepted', attempts: 3 });
	});

	it('turns a JSON:API error into a NodeApiError naming Klaviyo\'s detail and the field', async () => {
		nock(BASE)
			.post('/api/events')
			.reply(400, { errors: [{ id: 'e1', code: 'invalid', title: 'Invalid input.', detail: 'Invalid phone number format', source: { pointer: '/data/attributes/profile/data/attributes/phone_number' } }] });
		const error = await runNode(create(), items(booking('B-1', 'a@x.io'))).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toContain('Invalid phone number format');
		expect((error as NodeApiError).message).toContain('/data/attributes/profile/data/attributes/phone_number');
		expect((error as NodeApiError).context.itemIndex).toBe(0);
	});

	it('with continue-on-fail, each failed item carries its error and the request; no item is dropped', async () => {
		nock(BASE)
			.post('/api/events', (b) => (b as { data: { attributes: { unique_id: string } } }).data.attributes.unique_id === 'B-2:booking.created')
			.reply(400, { errors: [{ id: 'e1', code: 'invalid', title: 'Invalid input.', detail: 'Bad value', source: { pointer: '/data/attributes/value' } }] })
			.post('/api/events')
			.times(2)
			.reply(202);
		const { out } = await runNode(create(), items(booking('B-1', 'a@x.io'), booking('B-2', 'b@x.io'), booking('B-3', 'c@x.io'), { nothing: true }), { continueOnFail: true });
		expect(out).toHaveLength(4);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(out[0].json.status).toBe('accepted');
		expect(out[2].json.status).toBe('accepted');
		expect(out[1].json).toMatchObject({ field: '/data/attributes/value', httpCode: '400' });
		expect(String(out[1].json.error)).toContain('Bad value');
		expect((out[1].json.request as IDataObject).url).toBe(`${BASE}/api/events`);
		expect(((out[1].json.request as IDataObject).headers as IDataObject).authorization).toBeUndefined();
		expect(out[3].json).toMatchObject({ field: 'email', error: 'The item has no profile identifier' });
		expect((out[1].json.audit as IDataObject).result).toBe('failed');
	});

	it('reports a malformed (non-JSON) error body with the status', async () => {
		nock(BASE).post('/api/events').reply(400, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });
		const { out } = await runNode(create(), items(booking('B-1', 'a@x.io')), { continueOnFail: true });
		expect(out[0].json.httpCode).toBe('400');
		expect(String(out[0].json.error)).toContain('Klaviyo rejected the request');
	});

	it('fails after retries on a persistent 503 and does not lose the item', async () => {
		nock(BASE).post('/api/events').times(5).reply(503, { errors: [{ id: '1', code: 'unavailable', title: 'Unavailable', detail: 'try later' }] });
		const { out } = await runNode(create(), items(booking('B-1', 'a@x.io')), { continueOnFail: true });
		expect(out[0].json).toMatchObject({ httpCode: '503' });
		expect(String(out[0].json.description)).toContain('after 5 attempts');
	});

	it('validates before sending: no identifier, bad email, bad metric are errors naming the field', async () => {
		await expect(runNode(create(), items({ id: 'x' }))).rejects.toMatchObject({ context: expect.objectContaining({ field: 'email' }) });
		await expect(runNode(create(), items(booking('B-1', 'a@x')))).rejects.toBeInstanceOf(NodeOperationError);
		await expect(runNode(create({ metricName: '' }), items(booking('B-1', 'a@x.io')))).rejects.toMatchObject({ context: expect.objectContaining({ field: 'metricName' }) });
		await expect(runNode(create({ eventProperties: '{oops' }), items(booking('B-1', 'a@x.io')))).rejects.toMatchObject({ context: expect.objectContaining({ field: 'eventProperties' }) });
	});

	it('a phone that cannot be normalized is left out with a warning; the event is still sent', async () => {
		nock(BASE).post('/api/events').reply(202);
		const { out, ctx } = await runNode(create({ phoneNumber: '555-1234' }), items(booking('B-1', 'a@x.io')));
		const profile = (ctx.requests[0].body as { data: { attributes: { profile: { data: { attributes: IDataObject } } } } }).data.attributes.profile.data.attributes;
		expect(profile.email).toBe('a@x.io');
		expect(profile).not.toHaveProperty('phone_number');
		expect(out[0].json.status).toBe('accepted');
		expect(out[0].json.warnings).toEqual([{ field: 'phone_number', reason: expect.stringMatching(/left out/) }]);
		expect(JSON.stringify(out[0].json.warnings)).not.toContain('555');
	});

	it('a phone typed as guests type it reaches Klaviyo in E.164, using the booking\'s country', async () => {
		nock(BASE).post('/api/events').times(2).reply(202);
		const { ctx } = await runNode(create(), items(booking('B-1', 'a@x.io', { customer: { email: 'a@x.io', phone: '+1 (403) 555-0142' } }), booking('B-2', 'b@x.io', { customer: { email: 'b@x.io', phone: '020 7946 0958', country: 'GB' } })));
		const phones = ctx.requests.map((r) => (r.body as { data: { attributes: { profile: { data: { attributes: IDataObject } } } } }).data.attributes.profile.data.attributes.phone_number);
		expect(phones.sort()).toEqual(['+14035550142', '+442079460958']);
	});

	it('shadow mode sends nothing and outputs exactly the request a live run sends', async () => {
		const input = items(booking('B-1', 'a@x.io'), { ...booking('B-2', 'b@x.io'), shadow: true });
		const { out } = await runNode(create({ shadowMode: true }), input);
		nock(BASE).post('/api/events').times(2).reply(202);
		const live = await runNode(create(), items(booking('B-1', 'a@x.io'), booking('B-2', 'b@x.io')));
		expect(out.map((o) => o.json.shadow)).toEqual([true, true]);
		const shadowRequest = out[0].json.request as IDataObject;
		const liveRequest = live.ctx.requests[0];
		expect(shadowRequest.body).toEqual(liveRequest.body);
		expect(shadowRequest.url).toBe(liveRequest.url);
		const { authorization, ...liveHeaders } = liveRequest.headers;
		expect(authorization).toBeDefined();
		expect(shadowRequest.headers).toEqual(liveHeaders);
		expect((out[0].json.audit as IDataObject).result).toBe('shadow');
	});

	it('an item marked shadow by an upstream node is not sent even when the node is live', async () => {
		nock(BASE).post('/api/events').once().reply(202);
		const { out, ctx } = await runNode(create(), items(booking('B-1', 'a@x.io'), { ...booking('B-2', 'b@x.io'), shadow: true }));
		expect(ctx.requests).toHaveLength(1);
		expect(out[0].json.status).toBe('accepted');
		expect(out[1].json.shadow).toBe(true);
	});

	it('runs items concurrently but paces them with the shared events bucket', async () => {
		const n = 200;
		nock(BASE).post('/api/events').times(n).reply(202);
		const start = clock.now;
		const { out } = await runNode(create(), items(...Array.from({ length: n }, (_, i) => booking(`B-${i}`, `g${i}@x.io`))));
		expect(out.every((o) => o.json.status === 'accepted')).toBe(true);
		const { burst, perSecond } = bucketSpec('events');
		// Beyond the burst, the bucket lets perSecond through each second.
		const expectedMs = ((n - burst) / perSecond) * 1000;
		expect(clock.now - start).toBeGreaterThanOrEqual(expectedMs - 50);
		expect(clock.now - start).toBeLessThan(expectedMs + 1000);
	});
});
