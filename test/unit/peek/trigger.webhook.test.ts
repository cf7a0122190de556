import { createHmac } from 'crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PeekProTrigger } from '../../../nodes/PeekProTrigger/PeekProTrigger.node';
import { resetDedupeCache, setDedupeClock } from '../../../nodes/PeekProTrigger/dedupe';
import { API_KEY, asWebhook, BASE, ctxWith, delivery, peekBooking, SECRET, useTriggerLifecycle } from './helpers';

const trigger = new PeekProTrigger();
const NOW = Date.parse('2026-07-01T12:00:00Z');
const state = useTriggerLifecycle(NOW);

interface Call {
	body?: unknown;
	raw?: string;
	headers?: Record<string, string>;
	query?: IDataObject;
	params?: Record<string, unknown>;
}

async function deliver({ body, raw, headers = {}, query, params = {} }: Call) {
	const ctx = ctxWith({
		parameters: { events: ['*'], verifyByFetch: true, signature: 'none', sharedSecret: 'none', options: {}, ...params },
		request: { body, rawBody: raw !== undefined ? Buffer.from(raw) : undefined, headers: { 'content-type': 'application/json', ...headers }, query },
		staticData: state.staticData,
		node: { id: 'trigger-1' },
	});
	const result = await trigger.webhook.call(asWebhook(ctx));
	return { ctx, result, items: result.workflowData?.[0] ?? [] };
}

const noVerify = { verifyByFetch: false };

describe('verify-by-fetch (default)', () => {
	it('emits the canonical booking with Peek\'s record overriding the delivered fields', async () => {
		const scope = nock(BASE)
			.get('/bookings/b_1001')
			.matchHeader('x-api-key', API_KEY)
			.reply(200, peekBooking({ totalPrice: { amount: 310, currency: 'USD' }, status: 'confirmed' }));
		const body = delivery('seed_flat');
		(body.data as IDataObject).total_amount = 1; // a forged or stale value
		const { items, ctx } = await deliver({ body });
		scope.done();
		expect(ctx.response.statusCode).toBe(200);
		expect(items).toHaveLength(1);
		const json = items[0].json;
		expect(json).toMatchObject({
			id: 'b_1001',
			event: 'booking.created',
			kind: 'booking',
			total: { amount: 310, currency: 'USD' },
			customer: { email: 'ada@example.com' },
			payloadShape: 'seed_flat',
			verification: { methods: ['fetch'] },
		});
		expect(json.raw).toEqual(body);
		expect((json.verification as IDataObject).unverifiedFields).toEqual(expect.arrayContaining(['extra.custom_fields']));
	});

	it('rejects an unknown booking id with 401 and starts nothing', async () => {
		nock(BASE).get('/bookings/forged_1').reply(404, { message: 'Booking not found' });
		const body = delivery('seed_flat');
		(body.data as IDataObject).booking_id = 'forged_1';
		const { result, ctx } = await deliver({ body });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(ctx.response.statusCode).toBe(401);
		expect(ctx.response.body).toMatchObject({ issues: [{ field: 'data.id' }] });
	});

	it('accepts the delivery on the Verify Later output when Peek is unreachable (Peek does not redeliver)', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(503, { message: 'down' });
		const first = await deliver({ body: delivery('seed_flat') });
		expect(first.ctx.response.statusCode).toBe(200);
		expect(first.items).toHaveLength(0);
		expect(first.result.workflowData?.[1]?.[0].json).toMatchObject({ verifyLater: true, bookingId: 'b_1001', claimedEvent: 'booking.created' });
	});

	it('emits a life-cycle event revealed only by Peek\'s record', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'no_show' }));
		const body = delivery('peek_automation_api');
		body.eventType = 'booking.updated';
		const { items } = await deliver({ body, params: { events: ['booking.no_show'] } });
		expect(items[0].json).toMatchObject({ event: 'booking.no_show', deliveredEvent: 'booking.updated', status: 'no_show' });
	});

	it('rejects a delivery with no booking id when fetch is the only check', async () => {
		const { ctx, result } = await deliver({ body: delivery('seed_waitlist') });
		expect(result.workflowData).toBeUndefined();
		expect(ctx.response.statusCode).toBe(401);
		const accepted = await deliver({ body: delivery('seed_waitlist'), params: { options: { acceptUnverifiable: true } } });
		expect(accepted.items[0].json).toMatchObject({ kind: 'waitlist_entry', activityId: 'p_kayak', verification: { methods: [] } });
	});
});

