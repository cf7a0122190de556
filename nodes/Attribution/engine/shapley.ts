/**
 * Shapley-value attribution over a path data set (the cooperative-game view of Dalessandro et al.
 * 2012 and Zhao et al. 2018): the players are the channels, and the worth v(S) of a set S of channels
 * is read from the journeys that used only channels in S:
 * - `conversions`: v(S) = conversions of journeys whose channel set ⊆ S;
 * - `conversionRate`: v(S) = conversions / (conversions + nulls) of those journeys (0 if none).
 *
 * Exact up to 15 channels: v is tabulated for all 2^n sets by a subset-sum (zeta) transform over the
 * journeys' channel masks, O(n·2^n), then φ_i = Σ_{S∌i} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)),
 * O(n·2^n) again. Above 15 channels (2^15 = 32,768 sets) the table would grow past what an n8n
 * execution should hold, so φ is estimated by sampling channel orders (permutation sampling,
 * Castro et al. 2009) with a fixed seed: `samples` orders, each adding every channel once; the output
 * carries each channel's standard error. v(S) is then computed on demand from the distinct channel
 * masks. Value (revenue) is shared out in proportion to φ, conversions likewise.
 */
import type { PathSet } from './paths';
import { createRng } from '../../AiScorer/models/rng';

export const EXACT_LIMIT = 15;
export type ShapleyValueFunction = 'conversions' | 'conversionRate';

export interface ShapleyResult {
	method: 'exact' | 'permutation-sampling';
	valueFunction: ShapleyValueFunction;
	samples?: number;
	channels: Array<{ channel: string; shapley: number; share: number; conversions: number; value: number; standardError?: number }>;
	/** v(all channels): what the φ add up to (efficiency). */
	grandValue: number;
}

/** Conversions and nulls per distinct channel mask (bit i = channel i). */
function masks(set: PathSet): Map<number, { conv: number; total: number }> | Map<bigint, { conv: number; total: number }> {
	const big = set.channels.length > 30;
	const m = new Map<number | bigint, { conv: number; total: number }>();
	for (const r of set.rows) {
		let k: number | bigint = big ? 0n : 0;
		for (const c of r.path) k = big ? (k as bigint) | (1n << BigInt(c)) : (k as number) | (1 << c);
		const e = m.get(k) ?? { conv: 0, total: 0 };
		e.conv += r.conversions;
		e.total += r.conversions + r.nulls;
		m.set(k, e);
	}
	return m as Map<number, { conv: number; total: number }>;
}

function worth(fn: ShapleyValueFunction, conv: number, total: number): number {
	return fn === 'conversions' ? conv : total > 0 ? conv / total : 0;
}

/** The full table v(S) for n ≤ EXACT_LIMIT. */
export function worthTable(set: PathSet, fn: ShapleyValueFunction): Float64Array {
	const n = set.channels.length;
	const size = 1 << n;
	const conv = new Float64Array(size);
	const total = new Float64Array(size);
	for (const [k, e] of masks(set) as Map<number, { conv: number; total: number }>) {
		conv[k] += e.conv;
		total[k] += e.total;
	}
	for (let i = 0; i < n; i++) {
		const bit = 1 << i;
		for (let s = 0; s < size; s++) {
			if (s & bit) {
				conv[s] += conv[s ^ bit];
				total[s] += total[s ^ bit];
			}
		}
	}
	const v = new Float64Array(size);
	for (let s = 0; s < size; s++) v[s] = worth(fn, conv[s], total[s]);
	return v;
}

/** Exact Shapley values from a worth table over n players. */
export function shapleyFromTable(v: Float64Array, n: number): number[] {
	const fact = [1];
	for (let i = 1; i <= n; i++) fact.push(fact[i - 1] * i);
	const coef = Array.from({ length: n }, (_, k) => (fact[k] * fact[n - k - 1]) / fact[n]);
	const phi = new Array<number>(n).fill(0);
	const size = 1 << n;
	const popcount = new Uint8Array(size);
	for (let s = 1; s < size; s++) popcount[s] = popcount[s >> 1] + (s & 1);
	for (let s = 0; s < size; s++) {
		const k = popcount[s];
		for (let i = 0; i < n; i++) {
			const bit = 1 << i;
			if (s & bit) continue;
			phi[i] += coef[k] * (v[s | bit] - v[s]);
		}
	}
	return phi;
}

function sampled(set: PathSet, fn: ShapleyValueFunction, samples: number, seed: number): { phi: number[]; se: number[] } {
	const n = set.channels.length;
	const entries = [...(masks(set) as unknown as Map<bigint, { conv: number; total: number }>)].map(([k, e]) => ({ k: BigInt(k), ...e }));
	const v = (s: bigint): number => {
		let conv = 0;
		let total = 0;
		for (const e of entries) {
			if ((e.k & s) === e.k) {
				conv += e.conv;
				total += e.total;
			}
		}
		return worth(fn, conv, total);
	};
	const random = createRng(seed);
	const sum = new Array<number>(n).fill(0);
	const sumSq = new Array<number>(n).fill(0);
	const order = Array.from({ length: n }, (_, i) => i);
	for (let m = 0; m < samples; m++) {
		for (let i = n - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j], order[i]];
		}
		let s = 0n;
		let prev = v(s);
		for (const i of order) {
			s |= 1n << BigInt(i);
			const cur = v(s);
			const d = cur - prev;
			sum[i] += d;
			sumSq[i] += d * d;
			prev = cur;
		}
	}
	const phi = sum.map((x) => x / samples);
	const se = phi.map((mean, i) => Math.sqrt(Math.max(0, sumSq[i] / samples - mean * mean) / samples));
	return { phi, se };
}

export function shapleyAttribution(set: PathSet, fn: ShapleyValueFunction = 'conversions', options: { samples?: number; seed?: number } = {}): ShapleyResult {
	const n = set.channels.length;
	let phi: number[];
	let se: number[] | undefined;
	let grand: number;
	let method: ShapleyResult['method'];
	if (n <= EXACT_LIMIT) {
		const v = worthTable(set, fn);
		phi = n ? shapleyFromTable(v, n) : [];
		grand = v[(1 << n) - 1];
		method = 'exact';
	} else {
		({ phi, se } = sampled(set, fn, options.samples ?? 2000, options.seed ?? 1));
		grand = phi.reduce((s, x) => s + x, 0);
		method = 'permutation-sampling';
	}
	const positive = phi.map((x) => Math.max(0, x));
	const sum = positive.reduce((s, x) => s + x, 0);
	return {
		method,
		valueFunction: fn,
		...(method === 'permutation-sampling' ? { samples: options.samples ?? 2000 } : {}),
		grandValue: grand,
		channels: set.channels.map((channel, i) => {
			const share = sum > 0 ? positive[i] / sum : 0;
			return { channel, shapley: phi[i], share, conversions: set.totalConversions * share, value: set.totalValue * share, ...(se ? { standardError: se[i] } : {}) };
		}),
	};
}
