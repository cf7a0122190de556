import fc from 'fast-check';

import { markovAttribution } from '../../../nodes/Attribution/engine/markov';
import { PathCsvReader, PathSet } from '../../../nodes/Attribution/engine/paths';

function set(rows: Array<[string, number, number, number?]>): PathSet {
	const s = new PathSet();
	rows.forEach(([path, conv, nulls, value], i) => s.add(i, path, conv, value ?? conv * 100, nulls));
	return s;
}
const byName = (r: ReturnType<typeof markovAttribution>) => Object.fromEntries(r.channels.map((c) => [c.channel, c]));

describe('Markov chain, order 1: worked example', () => {
	// A > B converts once, A alone fails once, B alone converts once.
	// START→A 2/3, START→B 1/3; A→B 1/2, A→NULL 1/2; B→CONV 1.
	// P(conv) = 2/3·1/2 + 1/3 = 2/3. Without A: 1/3 → RE 1/2. Without B: 0 → RE 1.
	// Shares 1/3 and 2/3 of 2 conversions and $200.
	const r = markovAttribution(set([['A > B', 1, 0], ['A', 0, 1], ['B', 1, 0]]), 1);
	it('conversion probability and removal effects', () => {
		expect(r.conversionProbability).toBeCloseTo(2 / 3, 12);
		expect(byName(r).A.removalEffect).toBeCloseTo(0.5, 12);
		expect(byName(r).B.removalEffect).toBeCloseTo(1, 12);
	});
	it('conversions and value in proportion to the removal effects', () => {
		expect(byName(r).A.conversions).toBeCloseTo(2 / 3, 12);
		expect(byName(r).B.conversions).toBeCloseTo(4 / 3, 12);
		expect(byName(r).A.value + byName(r).B.value).toBeCloseTo(200, 9);
	});
	it('non-converting paths enter the chain: without the failed "A" journey P(conv) would be 1', () => {
		const without = markovAttribution(set([['A > B', 1, 0], ['B', 1, 0]]), 1);
		expect(without.conversionProbability).toBeCloseTo(1, 12);
		expect(r.totalNulls).toBe(1);
	});
});

/**
 * Brute force: enumerate every walk of the chain from START up to `maxLen` steps, multiply the
 * transition probabilities, and sum those that end in CONVERSION and avoid the removed channel.
 * Exact for data sets without repeats, whose chains are acyclic.
 */
function bruteForce(rows: Array<[string[], number, number]>, order: number, removed?: string): number {
	const counts = new Map<string, Map<string, number>>();
	const bump = (a: string, b: string, w: number) => {
		const m = counts.get(a) ?? new Map<string, number>();
		m.set(b, (m.get(b) ?? 0) + w);
		counts.set(a, m);
	};
	for (const [p, conv, nul] of rows) {
		if (conv + nul === 0) continue;
		let prev = '(start)';
		p.forEach((_, i) => {
			const s = p.slice(Math.max(0, i - order + 1), i + 1).join('>');
			bump(prev, s, conv + nul);
			prev = s;
		});
		if (conv) bump(prev, '(conv)', conv);
		if (nul) bump(prev, '(null)', nul);
	}
	const walk = (state: string, depth: number): number => {
		if (state === '(conv)') return 1;
		if (state === '(null)') return 0;
		if (removed && state.split('>').includes(removed)) return 0;
		const m = counts.get(state);
		if (!m) return 0;
		const total = [...m.values()].reduce((s, x) => s + x, 0);
		let p = 0;
		for (const [to, w] of m) p += (w / total) * walk(to, depth + 1);
		return p;
	};
	return walk('(start)', 0);
}

const CH = ['A', 'B', 'C', 'D'];
// Paths whose channels follow one fixed order (A before B before C…), so every chain is acyclic and
// the enumeration of walks is finite and exact; 1–4 touches, with conversions and nulls.
const pathArb = fc.uniqueArray(fc.constantFrom(...CH), { minLength: 1, maxLength: 4 }).map((p) => [...p].sort());
const dataArb = fc.array(fc.tuple(pathArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 8 }).filter((rows) => rows.some((r) => r[1] > 0));

