import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PeekPro } from '../../../nodes/PeekPro/PeekPro.node';
import { parseNote, upsertBlock } from '../../../nodes/PeekPro/shared/notesBlock';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { API_KEY, asExecute, BASE, CRED, credentials, credentialType, ctxWith, peekBooking } from './helpers';

const node = new PeekPro();

function run(parameters: Record<string, unknown>, opts: { items?: IDataObject[]; continueOnFail?: boolean; creds?: IDataObject } = {}) {
	const ctx = ctxWith({
		parameters,
		items: (opts.items ?? [{}]).map((json) => ({ json })),
		continueOnFail: opts.continueOnFail,
		credentials: opts.creds ? { [CRED]: { ...credentials[CRED], ...opts.creds } } : credentials,
	});
	return { ctx, out: node.execute.call(asExecute(ctx)) };
}

beforeEach(() => {
	nock.disableNetConnect();
	resetRateLimiters();
	let t = 0;
	setTransportClock({ now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 });
});
afterEach(() => {
	nock.cleanAll();
	setTransportClock(undefined);
});

describe('credential', () => {
	it('sends the key in x-api-key and tests with GET /ping on the base URL', async () => {
		expect(credentialType.name).toBe('peekProAiPeekProApi');
		// A function, so no expression (and no isolate) is evaluated per request; keeps what the request had.
		const authenticate = credentialType.authenticate as (c: object, o: object) => Promise<{ headers: object; url: string }>;
		expect(typeof authenticate).toBe('function');
		expect(await authenticate({ apiKey: 'pk_live_123', baseUrl: 'https://x' }, { url: '/bookings/b_1', headers: { accept: 'application/json' } })).toEqual({
			url: '/bookings/b_1',
			headers: { accept: 'application/json', 'x-api-key': 'pk_live_123' },
		});
		expect(credentialType.test.request).toMatchObject({ url: '/ping', method: 'GET' });
		const props = Object.fromEntries(credentialType.properties.map((p) => [p.name, p]));
		expect(props.apiKey.typeOptions?.password).toBe(true);
		expect(props.webhookSecret.typeOptions?.password).toBe(true);
		expect(props.baseUrl.default).toBe('https://n8n.peeklabs.com/n8n/api/v1');
	});
});

