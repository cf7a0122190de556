import fc from 'fast-check';

import { PathSet } from '../../../nodes/Attribution/engine/paths';
import { EXACT_LIMIT, shapleyAttribution, type ShapleyValueFunction } from '../../../nodes/Attribution/engine/shapley';

function set(rows: Array<[string, number, number]>): PathSet {
	const s = new PathSet();
	rows.forEach(([p, c, n], i) => s.add(i, p, c, c * 10, n));
	return s;
}
const byName = (r: ReturnType<typeof shapleyAttribution>) => Object.fromEntries(r.channels.map((c) => [c.channel, c]));

describe('Shapley: worked example', () => {
	// v(∅)=0, v(A)=0, v(B)=1, v(AB)=2 (conversions of journeys using only those channels).
	// φ_A = ½(v(A)−v(∅)) + ½(v(AB)−v(B)) = 0.5; φ_B = ½·1 + ½·2 = 1.5.
	const r = shapleyAttribution(set([['A > B', 1, 0], ['A', 0, 1], ['B', 1, 0]]));
	it('values and efficiency', () => {
		expect(r.method).toBe('exact');
		expect(byName(r).A.shapley).toBeCloseTo(0.5, 12);
		expect(byName(r).B.shapley).toBeCloseTo(1.5, 12);
		expect(r.grandValue).toBe(2);
	});
	it('conversion-rate worth: v(A)=0/1, v(B)=1/1, v(AB)=2/3 → φ_A = ½(0) + ½(2/3 − 1) = −1/6, φ_B = ½(1) + ½(2/3) = 5/6', () => {
		const rate = shapleyAttribution(set([['A > B', 1, 0], ['A', 0, 1], ['B', 1, 0]]), 'conversionRate');
		expect(byName(rate).A.shapley).toBeCloseTo(-1 / 6, 12);
		expect(byName(rate).B.shapley).toBeCloseTo(5 / 6, 12);
		// A negative contribution gets no credit: B takes all of it.
		expect(byName(rate).B.share).toBe(1);
	});
});

/** Brute force: the average marginal contribution over all n! orders. */
function bruteForce(rows: Array<[string[], number, number]>, fn: ShapleyValueFunction, channels: string[]): Record<string, number> {
	const v = (s: Set<string>) => {
		let conv = 0;
		let total = 0;
		for (const [p, c, n] of rows) {
			if (p.every((x) => s.has(x))) {
				conv += c;
				total += c + n;
			}
		}
		return fn === 'conversions' ? conv : total > 0 ? conv / total : 0;
	};
	const phi: Record<string, number> = Object.fromEntries(channels.map((c) => [c, 0]));
	let count = 0;
	const permute = (rest: string[], order: string[]) => {
		if (!rest.length) {
			count++;
			const s = new Set<string>();
			let prev = v(s);
			for (const c of order) {
				s.add(c);
				const cur = v(s);
				phi[c] += cur - prev;
				prev = cur;
			}
			return;
		}
		rest.forEach((c, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...order, c]));
	};
	permute(channels, []);
	for (const c of channels) phi[c] /= count;
	return phi;
}

const CH = ['A', 'B', 'C', 'D', 'E'];
const dataArb = fc.array(fc.tuple(fc.array(fc.constantFrom(...CH), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 10 });

describe('Shapley vs brute-force enumeration of all orders', () => {
	for (const fn of ['conversions', 'conversionRate'] as const) {
		it(`${fn}: exact values equal the average marginal contribution over n! orders`, () => {
			fc.assert(
				fc.property(dataArb, (rows) => {
					const s = new PathSet();
					rows.forEach(([p, c, n], i) => s.add(i, p.join(' > '), c, c, n));
					if (!s.rows.length) return;
					const r = shapleyAttribution(s, fn);
					const brute = bruteForce(rows.filter(([, c, n]) => c + n > 0), fn, s.channels);
					for (const c of r.channels) expect(c.shapley).toBeCloseTo(brute[c.channel], 10);
				}),
				{ numRuns: 50 },
			);
		});
	}
	it('relabelling channels permutes the values; one channel gets everything', () => {
		const a = shapleyAttribution(set([['A > B', 2, 1], ['B > C', 1, 3], ['C', 1, 0]]));
		const b = shapleyAttribution(set([['Z > Y', 2, 1], ['Y > X', 1, 3], ['X', 1, 0]]));
		expect(byName(b).Z.shapley).toBeCloseTo(byName(a).A.shapley, 12);
		expect(byName(b).X.shapley).toBeCloseTo(byName(a).C.shapley, 12);
		expect(shapleyAttribution(set([['Email > Email', 3, 1]])).channels[0]).toMatchObject({ channel: 'Email', share: 1, conversions: 3 });
	});
});

describe('Shapley above 15 channels: permutation sampling', () => {
	it(`with ${EXACT_LIMIT + 3} channels the estimate is within 4 standard errors of the exact value (conversions worth: each path split equally)`, () => {
		const names = Array.from({ length: EXACT_LIMIT + 3 }, (_, i) => `ch${i}`);
		const s = new PathSet();
		const exact: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
		for (let i = 0; i < 60; i++) {
			const p = [names[i % names.length], names[(i * 7 + 3) % names.length], names[(i * 5 + 1) % names.length]];
			const conv = (i % 4) + 1;
			s.add(i, p.join(' > '), conv, conv, i % 3);
			// For this worth function the Shapley value has a closed form (Harsanyi dividends): each
			// journey's conversions split equally over its distinct channels.
			const distinct = [...new Set(p)];
			for (const c of distinct) exact[c] += conv / distinct.length;
		}
		const r = shapleyAttribution(s, 'conversions', { samples: 3000, seed: 7 });
		expect(r.method).toBe('permutation-sampling');
		for (const c of r.channels) expect(Math.abs(c.shapley - exact[c.channel])).toBeLessThanOrEqual(4 * (c.standardError ?? 0) + 1e-9);
		// Same seed, same answer.
		expect(shapleyAttribution(s, 'conversions', { samples: 3000, seed: 7 }).channels[0].shapley).toBe(r.channels[0].shapley);
	});
});