describe('Markov chain vs brute-force enumeration of walks', () => {
	for (const order of [1, 2, 3]) {
		it(`order ${order}: conversion probability and every removal effect agree`, () => {
			fc.assert(
				fc.property(dataArb, (rows) => {
					const s = new PathSet();
					rows.forEach(([p, c, n], i) => s.add(i, p.join(' > '), c, c, n));
					if (!s.rows.length) return;
					const r = markovAttribution(s, order);
					const base = bruteForce(rows, order);
					expect(r.conversionProbability).toBeCloseTo(base, 10);
					for (const c of r.channels) {
						const without = bruteForce(rows, order, c.channel);
						expect(c.removalEffect).toBeCloseTo(base > 0 ? Math.max(0, 1 - without / base) : 0, 10);
					}
				}),
				{ numRuns: 60 },
			);
		});
	}
});

describe('Markov invariants', () => {
	it('attributed conversions add up to the total; one channel takes everything', () => {
		const r = markovAttribution(set([['Email > Email', 3, 2], ['Email', 1, 5]]), 2);
		expect(r.channels).toHaveLength(1);
		expect(r.channels[0].conversions).toBeCloseTo(4, 12);
	});
	it('relabelling channels permutes the removal effects', () => {
		fc.assert(
			fc.property(dataArb, (rows) => {
				const a = new PathSet();
				const b = new PathSet();
				const rename: Record<string, string> = { A: 'Paid Search', B: 'Email', C: 'Direct', D: 'Referral' };
				rows.forEach(([p, c, n], i) => {
					a.add(i, p.join(' > '), c, c, n);
					b.add(i, p.map((x) => rename[x]).join(' > '), c, c, n);
				});
				const ra = byName(markovAttribution(a, 1));
				const rb = byName(markovAttribution(b, 1));
				for (const [k, v] of Object.entries(ra)) expect(rb[rename[k]].removalEffect).toBeCloseTo(v.removalEffect, 12);
			}),
			{ numRuns: 40 },
		);
	});
	it('paths with repeats (cycles in the chain) converge to the closed form', () => {
		// A > A converts: START→A 1; A→A 1/2, A→CONV 1/2 → P = 1; A alone fails once: A→A 1/3, CONV 1/3, NULL 1/3 → P = 1/2.
		const r = markovAttribution(set([['A > A', 1, 0], ['A', 0, 1]]), 1);
		expect(r.conversionProbability).toBeCloseTo(0.5, 12);
	});
	it('bad rows are listed and skipped, never fatal', () => {
		const s = new PathSet();
		s.add(1, '', 1, 0, 0);
		s.add(2, 'A > B', 'lots', 0, 0);
		s.add(3, 'A > B', 1, '€12,50', 0);
		expect(s.problems.map((p) => p.field)).toEqual(['path', 'total_conversions']);
		expect(s.totalValue).toBeCloseTo(12.5, 12);
	});
});

describe('PathCsvReader (the byte reader the path command uses) reads what the text reader reads', () => {
	it('same channels, totals and removal effects, whatever the chunk boundaries; messy rows take the careful path', () => {
		const csv = [
			'path;total_conversions;total_conversion_value;total_null',
			'Paid Search > Email > Direct;2;240.50;3',
			'Email;0;0;4\r',
			'Café Social > Paid Search;1;"$1,200.00";0',
			'"Email > Direct";1;99;1',
			' > ;1;1;0',
			'Paid Search;x;0;1',
			'Direct;1;10',
		].join('\n');
		const text = new PathSet();
		csv.split('\n').forEach((l, i) => {
			const cols = l.trim().split(';');
			if (i === 0) return;
			text.add(i + 1, cols[0].replace(/"/g, ''), cols[1], cols[2]?.replace(/"/g, ''), cols[3]);
		});
		const bytes = Buffer.from(csv, 'utf8');
		for (const size of [1, 3, 7, 64, bytes.length]) {
			const set = new PathSet({ keepRows: false });
			const rows: Array<[number[], number, number]> = [];
			const reader = new PathCsvReader(set, (ids, n, c, nulls) => rows.push([Array.from(ids.subarray(0, n)), c, nulls]));
			for (let k = 0; k < bytes.length; k += size) reader.push(bytes.subarray(k, k + size));
			reader.end();
			expect(set.channels).toEqual(text.channels);
			expect([set.totalConversions, set.totalNulls]).toEqual([text.totalConversions, text.totalNulls]);
			expect(set.totalValue).toBeCloseTo(text.totalValue, 9);
			expect(rows).toEqual(text.rows.map((r) => [r.path, r.conversions, r.nulls]));
			expect(set.problems.map((p) => p.field)).toEqual(['path', 'total_conversions']);
		}
	});
});
