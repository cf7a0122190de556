import { sigmoid } from './rng';

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS).
 *
 * With a dozen features the Hessian is tiny, so Newton converges in a handful of passes to the
 * exact optimum of the same objective scikit-learn's LogisticRegression (lbfgs, C) minimises.
 * Features are standardised internally; the stored coefficients apply to standardised values.
 */
export interface LogisticModel {
	intercept: number;
	coefficients: number[];
	/** Reference point of each feature: contributions are measured from here. */
	means: number[];
	scales: number[];
	/** Value used when a feature is missing (NaN). */
	imputation: number[];
}

export interface LogisticParams {
	/** Inverse regularisation strength, as scikit-learn's C. */
	C?: number;
	maxIter?: number;
	tol?: number;
}

/** `columns[f][i]` is feature f of row i (NaN = missing, replaced by the column mean). */
export function fitLogistic(columns: Float64Array[], y: ArrayLike<number>, rows: ArrayLike<number>, params: LogisticParams = {}): LogisticModel {
	const C = params.C ?? 1;
	const maxIter = params.maxIter ?? 50;
	const tol = params.tol ?? 1e-8;
	const nf = columns.length;
	const n = rows.length;
	const means: number[] = [];
	const scales: number[] = [];
	for (let f = 0; f < nf; f++) {
		const col = columns[f];
		let s = 0;
		let c = 0;
		for (let k = 0; k < n; k++) {
			const v = col[rows[k]];
			if (!Number.isNaN(v)) {
				s += v;
				c++;
			}
		}
		const m = c ? s / c : 0;
		let ss = 0;
		for (let k = 0; k < n; k++) {
			const v = col[rows[k]];
			ss += ((Number.isNaN(v) ? m : v) - m) ** 2;
		}
		means.push(m);
		scales.push(Math.sqrt(ss / Math.max(1, n)) || 1);
	}
	// Row-major standardised design with a leading 1 for the intercept.
	const d = nf + 1;
	const Z = new Float64Array(n * d);
	const yy = new Float64Array(n);
	for (let k = 0; k < n; k++) {
		const r = rows[k];
		Z[k * d] = 1;
		for (let f = 0; f < nf; f++) {
			const v = columns[f][r];
			Z[k * d + f + 1] = ((Number.isNaN(v) ? means[f] : v) - means[f]) / scales[f];
		}
		yy[k] = y[r];
	}
	const w = new Float64Array(d);
	// scikit-learn's objective: C * sum(logloss) + 0.5 * ||w||^2 (intercept unpenalised).
	const lambda = 1 / C;
	const grad = new Float64Array(d);
	const H = new Float64Array(d * d);
	for (let iter = 0; iter < maxIter; iter++) {
		grad.fill(0);
		H.fill(0);
		for (let k = 0; k < n; k++) {
			const off = k * d;
			let z = 0;
			for (let j = 0; j < d; j++) z += w[j] * Z[off + j];
			const p = sigmoid(z);
			const g = p - yy[k];
			const h = Math.max(p * (1 - p), 1e-12);
			for (let j = 0; j < d; j++) {
				const zj = Z[off + j];
				grad[j] += g * zj;
				const hz = h * zj;
				for (let l = 0; l <= j; l++) H[j * d + l] += hz * Z[off + l];
			}
		}
		for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) H[l * d + j] = H[j * d + l];
		for (let j = 1; j < d; j++) {
			grad[j] += lambda * w[j];
			H[j * d + j] += lambda;
		}
		const step = solve(H, grad, d);
		let maxStep = 0;
		for (let j = 0; j < d; j++) {
			w[j] -= step[j];
			maxStep = Math.max(maxStep, Math.abs(step[j]));
		}
		if (maxStep < tol) break;
	}
	return { intercept: w[0], coefficients: Array.from(w.subarray(1)), means, scales, imputation: [...means] };
}

/** Gaussian elimination with partial pivoting; d is small. */
function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
	const M = new Float64Array(A);
	const x = new Float64Array(b);
	for (let c = 0; c < d; c++) {
		let piv = c;
		for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[piv * d + c])) piv = r;
		if (piv !== c) {
			for (let k = 0; k < d; k++) {
				const t = M[c * d + k];
				M[c * d + k] = M[piv * d + k];
				M[piv * d + k] = t;
			}
			const t = x[c];
			x[c] = x[piv];
			x[piv] = t;
		}
		const diag = M[c * d + c] || 1e-12;
		for (let r = c + 1; r < d; r++) {
			const f = M[r * d + c] / diag;
			if (f === 0) continue;
			for (let k = c; k < d; k++) M[r * d + k] -= f * M[c * d + k];
			x[r] -= f * x[c];
		}
	}
	for (let r = d - 1; r >= 0; r--) {
		let s = x[r];
		for (let k = r + 1; k < d; k++) s -= M[r * d + k] * x[k];
		x[r] = s / (M[r * d + r] || 1e-12);
	}
	return x;
}

/** Log-odds for one row; fills `contrib[f]` with each feature's push away from the reference point. */
export function logisticRaw(model: LogisticModel, x: ArrayLike<number>, contrib?: Float64Array): number {
	let z = model.intercept;
	const c = model.coefficients;
	for (let f = 0; f < c.length; f++) {
		const v = Number.isNaN(x[f]) ? model.imputation[f] : x[f];
		const t = (c[f] * (v - model.means[f])) / model.scales[f];
		z += t;
		if (contrib) contrib[f] = t;
	}
	return z;
}