describe('bookings', () => {
	it('get returns the canonical booking with Peek\'s object in raw, paired to its item', async () => {
		nock(BASE).get('/bookings/b%2F1').matchHeader('x-api-key', API_KEY).reply(200, peekBooking({ id: 'b/1' }));
		const [[item]] = await run({ resource: 'booking', operation: 'get', bookingId: 'b/1', output: 'canonical' }).out;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ id: 'b/1', source: 'peek_automation_api', customer: { email: 'ada@example.com' }, raw: { id: 'b/1' } });
	});

	it('getMany sends the range, search mode and filters, and honours the limit', async () => {
		const scope = nock(BASE)
			.get('/bookings')
			.query({ start: '2026-07-01T00:00:00Z', end: '2026-07-31T00:00:00Z', searchBy: 'purchaseDate', email: 'ada@example.com' })
			.reply(200, [peekBooking({ id: '1' }), peekBooking({ id: '2' }), peekBooking({ id: '3' })]);
		const [items] = await run({
			resource: 'booking',
			operation: 'getMany',
			start: '2026-07-01T00:00:00Z',
			end: '2026-07-31T00:00:00Z',
			searchBy: 'purchaseDate',
			filters: { email: 'ada@example.com' },
			returnAll: false,
			limit: 2,
			output: 'raw',
		}).out;
		scope.done();
		expect(items.map((i) => i.json.id)).toEqual(['1', '2']);
	});

	it('follows a next cursor when Peek returns one', async () => {
		nock(BASE)
			.get('/bookings')
			.query({ timeslotId: 'ts_1' })
			.reply(200, { data: [peekBooking({ id: '1' })], nextCursor: 'c2' })
			.get('/bookings')
			.query({ timeslotId: 'ts_1', cursor: 'c2' })
			.reply(200, { data: [peekBooking({ id: '2' })] });
		const [items] = await run({ resource: 'booking', operation: 'getForTimeslot', timeslotId: 'ts_1', returnAll: true, output: 'raw' }).out;
		expect(items.map((i) => i.json.id)).toEqual(['1', '2']);
	});

	it('addNote and checkIn send Peek\'s documented bodies', async () => {
		const scope = nock(BASE)
			.post('/bookings/b_1001/notes', { note: 'Late arrival', appendOrOverwrite: 'append' })
			.reply(200, {})
			.post('/bookings/b_1001/checkin', { checkedIn: true })
			.reply(200, {});
		await run({ resource: 'booking', operation: 'addNote', bookingId: 'b_1001', note: 'Late arrival', appendOrOverwrite: 'append', shadowMode: false }).out;
		await run({ resource: 'booking', operation: 'checkIn', bookingId: 'b_1001', checkedIn: true, shadowMode: false }).out;
		scope.done();
	});

	it('writeBack replaces its own block instead of appending copies', async () => {
		const existing = 'Guest asked for a tandem kayak.\n\n[peekpro-ai]\nai.score=0.4\noutlook.eventId=AAA\n[/peekpro-ai]\n[peekpro-ai]\nai.score=0.1\n[/peekpro-ai]';
		let sent: IDataObject | undefined;
		nock(BASE)
			.get('/bookings/b_1001')
			.reply(200, peekBooking({ notes: existing }))
			.post('/bookings/b_1001/notes', (b) => ((sent = b), true))
			.reply(200, {});
		const [[item]] = await run({ resource: 'booking', operation: 'writeBack', bookingId: 'b_1001', values: { ai: { score: 0.82 }, 'attribution.utmCampaign': 'summer' }, replaceBlock: false, shadowMode: false }).out;
		expect(sent?.appendOrOverwrite).toBe('overwrite');
		expect(sent?.note).toBe('Guest asked for a tandem kayak.\n\n[peekpro-ai]\nai.score=0.82\nattribution.utmCampaign=summer\noutlook.eventId=AAA\n[/peekpro-ai]');
		expect(item.json).toMatchObject({ changed: true, values: { 'ai.score': '0.82', 'outlook.eventId': 'AAA' } });
	});

	it('writeBack skips the write when nothing changed', async () => {
		const note = 'Hi\n\n[peekpro-ai]\nai.score=0.82\n[/peekpro-ai]';
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ notes: note }));
		const { ctx, out } = run({ resource: 'booking', operation: 'writeBack', bookingId: 'b_1001', values: '{"ai.score": 0.82}', replaceBlock: false, shadowMode: false });
		const [[item]] = await out;
		expect(item.json.changed).toBe(false);
		expect(ctx.requests.map((r) => r.method)).toEqual(['GET']);
	});

	it('shadow mode (or a shadow item) returns the request instead of sending it', async () => {
		const [[item]] = await run(
			{ resource: 'booking', operation: 'addNote', bookingId: 'b_1001', note: 'x', appendOrOverwrite: 'append', shadowMode: false },
			{ items: [{ shadow: true }] },
		).out;
		expect(item.json).toEqual({ shadow: true, request: { method: 'POST', url: `${BASE}/bookings/b_1001/notes`, body: { note: 'x', appendOrOverwrite: 'append' } } });
	});

	it('customer history summarizes the guest\'s bookings', async () => {
		nock(BASE)
			.get('/bookings')
			.query((q) => q.email === 'ada@example.com' && q.searchBy === 'purchaseDate')
			.reply(200, [
				peekBooking({ id: '1', purchasedAt: '2025-01-01T00:00:00Z', totalPrice: { amount: 100, currency: 'USD' } }),
				peekBooking({ id: '2', purchasedAt: '2026-01-01T00:00:00Z', status: 'cancelled' }),
				peekBooking({ id: '3', purchasedAt: '2026-03-01T00:00:00Z', totalPrice: { amount: 50, currency: 'USD' } }),
			]);
		const [[item]] = await run({ resource: 'booking', operation: 'getHistory', email: 'Ada@Example.com', lookbackDays: 1095, includeBookings: false }).out;
		expect(item.json).toMatchObject({
			email: 'ada@example.com',
			bookingCount: 3,
			cancelledCount: 1,
			totalSpent: { amount: 150, currency: 'USD' },
			firstBookingAt: '2025-01-01T00:00:00Z',
			lastBookingAt: '2026-03-01T00:00:00Z',
			isRepeatCustomer: true,
		});
	});
});