function sign(raw: string, encoding: 'hex' | 'base64', secret = SECRET, timestamp?: string) {
	const h = createHmac('sha256', secret);
	if (timestamp) h.update(`${timestamp}.`);
	return h.update(raw).digest(encoding);
}

describe('HMAC signature', () => {
	const raw = JSON.stringify(delivery('seed_flat'));
	const hmac = { ...noVerify, signature: 'hmac', signatureHeader: 'x-peek-signature', signatureEncoding: 'auto', timestampHeader: '', replayWindowSeconds: 300 };

	it.each([
		['hex', sign(raw, 'hex')],
		['base64', sign(raw, 'base64')],
		['sha256= prefixed hex', `sha256=${sign(raw, 'hex')}`],
		['sha256= prefixed base64', `sha256=${sign(raw, 'base64')}`],
	])('accepts a valid %s signature', async (_label, signature) => {
		const { items } = await deliver({ raw, headers: { 'x-peek-signature': signature }, params: hmac });
		expect(items).toHaveLength(1);
		expect(items[0].json.verification).toEqual({ method: 'hmac', methods: ['hmac'], bookingFrom: 'delivery', deliveryTrusted: true, verified: true });
	});

	it.each([
		['missing', {}, raw],
		['garbage', { 'x-peek-signature': 'not-a-signature' }, raw],
		['made with the wrong secret', { 'x-peek-signature': sign(raw, 'hex', 'other-secret') }, raw],
		['over a tampered body', { 'x-peek-signature': sign(raw, 'hex') }, raw.replace('245', '1')],
	])('rejects a %s signature with 401', async (_label, headers, sentRaw) => {
		const { ctx, result } = await deliver({ raw: sentRaw, headers: headers as Record<string, string>, params: hmac });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(ctx.response.statusCode).toBe(401);
	});

	it('checks the timestamp and its replay window', async () => {
		const params = { ...hmac, timestampHeader: 'x-peek-timestamp' };
		const fresh = String(NOW / 1000 - 60);
		const ok = await deliver({ raw, headers: { 'x-peek-signature': sign(raw, 'hex', SECRET, fresh), 'x-peek-timestamp': fresh }, params });
		expect(ok.items).toHaveLength(1);
		resetDedupeCache();
		state.staticData = {};
		const stale = String(NOW / 1000 - 3600);
		const old = await deliver({ raw, headers: { 'x-peek-signature': sign(raw, 'hex', SECRET, stale), 'x-peek-timestamp': stale }, params });
		expect(old.ctx.response.statusCode).toBe(401);
		expect(String((old.ctx.response.body as IDataObject).message)).toMatch(/replay window/);
		const moved = await deliver({ raw, headers: { 'x-peek-signature': sign(raw, 'hex', SECRET, stale), 'x-peek-timestamp': fresh }, params });
		expect(moved.ctx.response.statusCode).toBe(401);
		const missing = await deliver({ raw, headers: { 'x-peek-signature': sign(raw, 'hex', SECRET, fresh) }, params });
		expect(missing.ctx.response.statusCode).toBe(401);
	});

	it('checks the signature before anything else (no call to Peek for a bad one)', async () => {
		const { ctx } = await deliver({ raw, headers: { 'x-peek-signature': 'sha256=00' }, params: { ...hmac, verifyByFetch: true } });
		expect(ctx.requests).toHaveLength(0);
		expect(ctx.response.statusCode).toBe(401);
	});
});

