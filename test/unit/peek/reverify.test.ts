// The Peek Pro node's two halves of "no loss on outage": Booking → Get re-verifies a Verify Later item
// after a wait (event checked against the record, unverified part carried apart), and Booking → Get
// Changed Since reads what a scheduled reconciliation needs, with a revision per booking.
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PeekPro } from '../../../nodes/PeekPro/PeekPro.node';
import { resetDedupeCache } from '../../../nodes/PeekProTrigger/dedupe';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { asExecute, BASE, ctxWith, peekBooking } from './helpers';

const node = new PeekPro();

function run(parameters: Record<string, unknown>, items: IDataObject[] = [{}]) {
	const ctx = ctxWith({ parameters, items: items.map((json) => ({ json })) });
	return node.execute.call(asExecute(ctx));
}

beforeEach(() => {
	nock.disableNetConnect();
	resetRateLimiters();
	resetDedupeCache();
	let t = 0;
	setTransportClock({ now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 });
});
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	setTransportClock(undefined);
	expect(pending).toEqual([]);
});

const laterItem = (claimedEvent: string): IDataObject => ({
	verifyLater: true,
	bookingId: 'b_1001',
	claimedEvent,
	eventInferred: false,
	unverified: { marketing: { utmSource: 'forged' }, raw: { event: claimedEvent } },
});

describe('Booking → Get re-verifies a Verify Later item', () => {
	it('a claim the record bears out becomes a verified booking with the delivery\'s extras still apart', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'confirmed' }));
		const [[item]] = await run({ resource: 'booking', operation: 'get', bookingId: 'b_1001', output: 'canonical', options: { claimedEvent: 'booking.created' } }, [laterItem('booking.created')]);
		expect(item.json).toMatchObject({
			id: 'b_1001',
			event: 'booking.created',
			eventCheck: 'consistent',
			customer: { email: 'ada@example.com' },
			verification: { method: 'fetched', bookingFrom: 'peek', verified: true },
			unverified: { marketing: { utmSource: 'forged' } },
		});
		expect((item.json.marketing as IDataObject).utmSource).toBeUndefined();
	});

	it('a claimed cancellation of a confirmed booking gets no event and eventCheck "contradicted"', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'confirmed' }));
		const [[item]] = await run({ resource: 'booking', operation: 'get', bookingId: 'b_1001', output: 'canonical', options: { claimedEvent: 'booking.canceled' } }, [laterItem('booking.cancelled')]);
		expect(item.json.event).toBeUndefined();
		expect(item.json.eventCheck).toBe('contradicted');
	});

	it('a booking event already handled for the workflow is not handed on a second time', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(200, peekBooking({ status: 'confirmed' }));
		const params = { resource: 'booking', operation: 'get', bookingId: 'b_1001', output: 'canonical', options: { claimedEvent: 'booking.created' } };
		const [[first]] = await run(params, [laterItem('booking.created')]);
		const [[second]] = await run(params, [laterItem('booking.created')]);
		expect(first.json.event).toBe('booking.created');
		expect(second.json.event).toBeUndefined();
		expect(second.json).toMatchObject({ eventCheck: 'alreadyHandled', handledEvent: 'booking.created' });
	});

	it('without the option, Get is unchanged', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking());
		const [[item]] = await run({ resource: 'booking', operation: 'get', bookingId: 'b_1001', output: 'canonical' });
		expect(item.json).not.toHaveProperty('eventCheck');
		expect(item.json).not.toHaveProperty('verification');
	});
});

describe('Booking → Get Changed Since', () => {
	it('reads purchases since the watermark and activities around now, merges by id, and gives each a revision and an event', async () => {
		const since = new Date(Date.now() - 3600_000).toISOString();
		const fresh = peekBooking({ id: 'new_1', purchasedAt: new Date(Date.now() - 600_000).toISOString() });
		const cancelled = peekBooking({ id: 'old_1', status: 'cancelled', purchasedAt: '2026-01-01T00:00:00Z' });
		const unchanged = peekBooking({ id: 'old_2', purchasedAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z' });
		nock(BASE)
			.get('/bookings')
			.query((q) => q.searchBy === 'purchaseDate' && q.start === since)
			.reply(200, [fresh]);
		nock(BASE)
			.get('/bookings')
			.query((q) => q.searchBy === 'activityDate')
			.reply(200, [fresh, cancelled, unchanged]);
		const [items] = await run({ resource: 'booking', operation: 'getChanged', since, changedOptions: {} });
		const byId = Object.fromEntries(items.map((i) => [i.json.id, i.json]));
		expect(Object.keys(byId).sort()).toEqual(['new_1', 'old_1']);
		expect(byId.new_1).toMatchObject({ event: 'booking.created', foundBy: ['purchaseDate', 'activityDate'] });
		expect(byId.old_1).toMatchObject({ event: 'booking.cancelled', foundBy: ['activityDate'] });
		expect(byId.old_1.changeKey).toBe(`old_1:${byId.old_1.revision}`);
		expect(items.map((i) => i.pairedItem)).toEqual(items.map(() => ({ item: 0 })));
	});

	it('the revision changes when the booking changes and only then', async () => {
		const since = new Date(Date.now() - 3600_000).toISOString();
		const read = async (b: IDataObject) => {
			nock(BASE).get('/bookings').query(true).reply(200, [b]);
			const [[item]] = await run({ resource: 'booking', operation: 'getChanged', since, changedOptions: { activityDaysBack: 0, activityDaysAhead: 0 } });
			return item.json.revision;
		};
		const a = await read(peekBooking({ purchasedAt: new Date().toISOString() }));
		const same = await read(peekBooking({ purchasedAt: new Date().toISOString(), notes: 'a note does not matter' }));
		const moved = await read(peekBooking({ purchasedAt: new Date().toISOString(), quantity: 5 }));
		expect(same).toBe(a);
		expect(moved).not.toBe(a);
	});

	it('names the field when the watermark is not a time', async () => {
		await expect(run({ resource: 'booking', operation: 'getChanged', since: 'yesterday-ish', changedOptions: {} })).rejects.toThrow(/Changed Since/);
	});
});
