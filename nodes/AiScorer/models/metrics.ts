/** Held-out quality figures reported by Train and by the benchmarks. */

/** ROC AUC with ties counted as half (Mann-Whitney U). */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
	const n = scores.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
	let pos = 0;
	let rankSumPos = 0;
	for (let i = 0; i < n; ) {
		let j = i;
		while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
		const avgRank = (i + j) / 2 + 1;
		for (let k = i; k <= j; k++) {
			if (labels[order[k]] === 1) {
				pos++;
				rankSumPos += avgRank;
			}
		}
		i = j + 1;
	}
	const neg = n - pos;
	if (pos === 0 || neg === 0) return Number.NaN;
	return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < probs.length; i++) {
		const p = Math.min(1 - 1e-15, Math.max(1e-15, probs[i]));
		s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
	}
	return s / probs.length;
}

export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < probs.length; i++) s += (probs[i] - labels[i]) ** 2;
	return s / probs.length;
}

export interface CalibrationBin {
	from: number;
	to: number;
	count: number;
	meanPredicted: number;
	observedRate: number;
}

/** Reliability table over equal-width bins and the expected calibration error (count-weighted gap). */
export function calibrationReport(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): { ece: number; bins: CalibrationBin[] } {
	const sumP = new Float64Array(bins);
	const sumY = new Float64Array(bins);
	const cnt = new Float64Array(bins);
	for (let i = 0; i < probs.length; i++) {
		const b = Math.min(bins - 1, Math.floor(probs[i] * bins));
		sumP[b] += probs[i];
		sumY[b] += labels[i];
		cnt[b]++;
	}
	let ece = 0;
	const out: CalibrationBin[] = [];
	for (let b = 0; b < bins; b++) {
		if (cnt[b] === 0) continue;
		const mp = sumP[b] / cnt[b];
		const oy = sumY[b] / cnt[b];
		ece += (cnt[b] / probs.length) * Math.abs(mp - oy);
		out.push({ from: b / bins, to: (b + 1) / bins, count: cnt[b], meanPredicted: round(mp, 4), observedRate: round(oy, 4) });
	}
	return { ece: round(ece, 4), bins: out };
}

export function round(x: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}
