import fc from 'fast-check';

import { HEURISTIC_MODELS, modelWeights, splitCents, type HeuristicModel } from '../../../nodes/Attribution/engine/models';

const DAY = 86_400_000;
const booked = Date.parse('2026-06-15T12:00:00Z');
// Paid Social 10 days before, Email 4 days before, Organic Search 1 day before, Direct at the booking.
const journey = [
	{ channel: 'Paid Social', at: booked - 10 * DAY },
	{ channel: 'Email', at: booked - 4 * DAY },
	{ channel: 'Organic Search', at: booked - DAY },
	{ channel: 'Direct', at: booked },
];
const credit = (model: HeuristicModel, cents: number, touches = journey, params = {}) => splitCents(cents, modelWeights(model, touches, booked, params));

describe('heuristic models: worked examples ($450.00 = 45,000 cents, four touches)', () => {
	it('first touch: all to Paid Social', () => expect(credit('firstTouch', 45000)).toEqual([45000, 0, 0, 0]));
	it('last touch: all to Direct', () => expect(credit('lastTouch', 45000)).toEqual([0, 0, 0, 45000]));
	it('last non-direct: all to Organic Search, the last touch that is not Direct', () => expect(credit('lastNonDirect', 45000)).toEqual([0, 0, 45000, 0]));
	it('last non-direct on an all-Direct journey: Direct keeps the credit', () => {
		expect(credit('lastNonDirect', 1000, [{ channel: 'Direct', at: booked - DAY }, { channel: 'Direct', at: booked }])).toEqual([0, 1000]);
	});
	it('linear: 11,250 each', () => expect(credit('linear', 45000)).toEqual([11250, 11250, 11250, 11250]));
	it('position-based 40/20/40: 18,000 first and last, 4,500 to each of the two middle touches', () => expect(credit('positionBased', 45000)).toEqual([18000, 4500, 4500, 18000]));
	it('position-based with two touches: 50/50; with one: all', () => {
		expect(credit('positionBased', 45000, journey.slice(0, 2))).toEqual([22500, 22500]);
		expect(credit('positionBased', 45000, journey.slice(0, 1))).toEqual([45000]);
	});
	it('position-based 30/40/30 (configured): 13,500 / 9,000 / 9,000 / 13,500', () => {
		expect(credit('positionBased', 45000, journey, { firstShare: 0.3, lastShare: 0.3 })).toEqual([13500, 9000, 9000, 13500]);
	});
	it('time decay, half-life 7 days: touches 14, 7 and 0 days out weigh 1/4, 1/2, 1 → 100 / 200 / 400 of 700 cents', () => {
		const t = [
			{ channel: 'A', at: booked - 14 * DAY },
			{ channel: 'B', at: booked - 7 * DAY },
			{ channel: 'C', at: booked },
		];
		expect(credit('timeDecay', 700, t, { halfLifeDays: 7 })).toEqual([100, 200, 400]);
	});
});

describe('largest-remainder rounding', () => {
	it('100 cents over three equal shares: 34 / 33 / 33 (the tie goes to the earlier touch)', () => expect(splitCents(100, [1, 1, 1])).toEqual([34, 33, 33]));
	it('$10.00 over 1/6, 1/3, 1/2: 167 / 333 / 500 (remainders .67, .33, 0: the cent goes to .67)', () => expect(splitCents(1000, [1, 2, 3])).toEqual([167, 333, 500]));
	it('zero weights everywhere split equally rather than losing the value', () => expect(splitCents(10, [0, 0])).toEqual([5, 5]));
});

const touchArb = fc.array(
	fc.record({ channel: fc.constantFrom('Direct', 'Email', 'Paid Search', 'Organic Social', 'Referral'), ageDays: fc.double({ min: 0, max: 90, noNaN: true }) }),
	{ minLength: 1, maxLength: 12 },
);

describe('invariants (fast-check)', () => {
	it('credits are integers summing exactly to the value, for every model', () => {
		fc.assert(
			fc.property(fc.constantFrom(...HEURISTIC_MODELS), touchArb, fc.integer({ min: 0, max: 10_000_000_00 }), fc.double({ min: 0.1, max: 60, noNaN: true }), (model, ts, cents, half) => {
				const touches = ts.map((t) => ({ channel: t.channel, at: booked - t.ageDays * DAY })).sort((a, b) => a.at - b.at);
				const out = splitCents(cents, modelWeights(model, touches, booked, { halfLifeDays: half }));
				expect(out.every(Number.isInteger)).toBe(true);
				expect(out.reduce((s, x) => s + x, 0)).toBe(cents);
				expect(out.every((x) => x >= 0)).toBe(true);
			}),
		);
	});
	it('a single-channel journey gives that channel the full value', () => {
		fc.assert(
			fc.property(fc.constantFrom(...HEURISTIC_MODELS), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e9 }), (model, n, cents) => {
				const touches = Array.from({ length: n }, (_, k) => ({ channel: 'Email', at: booked - (n - k) * DAY }));
				const out = splitCents(cents, modelWeights(model, touches, booked));
				expect(out.reduce((s, x) => s + x, 0)).toBe(cents);
			}),
		);
	});
	it('relabelling channels permutes the result (credit follows the touch, not its name)', () => {
		fc.assert(
			fc.property(fc.constantFrom(...HEURISTIC_MODELS.filter((m) => m !== 'lastNonDirect')), touchArb, fc.integer({ min: 0, max: 1e8 }), (model, ts, cents) => {
				const touches = ts.map((t) => ({ channel: t.channel, at: booked - t.ageDays * DAY })).sort((a, b) => a.at - b.at);
				const renamed = touches.map((t) => ({ ...t, channel: `X-${t.channel.length}` }));
				expect(splitCents(cents, modelWeights(model, renamed, booked))).toEqual(splitCents(cents, modelWeights(model, touches, booked)));
			}),
		);
	});
	it('no touch gets more than one cent above its exact share', () => {
		fc.assert(
			fc.property(fc.array(fc.double({ min: 0.001, max: 100, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 1e9 }), (w, cents) => {
				const sum = w.reduce((s, x) => s + x, 0);
				const out = splitCents(cents, w);
				out.forEach((c, i) => expect(Math.abs(c - (cents * w[i]) / sum)).toBeLessThan(1 + 1e-6));
			}),
		);
	});
});
