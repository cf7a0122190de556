import fc from 'fast-check';

import {
	decide,
	entryValue,
	firstFit,
	knapsack,
	noShowSeatDistribution,
	overbookingAllowance,
	type DecideInput,
	type Decision,
	type Entry,
	type Policy,
	type RankingPolicy,
	waitingOrder,
} from '../../../nodes/WaitlistFiller/decide';

const T0 = Date.UTC(2026, 5, 1);

const entryArb = (slot: string) =>
	fc.record({
		id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11', 'e12', 'e13', 'e14'),
		partySize: fc.integer({ min: 1, max: 8 }),
		createdAt: fc.integer({ min: 0, max: 50 }).map((m) => T0 + m * 60_000),
		hasContact: fc.constant(true), // set per entry below, with the other data problems
		flexible: fc.boolean(),
		desiredSlot: fc.option(fc.constantFrom(slot, 'other-slot'), { nil: undefined }),
		alreadyBooked: fc.constant(false),
		acceptance: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
		noShowRisk: fc.option(fc.double({ min: 0, max: 0.6, noNaN: true }), { nil: undefined }),
	}) as fc.Arbitrary<Entry>;

/** Waitlists with distinct ids (up to 12, so brute force stays cheap), some data problems mixed in. */
const waitlistArb = (slot: string, max = 12) =>
	fc
		.array(entryArb(slot), { maxLength: max })
		.chain((list) =>
			fc.tuple(fc.constant(list), fc.array(fc.boolean(), { minLength: list.length, maxLength: list.length }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: list.length, maxLength: list.length })),
		)
		.map(([list, flags, dice]) =>
			list.map((e, i) => ({ ...e, id: `e${i + 1}`, hasContact: dice[i] !== 0, alreadyBooked: dice[i] === 1 && flags[i] })),
		);

const policyArb: fc.Arbitrary<Policy> = fc.record({
	ranking: fc.constantFrom<RankingPolicy>('fifo', 'score', 'hybrid'),
	bandWidth: fc.constantFrom(0.1, 0.2, 0.25, 0.5),
	maxPromotions: fc.integer({ min: 1, max: 12 }),
	defaultAcceptance: fc.constantFrom(0.3, 0.5, 0.8),
	overbooking: fc.record({ enabled: fc.boolean(), maxOverflowProbability: fc.constantFrom(0.01, 0.05, 0.1, 0.3) }),
});

const confirmedArb = fc.array(fc.record({ partySize: fc.integer({ min: 1, max: 6 }), noShowRisk: fc.double({ min: 0, max: 0.5, noNaN: true }) }), { maxLength: 8 });

const inputArb: fc.Arbitrary<DecideInput> = fc.record({
	slotKey: fc.constant('slot-1'),
	freedSeats: fc.integer({ min: 0, max: 16 }),
	entries: waitlistArb('slot-1'),
	confirmed: confirmedArb,
	policy: policyArb,
});

const eligibleInOrder = (input: DecideInput, d: Decision) => {
	const skipped = new Set(d.skipped.map((s) => s.index));
	return input.entries
		.map((e, i) => ({ e, i }))
		.filter(({ i }) => !skipped.has(i))
		.sort((a, b) => a.e.createdAt - b.e.createdAt || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0) || a.i - b.i);
};

/** The optimum by trying every subset (2^12 = 4,096 at most). */
function bruteForce(items: Array<{ size: number; value: number }>, capacity: number, maxCount: number): number {
	let best = 0;
	const n = items.length;
	for (let mask = 0; mask < 1 << n; mask++) {
		let seats = 0;
		let count = 0;
		let value = 0;
		for (let i = 0; i < n; i++) {
			if (mask & (1 << i)) {
				seats += items[i].size;
				count++;
				value += items[i].value;
			}
		}
		if (seats <= capacity && count <= maxCount && value > best) best = value;
	}
	return best;
}

const seatsOf = (d: Decision) => d.chosen.reduce((s, c) => s + c.partySize, 0);

