/**
 * Per-booking (heuristic) attribution models and the exact split of a booking's value into cents.
 *
 * Every model produces a weight per touchpoint; `splitCents` turns weights into integer cents that
 * add up to the booking value exactly, by the largest-remainder method (Hamilton): each touchpoint
 * first gets floor(value × weight / Σ weights) cents, then the cents left over go one each to the
 * touchpoints with the largest fractional remainders, ties to the earlier touchpoint. No cent is
 * created or lost, no touchpoint gets more than one cent above its exact share, and equal weights
 * differ by at most one cent.
 */

export const HEURISTIC_MODELS = ['firstTouch', 'lastTouch', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased'] as const;
export type HeuristicModel = (typeof HEURISTIC_MODELS)[number];

export interface ModelParams {
	/** Time decay: a touchpoint `halfLifeDays` before the booking counts half as much as one at the booking. */
	halfLifeDays?: number;
	/** Position-based: shares of the first and last touchpoint (the middle ones split the rest). */
	firstShare?: number;
	lastShare?: number;
}

export interface TouchForModel {
	channel: string;
	/** Epoch ms; NaN when unknown (time decay then treats it as at the booking). */
	at: number;
}

export const MODEL_LABELS: Record<HeuristicModel, string> = {
	firstTouch: 'first touch',
	lastTouch: 'last touch',
	lastNonDirect: 'last non-direct touch',
	linear: 'linear',
	timeDecay: 'time decay',
	positionBased: 'position-based',
};

/** Weights per touchpoint (any scale; only ratios matter). `touches` in time order, oldest first. */
export function modelWeights(model: HeuristicModel, touches: TouchForModel[], conversionAt: number, params: ModelParams = {}): number[] {
	const n = touches.length;
	const w = new Array<number>(n).fill(0);
	if (n === 0) return w;
	switch (model) {
		case 'firstTouch':
			w[0] = 1;
			return w;
		case 'lastTouch':
			w[n - 1] = 1;
			return w;
		case 'lastNonDirect': {
			// GA's rule: Direct takes credit only when the journey has nothing else.
			let k = n - 1;
			while (k >= 0 && touches[k].channel === 'Direct') k--;
			w[k >= 0 ? k : n - 1] = 1;
			return w;
		}
		case 'linear':
			return w.fill(1);
		case 'timeDecay': {
			const half = params.halfLifeDays && params.halfLifeDays > 0 ? params.halfLifeDays : 7;
			const ref = Number.isFinite(conversionAt) ? conversionAt : Math.max(...touches.map((t) => (Number.isFinite(t.at) ? t.at : -Infinity)));
			for (let i = 0; i < n; i++) {
				const ageDays = Number.isFinite(touches[i].at) && Number.isFinite(ref) ? Math.max(0, (ref - touches[i].at) / 86_400_000) : 0;
				w[i] = 2 ** (-ageDays / half);
			}
			return w;
		}
		case 'positionBased': {
			const first = params.firstShare ?? 0.4;
			const last = params.lastShare ?? 0.4;
			if (n === 1) return [1];
			if (n === 2) {
				// No middle: the middle share goes to the ends in proportion to theirs (40/40 → 50/50).
				return [first, last];
			}
			const middle = Math.max(0, 1 - first - last) / (n - 2);
			for (let i = 1; i < n - 1; i++) w[i] = middle;
			w[0] = first;
			w[n - 1] = last;
			return w;
		}
	}
}

/** Largest-remainder split of `totalCents` by `weights` (see the module comment). */
export function splitCents(totalCents: number, weights: number[]): number[] {
	const n = weights.length;
	if (n === 0) return [];
	const sum = weights.reduce((s, x) => s + (x > 0 && Number.isFinite(x) ? x : 0), 0);
	const safe = sum > 0 ? weights.map((x) => (x > 0 && Number.isFinite(x) ? x : 0)) : weights.map(() => 1);
	const total = sum > 0 ? sum : n;
	const sign = totalCents < 0 ? -1 : 1;
	const abs = Math.abs(Math.round(totalCents));
	const exact = safe.map((x) => (abs * x) / total);
	const cents = exact.map((x) => Math.floor(x));
	let left = abs - cents.reduce((s, x) => s + x, 0);
	const order = exact.map((x, i) => ({ i, r: x - cents[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
	for (let k = 0; left > 0 && k < order.length; k++, left--) cents[order[k].i]++;
	// Only if rounding of huge values left more than n cents over (cannot happen below 2^53 / n).
	for (let k = 0; left > 0; k = (k + 1) % n, left--) cents[order[k].i]++;
	return cents.map((c) => c * sign);
}
