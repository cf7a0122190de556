import { decide, parsePartySize, readConfirmed, readEntries, readSeats, type Policy } from '../../../nodes/WaitlistFiller/decide';

const FIFO: Policy = { ranking: 'fifo', bandWidth: 0.2, maxPromotions: 5, defaultAcceptance: 0.5, overbooking: { enabled: false, maxOverflowProbability: 0.05 } };

describe('Waitlist Filler: real-world waitlist input', () => {
	it.each([
		[2, 2],
		['2', 2],
		[' 3 ', 3],
		['2 adults', 2],
		['2 adults, 1 child', 3],
		['2 adults + 1 child', 3],
		['two', 2],
		['Two adults and one child', 3],
		['a couple', 2],
		['4 guests', 4],
	])('party size %p reads as %p', (raw, size) => {
		expect(parsePartySize(raw)).toEqual({ ok: true, size });
	});

	it.each([['family'], ['2.5'], [0], ['0'], [-1], [''], [null], ['constructor'], ['x'.repeat(80)]])('party size %p is refused with a reason, not guessed', (raw) => {
		const r = parsePartySize(raw);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.reason).toMatch(/party size/);
	});

	it('every problem entry gets its own reason and the good ones still get offers', () => {
		const raw = [
			{ id: 'ok-1', partySize: '2 adults', createdAt: '2026-06-01T09:00:00Z', email: 'ana@example.com' },
			{ id: 'no-contact', partySize: 2, createdAt: '2026-06-01T08:00:00Z' },
			{ id: 'booked', partySize: 1, createdAt: '2026-06-01T07:00:00Z', email: 'bo@example.com', alreadyBooked: 'yes' },
			{ id: 'ok-1', partySize: 2, createdAt: '2026-06-01T10:00:00Z', email: 'ana@example.com' },
			{ id: 'same-person', party_size: '1', created_at: '2026-06-01T11:00:00Z', customer: { email: 'ANA@example.com ' } },
			{ id: 'bad-size', partySize: 'family', createdAt: '2026-06-01T06:00:00Z', email: 'cy@example.com' },
			{ partySize: 2, email: 'noid@example.com' },
			{ id: 'elsewhere', partySize: 1, createdAt: '2026-06-01T05:00:00Z', phone: '+1 555 0100 200', timeslotId: 'slot-9', flexible: 'no' },
			{ id: 'flexible', partySize: 1, createdAt: '2026-06-01T12:00:00Z', phone: '+1 555 0100 300', timeslotId: 'slot-9', flexible: 'yes' },
		];
		const { entries, invalid } = readEntries(raw);
		expect(invalid.map((i) => [i.entryId, i.reason])).toEqual([
			['bad-size', 'Entry bad-size: party size "family" is not a number of guests'],
			[undefined, expect.stringContaining('has no id')],
		]);
		const d = decide({ slotKey: 'slot-1', freedSeats: 4, entries, confirmed: [], policy: FIFO });
		expect(Object.fromEntries(d.skipped.map((s) => [s.entryId, s.code]))).toEqual({
			'no-contact': 'no_contact',
			booked: 'already_booked',
			'ok-1': 'duplicate_entry',
			'same-person': 'duplicate_customer',
			elsewhere: 'other_slot',
		});
		expect(d.chosen.map((c) => c.entryId)).toEqual(['ok-1', 'flexible']);
		// the copy of ok-1 that waited longer is the one offered
		expect(entries[d.chosen[0].index].createdAt).toBe(Date.parse('2026-06-01T09:00:00Z'));
	});

	it('an entry whose customer already holds a confirmed booking in the slot is not offered the slot again', () => {
		const { entries } = readEntries([{ id: 'w1', partySize: 2, createdAt: '2026-06-01T09:00:00Z', email: 'dee@example.com' }]);
		const confirmed = readConfirmed([{ id: 'b1', partySize: 2, customer: { email: 'Dee@Example.com' }, status: 'confirmed' }], 0.1);
		const d = decide({ slotKey: 's', freedSeats: 4, entries, confirmed, policy: FIFO });
		expect(d.chosen).toEqual([]);
		expect(d.skipped[0]).toMatchObject({ entryId: 'w1', code: 'already_booked' });
	});

	it('unknown capacity offers nothing and says why; text capacity is read', () => {
		expect(readSeats('')).toBeNull();
		expect(readSeats('lots')).toBeNull();
		expect(readSeats(undefined)).toBeNull();
		expect(readSeats('4 seats')).toBe(4);
		expect(readSeats(0)).toBe(0);
		const { entries } = readEntries([{ id: 'w1', partySize: 1, createdAt: '2026-06-01T09:00:00Z', email: 'e@example.com' }]);
		const d = decide({ slotKey: 's', freedSeats: readSeats(''), entries, confirmed: [], policy: FIFO });
		expect(d.chosen).toEqual([]);
		expect(d.slotReason).toMatch(/capacity is unknown/);
	});

	it('no item shape makes the reader throw', () => {
		expect(() => readEntries([null, 1, 'x', [], { id: {} }, { id: 'a', partySize: { amount: '2' } }])).not.toThrow();
		const { entries, invalid } = readEntries([null, { id: 'a', partySize: { amount: '2' } }]);
		expect(invalid[0].reason).toMatch(/not an object/);
		expect(entries[0].partySize).toBe(2);
	});
});
