import { createRng } from './rng';

/**
 * k-means++ seeding and Lloyd iterations with a fixed seed: the same input always gives the same
 * clusters. Rows are standardised by the caller.
 */
export interface KMeansResult {
	centroids: number[][];
	assignment: Int32Array;
	inertia: number;
	iterations: number;
}

function dist2(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
	return s;
}

export function kmeans(rows: number[][], k: number, seed = 7, maxIter = 100, restarts = 4): KMeansResult {
	let best: KMeansResult | undefined;
	for (let rep = 0; rep < restarts; rep++) {
		const res = kmeansOnce(rows, k, seed + rep * 7919, maxIter);
		if (!best || res.inertia < best.inertia - 1e-9) best = res;
	}
	return best as KMeansResult;
}

function kmeansOnce(rows: number[][], kWanted: number, seed: number, maxIter: number): KMeansResult {
	const n = rows.length;
	const k = Math.max(1, Math.min(kWanted, n));
	const rng = createRng(seed);
	const centroids: number[][] = [rows[Math.floor(rng() * n)].slice()];
	const d = new Float64Array(n).fill(Infinity);
	while (centroids.length < k) {
		const last = centroids[centroids.length - 1];
		let total = 0;
		for (let i = 0; i < n; i++) {
			d[i] = Math.min(d[i], dist2(rows[i], last));
			total += d[i];
		}
		if (total === 0) break;
		let target = rng() * total;
		let chosen = n - 1;
		for (let i = 0; i < n; i++) {
			target -= d[i];
			if (target <= 0) {
				chosen = i;
				break;
			}
		}
		centroids.push(rows[chosen].slice());
	}
	const assignment = new Int32Array(n).fill(-1);
	let iterations = 0;
	let inertia = 0;
	for (; iterations < maxIter; iterations++) {
		let changed = false;
		inertia = 0;
		for (let i = 0; i < n; i++) {
			let bi = 0;
			let bd = Infinity;
			for (let c = 0; c < centroids.length; c++) {
				const dd = dist2(rows[i], centroids[c]);
				if (dd < bd) {
					bd = dd;
					bi = c;
				}
			}
			inertia += bd;
			if (assignment[i] !== bi) {
				assignment[i] = bi;
				changed = true;
			}
		}
		if (!changed) break;
		const dim = rows[0].length;
		const sums = centroids.map(() => new Float64Array(dim));
		const counts = new Float64Array(centroids.length);
		for (let i = 0; i < n; i++) {
			counts[assignment[i]]++;
			const s = sums[assignment[i]];
			for (let j = 0; j < dim; j++) s[j] += rows[i][j];
		}
		for (let c = 0; c < centroids.length; c++) if (counts[c] > 0) centroids[c] = Array.from(sums[c], (v) => v / counts[c]);
	}
	return { centroids, assignment, inertia, iterations };
}
