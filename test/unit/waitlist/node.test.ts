import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { WaitlistFiller } from '../../../nodes/WaitlistFiller/WaitlistFiller.node';
import { createFakeContext, type FakeContextOptions } from '../../helpers/n8nContext';

type Outputs = { promote: INodeExecutionData[]; approval: INodeExecutionData[]; none: INodeExecutionData[] };

async function run(parameters: FakeContextOptions['parameters'], items: IDataObject[], extra: Partial<FakeContextOptions> = {}): Promise<Outputs> {
	const ctx = createFakeContext({
		parameters: { resource: 'waitlist', operation: 'planOffers', inputShape: 'entryItems', slotKey: (i: number) => String(items[i].timeslotId ?? ''), options: { asOf: '2026-07-01T09:00:00Z' }, ...parameters },
		items: items.map((json) => ({ json })),
		...extra,
	});
	const [promote, approval, none] = await new WaitlistFiller().execute.call(ctx as unknown as IExecuteFunctions);
	return { promote, approval, none };
}

/** A Data Table's waitlist rows for one slot, as text the way Data Tables keep them. */
const rows: IDataObject[] = [
	{ id: 'w1', timeslotId: 'ts_9am', partySize: '2 adults', createdAt: '2026-06-20T10:00:00Z', email: 'ana@example.com', acceptanceProbability: '0.9' },
	{ id: 'w2', timeslotId: 'ts_9am', partySize: 'two', createdAt: '2026-06-21T10:00:00Z', email: 'ben@example.com', acceptanceProbability: 0.4 },
	{ id: 'w3', timeslotId: 'ts_9am', partySize: 3, createdAt: '2026-06-19T10:00:00Z', phone: '+1 555 010 0300', acceptanceProbability: 0.8 },
	{ id: 'w4', timeslotId: 'ts_9am', partySize: 1, createdAt: '2026-06-18T10:00:00Z' },
	{ id: 'w5', timeslotId: 'ts_9am', partySize: 'a family', createdAt: '2026-06-18T11:00:00Z', email: 'cy@example.com' },
];

const ids = (list: INodeExecutionData[]) => list.map((o) => o.json.entryId);