describe('shared secret', () => {
	const body = delivery('seed_flat');
	it('accepts the secret in a header and rejects a wrong or missing one', async () => {
		const params = { ...noVerify, sharedSecret: 'header', authHeaderName: 'x-peek-token' };
		expect((await deliver({ body, headers: { 'x-peek-token': SECRET }, params })).items).toHaveLength(1);
		resetDedupeCache();
		state.staticData = {};
		expect((await deliver({ body, headers: { 'x-peek-token': 'wrong' }, params })).ctx.response.statusCode).toBe(401);
		expect((await deliver({ body, params })).ctx.response.statusCode).toBe(401);
	});
	it('accepts the secret as a query token', async () => {
		const params = { ...noVerify, sharedSecret: 'query', authQueryParameterName: 'token' };
		expect((await deliver({ body, query: { token: SECRET }, params })).items).toHaveLength(1);
		expect((await deliver({ body, query: { token: 'nope' }, params })).ctx.response.statusCode).toBe(401);
	});
});

describe('selection, bad input and duplicates', () => {
	it('acknowledges an unselected event with 200 and starts nothing', async () => {
		const { result, ctx } = await deliver({ body: delivery('seed_flat'), params: { ...noVerify, events: ['booking.cancelled'] } });
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toMatchObject({ received: true });
		expect(ctx.response.statusCode).toBe(200);
	});

	it.each([
		['non-JSON', 'this is not json', '(body)'],
		['no event type', JSON.stringify({ data: { booking_id: 'b' } }), 'event'],
		['no booking id', JSON.stringify({ event: 'booking.created', data: { customer_email: 'a@b.c' } }), 'data.booking_id'],
	])('%s → 400 naming the field', async (_l, raw, field) => {
		const { ctx, result } = await deliver({ raw, params: noVerify });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(ctx.response.statusCode).toBe(400);
		expect((ctx.response.body as IDataObject).issues).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
	});

	it('routes bad input to the Invalid output when asked, with the raw body and errors', async () => {
		const { result } = await deliver({ raw: '{"broken":', params: { ...noVerify, options: { routeInvalid: true } } });
		expect(result.workflowData?.[0]).toEqual([]);
		expect(result.workflowData?.[1]?.[0].json).toMatchObject({ valid: false, rawBody: '{"broken":', errors: [{ field: '(body)' }] });
		const good = await deliver({ body: delivery('seed_nested'), params: { ...noVerify, options: { routeInvalid: true } } });
		expect(good.result.workflowData).toHaveLength(2);
		expect(good.result.workflowData?.[1]).toEqual([]);
	});

	it('starts one execution for the same body three times', async () => {
		const scope = nock(BASE).get('/bookings/b_1001').reply(200, peekBooking());
		const body = delivery('seed_flat');
		const runs = [];
		for (let i = 0; i < 3; i++) runs.push(await deliver({ body }));
		scope.done();
		expect(runs.map((r) => r.items.length)).toEqual([1, 0, 0]);
		expect(runs[1].result.webhookResponse).toMatchObject({ duplicate: true });
	});

	it('treats the same delivery id or event id as one, even with different bodies', async () => {
		const a = delivery('seed_nested');
		const b = { ...delivery('seed_nested'), extra: 1 };
		const p = { ...noVerify };
		expect((await deliver({ body: a, headers: { 'x-peek-delivery-id': 'd1' }, params: p })).items).toHaveLength(1);
		expect((await deliver({ body: b, headers: { 'x-peek-delivery-id': 'd1' }, params: p })).items).toHaveLength(0);
		const e1 = delivery('peek_automation_api');
		const e2 = { ...delivery('peek_automation_api'), resent: true };
		expect((await deliver({ body: e1, params: p })).items).toHaveLength(1);
		expect((await deliver({ body: e2, params: p })).items).toHaveLength(0);
	});

	it('catches concurrent repeats and lets the body through again after the window', async () => {
		const body = delivery('seed_nested');
		const results = await Promise.all([1, 2, 3].map(() => deliver({ body, params: noVerify })));
		expect(results.map((r) => r.items.length).sort()).toEqual([0, 0, 1]);
		setDedupeClock(() => NOW + 601_000);
		expect((await deliver({ body, params: noVerify })).items).toHaveLength(1);
	});

	it('remembers recent deliveries in static data (second layer, survives a restart of the cache)', async () => {
		const body = delivery('seed_nested');
		await deliver({ body, params: noVerify });
		expect(Object.keys(state.staticData.recentDeliveries as object).length).toBeGreaterThan(0);
		resetDedupeCache();
		expect((await deliver({ body, params: noVerify })).items).toHaveLength(0);
	});
});