describe('timeslots, errors and assumptions', () => {
	it('setStatus posts the status; getMany sends date and product', async () => {
		const scope = nock(BASE)
			.post('/timeslots/ts_1', { status: 'BLOCKED' })
			.reply(200, { id: 'ts_1', status: 'BLOCKED' })
			.get('/timeslots')
			.query({ date: '2026-07-01', productId: 'p_kayak', filterBookings: 'withBookings' })
			.reply(200, [{ id: 'ts_1' }]);
		await run({ resource: 'timeslot', operation: 'setStatus', timeslotId: 'ts_1', status: 'BLOCKED', shadowMode: false }).out;
		const [items] = await run({ resource: 'timeslot', operation: 'getMany', date: '2026-07-01T00:00:00.000Z', productId: 'p_kayak', filterBookings: 'withBookings', returnAll: true }).out;
		scope.done();
		expect(items).toHaveLength(1);
	});

	it('a vendor error becomes a NodeApiError naming the field, or an item with continueOnFail', async () => {
		nock(BASE).post('/timeslots/ts_1').reply(400, { message: 'invalid status', field: 'status' });
		const failing = run({ resource: 'timeslot', operation: 'setStatus', timeslotId: 'ts_1', status: 'BLOCKED', shadowMode: false }).out;
		await expect(failing).rejects.toBeInstanceOf(NodeApiError);
		nock(BASE).post('/timeslots/ts_1').reply(400, { message: 'invalid status', field: 'status' });
		const [[item]] = await run({ resource: 'timeslot', operation: 'setStatus', timeslotId: 'ts_1', status: 'BLOCKED', shadowMode: false }, { continueOnFail: true }).out;
		expect(item.json).toMatchObject({ field: 'status', httpCode: '400' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('an empty required id fails before any request, naming the parameter', async () => {
		const { ctx, out } = run({ resource: 'booking', operation: 'get', bookingId: ' ', output: 'raw' });
		await expect(out).rejects.toThrow(/Booking ID is empty/);
		expect(ctx.requests).toHaveLength(0);
	});

	it('waitlist calls go to the assumed-endpoints base URL and are marked', async () => {
		nock('https://proxy.test').get('/api/waitlists').query({ productId: 'p_kayak', date: '2026-07-01' }).reply(200, [{ id: 'w1' }]);
		const [[item]] = await run({ resource: 'waitlist', operation: 'getMany', productId: 'p_kayak', date: '2026-07-01T00:00:00Z' }, { creds: { assumedBaseUrl: 'https://proxy.test/api/' } }).out;
		expect(item.json).toEqual({ id: 'w1', assumedEndpoint: true });
	});
});

describe('notes block codec', () => {
	it('keeps operator text, sorts keys, strips markers from values, deletes with null', () => {
		const first = upsertBlock('Hello', { b: 'two\nlines', a: '[/peekpro-ai]x' });
		expect(first.note).toBe('Hello\n\n[peekpro-ai]\na=x\nb=two lines\n[/peekpro-ai]');
		const second = upsertBlock(first.note, { a: null });
		expect(parseNote(second.note)).toEqual({ text: 'Hello', values: { b: 'two lines' }, blocks: 1 });
		expect(upsertBlock(second.note, { b: 'two lines' }).changed).toBe(false);
	});
});