describe('Waitlist Filler node: Plan offers', () => {
	it('autonomous, FIFO: the longest-waiting entries that fit get "Promote now", each with an offer, reasons and an audit record', async () => {
		const out = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: '4', maxPromotions: 3 }, rows);
		// waiting order: w4 (no contact), w5 (bad size), w3 (3 seats), w1 (2: does not fit the 1 left), w2 (2)
		expect(ids(out.promote)).toEqual(['w3']);
		const offer = out.promote[0].json;
		expect(offer).toMatchObject({ slotKey: 'ts_9am', partySize: 3, offer: { seats: 3, windowMinutes: 30, expiresAt: '2026-07-01T09:30:00.000Z', rank: 1 } });
		expect((offer.entry as IDataObject).phone).toBe('+1 555 010 0300');
		expect(out.promote[0].pairedItem).toEqual({ item: 2 });
		const audit = offer.audit as IDataObject;
		expect(audit).toMatchObject({ result: 'decided', shadow: false, decidedBy: { kind: 'rule', id: 'waitlist-filler/planOffers', version: '1' } });
		expect(JSON.stringify(audit)).not.toContain('555 010');
		expect((offer.waitlist as IDataObject).reasons).toEqual(expect.arrayContaining([expect.stringContaining('Place 1 in waiting order')]));
		expect(offer.round).toMatchObject({ slotKey: 'ts_9am', freedSeats: 4, offered: ['w3'], offeredSeats: { w3: 3 } });
		expect(out.approval).toEqual([]);
	});

	it('score-ranked: the pair of 2s (expected 1.8 + 0.8 seats) beats the party of 3 (2.4) for 4 seats', async () => {
		const out = await run({ mode: 'autonomous', ranking: 'score', freedSeats: 4, approvalRules: { confidenceThreshold: 0.3 } }, rows);
		expect(ids(out.promote).sort()).toEqual(['w1', 'w2']);
		expect((out.promote[0].json.waitlist as IDataObject).slot).toMatchObject({ expectedFilledSeats: 2.6, policy: 'score' });
	});

	it('every real-world problem lands on "No action" with its reason, paired to its own item', async () => {
		const out = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: 4 }, [...rows, { ...rows[0] }, { id: 'w6', timeslotId: 'ts_9am', partySize: 2, email: 'dee@example.com', alreadyBooked: true, createdAt: '2026-06-22T10:00:00Z' }]);
		const byId = Object.fromEntries(out.none.map((o) => [o.json.entryId, [(o.json.waitlist as IDataObject).code, o.pairedItem]]));
		expect(byId).toEqual({
			w4: ['no_contact', { item: 3 }],
			w5: ['invalid_entry', { item: 4 }],
			w1: ['duplicate_entry', { item: 5 }],
			w6: ['already_booked', { item: 6 }],
		});
		expect(out.none.find((o) => o.json.entryId === 'w5')?.json.waitlist).toMatchObject({ reason: 'Entry w5: party size "a family" is not a number of guests' });
	});

	it('assisted: every offer goes to "Needs approval", audited as pending approval', async () => {
		const out = await run({ mode: 'assisted', ranking: 'fifo', freedSeats: 4 }, rows);
		expect(out.promote).toEqual([]);
		expect(ids(out.approval)).toEqual(['w3']);
		expect((out.approval[0].json.audit as IDataObject).result).toBe('pending_approval');
		expect((out.approval[0].json.waitlist as IDataObject).reasons).toContain('Assisted mode: every promotion needs approval.');
	});

	it('autonomous holds an offer for approval on low confidence, a large party, a high value or a blackout date', async () => {
		const slot = (id: string, extra: IDataObject) => ({ id, timeslotId: 'ts_x', partySize: 1, createdAt: '2026-06-20T10:00:00Z', email: `${id}@example.com`, ...extra });
		const out = await run(
			{ mode: 'autonomous', ranking: 'score', freedSeats: 12, maxPromotions: 5, approvalRules: { confidenceThreshold: 0.6, maxPartySize: 4, maxBookingValue: 500, blackout: '' } },
			[slot('sure', { acceptanceProbability: 0.9 }), slot('unsure', { acceptanceProbability: 0.5 }), slot('big', { partySize: 6, acceptanceProbability: 0.9 }), slot('rich', { acceptanceProbability: 0.9, bookingValue: '900' })],
		);
		expect(ids(out.promote)).toEqual(['sure']);
		const why = Object.fromEntries(out.approval.map((o) => [o.json.entryId, ((o.json.waitlist as IDataObject).reasons as string[]).slice(-1)[0]]));
		expect(why).toEqual({
			unsure: 'Confidence 0.5 is below the threshold 0.6.',
			big: 'Party of 6 is above the limit of 4 for automatic promotion.',
			rich: 'Booking value 900 is above the limit of 500 for automatic promotion.',
		});
		const blackout = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: 2, approvalRules: { blackout: 'ts_x, 2026-12-25' } }, [slot('sure', {})]);
		expect(blackout.promote).toEqual([]);
		expect(((blackout.approval[0].json.waitlist as IDataObject).reasons as string[]).slice(-1)[0]).toBe('The slot is in the blackout list (ts_x).');
	});

	it('shadow (the default): decides as autonomous would and marks every item shadow', async () => {
		const out = await run({ freedSeats: 4 }, rows);
		expect(ids(out.promote)).toEqual(['w3']);
		expect(out.promote[0].json.shadow).toBe(true);
		expect((out.promote[0].json.audit as IDataObject).result).toBe('shadow');
		expect(out.none.every((o) => o.json.shadow === true)).toBe(true);
	});

	it('a slot whose capacity is unknown offers nothing and says so once for the slot, paired to all its items', async () => {
		const out = await run({ mode: 'autonomous', freedSeats: '' }, rows.slice(0, 3));
		expect(out.promote).toEqual([]);
		expect(out.none).toHaveLength(1);
		expect(out.none[0].json.waitlist).toMatchObject({ code: 'capacity_unknown' });
		expect(out.none[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('a duplicate cancellation event, with the round passed back in, offers nothing new', async () => {
		const first = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: 4, eventId: 'evt_1' }, rows);
		const round = first.promote[0].json.round as IDataObject;
		expect(round.events).toEqual(['evt_1']);
		const again = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: 4, eventId: 'evt_1' }, rows.map((r) => ({ ...r, round })));
		expect(again.promote).toEqual([]);
		expect(again.approval).toEqual([]);
		expect(again.none.find((o) => o.json.entryId === 'w3')?.json.waitlist).toMatchObject({ code: 'already_offered' });
		// A second, different cancellation in the same slot adds its seats: 4 + 2 freed, 3 held → w1 (2 seats) fits.
		const second = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: 2, eventId: 'evt_2' }, rows.map((r) => ({ ...r, round })));
		expect(ids(second.promote)).toEqual(['w1']);
		expect(second.promote[0].json.round).toMatchObject({ freedSeats: 6, offered: ['w3', 'w1'], events: ['evt_1', 'evt_2'] });
	});

	it('one item per slot with entries in an array: two slots decided independently', async () => {
		const slots = [
			{ timeslotId: 'a', freedSeats: 2, entries: [{ id: 'x1', partySize: 2, createdAt: '2026-06-01T00:00:00Z', email: 'x1@example.com' }] },
			{ timeslotId: 'b', freedSeats: 'unknown', entries: [{ id: 'y1', partySize: 1, createdAt: '2026-06-01T00:00:00Z', email: 'y1@example.com' }] },
			{ timeslotId: 'c', freedSeats: 2, entries: 'not a list' },
		];
		const out = await run({ mode: 'autonomous', inputShape: 'slotItems', entriesField: 'entries', freedSeats: '' }, slots);
		expect(out.promote.map((o) => [o.json.slotKey, o.json.entryId, o.pairedItem])).toEqual([['a', 'x1', { item: 0 }]]);
		expect(out.none.map((o) => [o.json.slotKey, (o.json.waitlist as IDataObject).code])).toEqual([
			['b', 'capacity_unknown'],
			['c', 'no_entries_field'],
		]);
	});

	it('overbooking: the allowance and its arithmetic travel with the offer', async () => {
		const confirmed = [
			{ partySize: 2, noShowRisk: 0.1 },
			{ partySize: 1, noShowRisk: 0.2 },
			{ partySize: 3, noShowRisk: 0.3 },
		];
		const out = await run(
			{ mode: 'autonomous', ranking: 'fifo', freedSeats: 2, allowOverbooking: true, maxOverflowProbability: 0.55, confirmedBookings: confirmed, approvalRules: { confidenceThreshold: 0.4 } },
			[{ id: 'big', timeslotId: 's', partySize: 3, createdAt: '2026-06-01T00:00:00Z', email: 'big@example.com' }],
		);
		// P(N < 1) = 0.504 ≤ 0.55 → 1 extra seat; confidence of the overbooked offer = 1 − 0.504 = 0.496
		expect(ids(out.promote)).toEqual(['big']);
		const w = out.promote[0].json.waitlist as IDataObject;
		expect(w).toMatchObject({ overbookedSeats: 1, confidence: 0.496 });
		expect((w.slot as IDataObject).overbooking).toMatchObject({ extraSeats: 1, expectedNoShowSeats: 1.3 });
	});

	it('a bad setting fails with the field named, or, with continue on fail, puts the pack\'s error item on "No action" per item', async () => {
		const params = { mode: 'autonomous', freedSeats: 2, options: { asOf: 'next tuesday' } };
		await expect(run(params, rows.slice(0, 2))).rejects.toThrow('"As Of" is not a date: next tuesday');
		const out = await run(params, rows.slice(0, 2), { continueOnFail: true });
		expect(out.none.map((o) => [o.json.error, o.json.id, o.pairedItem])).toEqual([
			['"As Of" is not a date: next tuesday [item 0]', 'w1', { item: 0 }],
			['"As Of" is not a date: next tuesday [item 0]', 'w2', { item: 1 }],
		]);
	});

	it('items without a slot key go to "No action" and do not stop the others', async () => {
		const out = await run({ mode: 'autonomous', freedSeats: 2 }, [{ id: 'k', partySize: 1, email: 'k@example.com' }, { ...rows[0] }]);
		expect(out.none[0].json.waitlist).toMatchObject({ code: 'no_slot_key' });
		expect(out.none[0].pairedItem).toEqual({ item: 0 });
		expect(ids(out.promote)).toEqual(['w1']);
	});
});