describe('Waitlist Filler decision core: properties over random waitlists', () => {
	it('never plans more seats than freed + the overbooking allowance, and the allowance respects the cap', () => {
		fc.assert(
			fc.property(inputArb, (input) => {
				const d = decide(input);
				expect(seatsOf(d)).toBeLessThanOrEqual((input.freedSeats ?? 0) + d.capacity.extraSeats);
				expect(d.chosen.length).toBeLessThanOrEqual(input.policy.maxPromotions);
				if (!input.policy.overbooking.enabled) expect(d.capacity.extraSeats).toBe(0);
				if (d.overbooking && d.capacity.extraSeats > 0) {
					// P(guests > seats) = P(no-show seats < k) computed straight from the distribution.
					const dist = noShowSeatDistribution(input.confirmed);
					const overflow = Array.from(dist.slice(0, d.capacity.extraSeats)).reduce((a, b) => a + b, 0);
					expect(overflow).toBeLessThanOrEqual(input.policy.overbooking.maxOverflowProbability + 1e-9);
				}
			}),
			{ numRuns: 400 },
		);
	});

	it('score and hybrid: the chosen set has exactly the optimum expected filled seats of brute force (≤ 12 entries)', () => {
		fc.assert(
			fc.property(inputArb.filter((i) => i.policy.ranking !== 'fifo'), (input) => {
				const d = decide(input);
				const eligible = eligibleInOrder(input, d).map(({ e }) => ({ size: e.partySize, value: entryValue(e, input.policy) }));
				const optimum = bruteForce(eligible, d.capacity.seatsToOffer, d.capacity.promotionsLeft);
				const got = d.chosen.reduce((s, c) => s + entryValue(input.entries[c.index], input.policy), 0);
				expect(got).toBe(optimum);
			}),
			{ numRuns: 400 },
		);
	});

	it('the knapsack alone matches brute force, including the per-size reduction, on sizes up to the capacity', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ size: fc.integer({ min: 1, max: 6 }), value: fc.integer({ min: 0, max: 6_000_000 }) }), { maxLength: 12 }),
				fc.integer({ min: 0, max: 14 }),
				fc.integer({ min: 1, max: 12 }),
				(items, capacity, maxCount) => {
					const r = knapsack(items, capacity, maxCount);
					expect(r.chosen.reduce((s, i) => s + items[i].size, 0)).toBeLessThanOrEqual(capacity);
					expect(r.chosen.length).toBeLessThanOrEqual(maxCount);
					expect(r.chosen.reduce((s, i) => s + items[i].value, 0)).toBe(bruteForce(items, capacity, maxCount));
					expect(r.value).toBe(bruteForce(items, capacity, maxCount));
				},
			),
			{ numRuns: 400 },
		);
	});

	it('FIFO never skips an eligible entry that fits the seats still free when its turn comes', () => {
		fc.assert(
			fc.property(inputArb.map((i) => ({ ...i, policy: { ...i.policy, ranking: 'fifo' as const } })), (input) => {
				const d = decide(input);
				const chosen = new Set(d.chosen.map((c) => c.index));
				let left = d.capacity.seatsToOffer;
				let count = 0;
				for (const { e, i } of eligibleInOrder(input, d)) {
					if (chosen.has(i)) {
						left -= e.partySize;
						count++;
					} else {
						expect(e.partySize > left || count >= d.capacity.promotionsLeft).toBe(true);
					}
				}
				// and the chosen come out in waiting order
				const ranks = d.chosen.map((c) => input.entries[c.index].createdAt);
				expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
			}),
			{ numRuns: 400 },
		);
	});

	it('replaying the same event gives the same decision, whatever the order the entries arrive in', () => {
		fc.assert(
			fc.property(inputArb, fc.integer(), (input, seed) => {
				const first = decide(input);
				const again = decide(structuredClone(input));
				expect(again).toEqual(first);
				const shuffled = [...input.entries].sort((a, b) => ((a.id.length * 7919 + seed) % 13) - ((b.id.length * 7919 + seed) % 13) || (a.id < b.id ? 1 : -1));
				const reordered = decide({ ...input, entries: shuffled });
				expect(reordered.chosen.map((c) => c.entryId)).toEqual(first.chosen.map((c) => c.entryId));
			}),
			{ numRuns: 300 },
		);
	});

	it('never offers an entry twice: not within a plan, not in a cascade, and a duplicate event offers nothing more', () => {
		fc.assert(
			fc.property(inputArb, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (input, declines) => {
				const first = decide(input);
				const ids = first.chosen.map((c) => c.entryId);
				expect(new Set(ids).size).toBe(ids.length);
				// A duplicate of the same cancellation, with the round's state carried in: nothing new.
				expect(decide({ ...input, round: first.round }).chosen).toEqual([]);
				// Cascade: some offers are declined or expire, the next candidates are chosen, until none is left.
				let round = first.round;
				const offered = [...ids];
				for (let step = 0; step < 20; step++) {
					const pending = round.offered.filter((id) => !round.declined.includes(id) && !round.expired.includes(id));
					if (!pending.length) break;
					const lapsed = pending[0];
					round = declines[step] ? { ...round, declined: [...round.declined, lapsed] } : { ...round, expired: [...round.expired, lapsed] };
					const next = decide({ ...input, round, extraSeatsOverride: round.extraSeats, freedSeats: round.freedSeats });
					for (const c of next.chosen) {
						expect(offered).not.toContain(c.entryId);
						offered.push(c.entryId);
					}
					expect(seatsOf(next) + next.capacity.heldByEarlierOffers).toBeLessThanOrEqual(round.freedSeats + round.extraSeats);
					round = next.round;
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('the packed waiting-order sort equals the plain comparator sort (ties by id, missing createdAt last)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e'), createdAt: fc.oneof(fc.integer({ min: 0, max: 5 }).map((m) => T0 + m), fc.constant(Number.NaN), fc.double({ min: 0, max: 10, noNaN: true })) }), { maxLength: 30 }),
				(list) => {
					const entries = list.map((e) => ({ ...e, partySize: 1, hasContact: true, flexible: false, alreadyBooked: false }));
					const t = (e: Entry) => (Number.isFinite(e.createdAt) ? e.createdAt : Number.MAX_SAFE_INTEGER);
					const reference = entries.map((_, i) => i).sort((a, b) => t(entries[a]) - t(entries[b]) || (entries[a].id < entries[b].id ? -1 : entries[a].id > entries[b].id ? 1 : 0) || a - b);
					expect(waitingOrder(entries)).toEqual(reference);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('FIFO first-fit walks the queue: 4 seats, parties 3, 2, 1 → offers 3 and 1 (2 does not fit after 3)', () => {
		expect(firstFit([3, 2, 1], 4, 5)).toEqual([0, 2]);
	});
});

describe('Overbooking rule: a worked example checked by hand', () => {
	/*
	 * Confirmed bookings: party A of 2 with no-show risk 0.1, party B of 1 with 0.2, party C of 3 with 0.3.
	 * No-show seats N (a party no-shows as a whole), by hand over the 8 outcomes (A, B, C absent = 1):
	 *   none absent          N=0  0.9·0.8·0.7 = 0.504
	 *   B only               N=1  0.9·0.2·0.7 = 0.126
	 *   A only               N=2  0.1·0.8·0.7 = 0.056
	 *   A+B                  N=3  0.1·0.2·0.7 = 0.014
	 *   C only               N=3  0.9·0.8·0.3 = 0.216   → P(N=3) = 0.014 + 0.216 = 0.230
	 *   B+C                  N=4  0.9·0.2·0.3 = 0.054
	 *   A+C                  N=5  0.1·0.8·0.3 = 0.024
	 *   A+B+C                N=6  0.1·0.2·0.3 = 0.006
	 *   sum = 0.504+0.126+0.056+0.230+0.054+0.024+0.006 = 1.000
	 * Offering k extra seats overflows iff N < k:
	 *   k=1: P(N<1) = 0.504
	 *   k=2: P(N<2) = 0.504+0.126 = 0.630
	 * With cap 0.55 → k = 1 (0.504 ≤ 0.55, 0.630 > 0.55). With cap 0.5 → k = 0 (0.504 > 0.5).
	 * E[N] = 0.126·1 + 0.056·2 + 0.230·3 + 0.054·4 + 0.024·5 + 0.006·6 = 0.126+0.112+0.690+0.216+0.120+0.036 = 1.300
	 *   (check: Σ size·p = 2·0.1 + 1·0.2 + 3·0.3 = 1.3)
	 */
	const parties = [
		{ partySize: 2, noShowRisk: 0.1 },
		{ partySize: 1, noShowRisk: 0.2 },
		{ partySize: 3, noShowRisk: 0.3 },
	];

	it('the no-show seat distribution is the hand-computed one', () => {
		const dist = Array.from(noShowSeatDistribution(parties));
		[0.504, 0.126, 0.056, 0.23, 0.054, 0.024, 0.006].forEach((p, s) => expect(dist[s]).toBeCloseTo(p, 12));
	});

	it('cap 0.55 allows exactly one extra seat, and the output shows the arithmetic', () => {
		const a = overbookingAllowance(parties, 0.55);
		expect(a.extraSeats).toBe(1);
		expect(a.expectedNoShowSeats).toBe(1.3);
		expect(a.overflowProbabilityByExtraSeats).toEqual([
			{ extraSeats: 1, overflowProbability: 0.504, withinCap: true },
			{ extraSeats: 2, overflowProbability: 0.63, withinCap: false },
		]);
		expect(a.explanation).toContain('P(N < 1) = 0.504 ≤ cap 0.55');
		expect(a.explanation).toContain('2 would give 0.63 > cap');
	});

	it('cap 0.5 allows none: one extra seat would overflow with 0.504', () => {
		expect(overbookingAllowance(parties, 0.5).extraSeats).toBe(0);
	});

	it('in a decision: 2 freed seats + 1 allowed → a party of 3 gets the offer, 1 seat marked as overbooked', () => {
		const d = decide({
			slotKey: 's',
			freedSeats: 2,
			confirmed: parties,
			entries: [{ id: 'big', partySize: 3, createdAt: T0, hasContact: true, flexible: false, alreadyBooked: false }],
			policy: { ranking: 'fifo', bandWidth: 0.2, maxPromotions: 3, defaultAcceptance: 0.5, overbooking: { enabled: true, maxOverflowProbability: 0.55 } },
		});
		expect(d.chosen.map((c) => [c.entryId, c.overbookedSeats])).toEqual([['big', 1]]);
		expect(d.capacity).toMatchObject({ freedSeats: 2, extraSeats: 1, seatsToOffer: 3 });
	});
});
