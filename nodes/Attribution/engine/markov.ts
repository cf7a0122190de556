/**
 * Markov-chain attribution (order 1 to 3) with removal effects, solved exactly.
 *
 * States are the last `order` channels of a journey (shorter at its start), plus START, CONVERSION
 * and NULL (journeys that did not convert count: they are what makes a channel's removal matter).
 * Transition counts are weighted by each path's conversions + nulls. The probability of reaching
 * CONVERSION from START is the absorbing probability of the chain, found by solving the linear system
 * x_s = Σ_t P(s→t)·x_t (x_CONV = 1, x_NULL = 0): by Gaussian elimination with partial pivoting up
 * to 600 transient states, by Gauss–Seidel iteration to a change below 1e-13 above that. Removing a
 * channel sends every state that contains it to NULL; its removal effect is 1 − P(conv | removed) /
 * P(conv). Conversions and value are shared out in proportion to the removal effects.
 *
 * ChannelAttribution (the reference implementation) estimates the same quantities by simulating
 * journeys (Monte Carlo), so its removal effects carry sampling error; these are deterministic.
 */
import type { PathSet } from './paths';

export interface MarkovChannelResult {
	channel: string;
	removalEffect: number;
	share: number;
	conversions: number;
	value: number;
}

export interface MarkovResult {
	order: number;
	conversionProbability: number;
	states: number;
	method: 'gaussian-elimination' | 'gauss-seidel';
	channels: MarkovChannelResult[];
	totalConversions: number;
	totalValue: number;
	totalNulls: number;
}

const START = 0;
const CONV = 1;
const NULL = 2;
const BASE = 65536;

/** Sparse transition counts between dense state indices, plus the channels each state contains. */
export class TransitionCounts {
	readonly order: number;
	private readonly keep: number;
	private readonly stateIndex = new Map<number, number>();
	/** Per state: target → weight. */
	readonly out: Array<Map<number, number>> = [new Map(), new Map(), new Map()];
	readonly stateChannels: number[][] = [[], [], []];

	constructor(order: number) {
		if (!Number.isInteger(order) || order < 1 || order > 3) throw new RangeError('order must be 1, 2 or 3');
		this.order = order;
		this.keep = BASE ** (order - 1);
	}

	private readonly firstOrder = new Int32Array(BASE).fill(-1);

	private state(code: number, tail: number[]): number {
		let s = this.stateIndex.get(code);
		if (s === undefined) {
			s = this.out.length;
			this.stateIndex.set(code, s);
			if (this.order === 1) this.firstOrder[code - 1] = s;
			this.out.push(new Map());
			this.stateChannels.push(tail);
		}
		return s;
	}

	private bump(from: number, to: number, w: number): void {
		const m = this.out[from];
		m.set(to, (m.get(to) ?? 0) + w);
	}

	/** One path of channel ids with its conversions and nulls (either may be fractional weights). */
	addPath(path: ArrayLike<number>, conversions: number, nulls: number, length = path.length): void {
		const w = conversions + nulls;
		if (!(w > 0) || length === 0) return;
		let prev = START;
		let code = 0;
		for (let i = 0; i < length; i++) {
			const c = path[i];
			if (c >= BASE - 1) throw new RangeError('more than 65,534 channels');
			code = (code % this.keep) * BASE + (c + 1);
			// Order 1 (the common case): the state of a channel is found in an array, not the map.
			let s = this.order === 1 ? this.firstOrder[c] : this.stateIndex.get(code);
			if (s === -1) s = undefined;
			if (s === undefined) s = this.state(code, Array.from({ length: Math.min(this.order, i + 1) }, (_, k) => path[i - Math.min(this.order, i + 1) + 1 + k]));
			this.bump(prev, s, w);
			prev = s;
		}
		if (conversions > 0) this.bump(prev, CONV, conversions);
		if (nulls > 0) this.bump(prev, NULL, nulls);
	}

	get stateCount(): number {
		return this.out.length;
	}
}