describe('Waitlist Filler node: Next offer', () => {
	it('after a decline the next candidate gets the released seats; the round never re-offers anyone', async () => {
		const plan = await run({ mode: 'autonomous', ranking: 'fifo', freedSeats: 3 }, rows);
		expect(ids(plan.promote)).toEqual(['w3']);
		const round = plan.promote[0].json.round as IDataObject;
		const next = await run({ mode: 'autonomous', operation: 'nextOffer', ranking: 'fifo', roundField: 'round', declinedIds: 'w3', expiredIds: '', acceptedIds: '' }, rows.map((r) => ({ ...r, round })));
		expect(ids(next.promote)).toEqual(['w1']);
		expect(next.promote[0].json.round).toMatchObject({ offered: ['w3', 'w1'], declined: ['w3'] });
		// w1 lets its offer expire: w2 is next (2 of the 3 seats); w3 (declined) is never offered again
		const next2 = await run(
			{ mode: 'autonomous', operation: 'nextOffer', ranking: 'fifo', roundField: 'round', declinedIds: '', expiredIds: ['w1'], acceptedIds: '' },
			rows.map((r) => ({ ...r, round: next.promote[0].json.round as IDataObject })),
		);
		// w2's acceptance 0.4 is below the default confidence threshold 0.7: a person decides
		expect(ids(next2.promote)).toEqual([]);
		expect(ids(next2.approval)).toEqual(['w2']);
		expect(next2.none.filter((o) => (o.json.waitlist as IDataObject).code === 'already_offered').map((o) => o.json.entryId).sort()).toEqual(['w1', 'w3']);
	});

	it('a round of another slot is refused rather than mixed in', async () => {
		const round = { slotKey: 'ts_other', freedSeats: 4, extraSeats: 0, offered: [], offeredSeats: {}, declined: [], expired: [], accepted: [] };
		const out = await run({ mode: 'autonomous', operation: 'nextOffer', roundField: 'round' }, rows.map((r) => ({ ...r, round })));
		expect(out.promote).toEqual([]);
		expect(out.none[0].json.waitlist).toMatchObject({ code: 'round_for_other_slot' });
	});

	it('without round state it offers nothing and says what to pass in', async () => {
		const out = await run({ mode: 'autonomous', operation: 'nextOffer', roundField: 'round' }, rows);
		expect(out.promote).toEqual([]);
		expect(out.none[0].json.waitlist).toMatchObject({ code: 'no_round_state' });
	});
});