/** P(reaching CONV from START) with the states in `removed` sent to NULL. */
export function conversionProbability(t: TransitionCounts, removed: Uint8Array): { p: number; method: MarkovResult['method'] } {
	const n = t.stateCount;
	// Row-normalised sparse rows over transient states (START and channel states).
	const rows: Array<{ to: Int32Array; p: Float64Array; conv: number }> = [];
	for (let s = 0; s < n; s++) {
		const m = t.out[s];
		let total = 0;
		for (const w of m.values()) total += w;
		const to: number[] = [];
		const p: number[] = [];
		let conv = 0;
		if (total > 0 && !removed[s]) {
			for (const [k, w] of m) {
				if (k === CONV) conv += w / total;
				else if (k === NULL || removed[k]) continue;
				else {
					to.push(k);
					p.push(w / total);
				}
			}
		}
		rows.push({ to: Int32Array.from(to), p: Float64Array.from(p), conv });
	}
	const transient = n - 3;
	if (transient + 1 <= 600) return { p: solveDense(rows, n), method: 'gaussian-elimination' };
	return { p: solveIterative(rows, n), method: 'gauss-seidel' };
}

/** Dense (I − Q)x = b over START and the channel states, Gaussian elimination with partial pivoting. */
function solveDense(rows: Array<{ to: Int32Array; p: Float64Array; conv: number }>, n: number): number {
	const ids = [START];
	for (let s = 3; s < n; s++) ids.push(s);
	const m = ids.length;
	const pos = new Int32Array(n).fill(-1);
	ids.forEach((s, i) => (pos[s] = i));
	const a = new Float64Array(m * (m + 1));
	const w = m + 1;
	for (let i = 0; i < m; i++) {
		const r = rows[ids[i]];
		a[i * w + i] += 1;
		for (let k = 0; k < r.to.length; k++) a[i * w + pos[r.to[k]]] -= r.p[k];
		a[i * w + m] = r.conv;
	}
	for (let col = 0; col < m; col++) {
		let piv = col;
		for (let r = col + 1; r < m; r++) if (Math.abs(a[r * w + col]) > Math.abs(a[piv * w + col])) piv = r;
		if (Math.abs(a[piv * w + col]) < 1e-300) continue;
		if (piv !== col) for (let k = col; k <= m; k++) [a[col * w + k], a[piv * w + k]] = [a[piv * w + k], a[col * w + k]];
		const d = a[col * w + col];
		for (let r = 0; r < m; r++) {
			if (r === col) continue;
			const f = a[r * w + col] / d;
			if (f === 0) continue;
			for (let k = col; k <= m; k++) a[r * w + k] -= f * a[col * w + k];
		}
	}
	const x0 = a[m] / a[0];
	return Math.min(1, Math.max(0, x0));
}

function solveIterative(rows: Array<{ to: Int32Array; p: Float64Array; conv: number }>, n: number): number {
	const x = new Float64Array(n);
	x[CONV] = 1;
	for (let iter = 0; iter < 100_000; iter++) {
		let delta = 0;
		for (let s = n - 1; s >= 0; s--) {
			if (s === CONV || s === NULL) continue;
			const r = rows[s];
			let v = r.conv;
			for (let k = 0; k < r.to.length; k++) v += r.p[k] * x[r.to[k]];
			const d = Math.abs(v - x[s]);
			if (d > delta) delta = d;
			x[s] = v;
		}
		if (delta < 1e-13) break;
	}
	return x[START];
}

/** Removal effects and attributed conversions/value per channel of a path set. */
export function markovAttribution(set: PathSet, order = 1, counts?: TransitionCounts): MarkovResult {
	const t = counts ?? new TransitionCounts(order);
	if (!counts) for (const r of set.rows) t.addPath(r.path, r.conversions, r.nulls);
	const n = t.stateCount;
	const base = conversionProbability(t, new Uint8Array(n));
	const channelStates: number[][] = set.channels.map(() => []);
	for (let s = 3; s < n; s++) for (const c of new Set(t.stateChannels[s])) channelStates[c].push(s);
	const effects = set.channels.map((_, c) => {
		if (base.p <= 0) return 0;
		const removed = new Uint8Array(n);
		for (const s of channelStates[c]) removed[s] = 1;
		return Math.max(0, 1 - conversionProbability(t, removed).p / base.p);
	});
	const sum = effects.reduce((s, x) => s + x, 0);
	return {
		order: t.order,
		conversionProbability: base.p,
		states: n - 3,
		method: base.method,
		totalConversions: set.totalConversions,
		totalValue: set.totalValue,
		totalNulls: set.totalNulls,
		channels: set.channels.map((channel, c) => {
			const share = sum > 0 ? effects[c] / sum : 0;
			return { channel, removalEffect: effects[c], share, conversions: set.totalConversions * share, value: set.totalValue * share };
		}),
	};
}
