import { sigmoid } from './rng';

/**
 * L2-regularised logistic regression: the objective scikit-learn's LogisticRegression (C) minimises,
 * on standardised features, fitted by L-BFGS with a backtracking (Armijo) line search.
 *
 * Why not Newton: the Hessian of a 300-column one-hot design costs n·d² per step, and undamped
 * Newton steps overshoot on separable categories (coefficients ran off to thousands). L-BFGS costs
 * n·(columns read) per step, every accepted step decreases the loss, and convergence is checked on
 * the gradient; a fit that stops short says so (`converged: false`).
 *
 * Categorical features are one-hot without materialising the matrix: a standardised indicator
 * (I − m)/s contributes `w_code / s_code − Σ w_k m_k / s_k`, and the second term is one number per
 * feature per step, so a row costs one lookup per categorical feature.
 */
export interface LogisticModel {
	intercept: number;
	/** Per expanded feature: a numeric feature takes one slot, a categorical one a slot per code. */
	coefficients: number[];
	/** Reference point of each expanded feature: contributions are measured from here. */
	means: number[];
	scales: number[];
	/** Value used when a numeric feature is missing (NaN). */
	imputation: number[];
	/** Per source feature: number of category codes (one-hot), 0 for numeric. Absent: all numeric. */
	categorical?: number[];
}

export interface LogisticParams {
	/** Inverse regularisation strength, as scikit-learn's C. */
	C?: number;
	maxIter?: number;
	/** Stop when the largest gradient component of the mean objective is below this. */
	tol?: number;
	categorical?: number[];
}

export interface LogisticFit {
	model: LogisticModel;
	iterations: number;
	converged: boolean;
}

/** `columns[f][i]` is feature f of row i (NaN = missing: the column mean, or no category). */
export function fitLogistic(columns: Float64Array[], y: ArrayLike<number>, rows: ArrayLike<number>, params: LogisticParams = {}): LogisticModel {
	return fitLogisticDetailed(columns, y, rows, params).model;
}

export function fitLogisticDetailed(columns: Float64Array[], y: ArrayLike<number>, rows: ArrayLike<number>, params: LogisticParams = {}): LogisticFit {
	const C = params.C ?? 1;
	const maxIter = params.maxIter ?? 1000;
	const tol = params.tol ?? 1e-6;
	const cats = params.categorical ?? [];
	const n = rows.length;
	const numIdx: number[] = [];
	const catIdx: number[] = [];
	for (let f = 0; f < columns.length; f++) ((cats[f] ?? 0) > 0 ? catIdx : numIdx).push(f);
	// Expanded layout: first slot of each source feature (a categorical one takes cats[f] slots).
	const slot: number[] = [];
	let D = 0;
	for (let f = 0; f < columns.length; f++) {
		slot.push(D);
		D += (cats[f] ?? 0) > 0 ? cats[f] : 1;
	}
	const means = new Float64Array(D);
	const scales = new Float64Array(D).fill(1);
	const nNum = numIdx.length;
	const nCat = catIdx.length;
	const X = new Float64Array(n * nNum);
	const codes = new Int32Array(n * nCat);
	for (let q = 0; q < nNum; q++) {
		const col = columns[numIdx[q]];
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
			if (!Number.isNaN(v)) ss += (v - m) ** 2;
		}
		const sd = Math.sqrt(ss / Math.max(1, n)) || 1;
		means[slot[numIdx[q]]] = m;
		scales[slot[numIdx[q]]] = sd;
		for (let k = 0; k < n; k++) {
			const v = col[rows[k]];
			X[k * nNum + q] = Number.isNaN(v) ? 0 : (v - m) / sd;
		}
	}
	for (let q = 0; q < nCat; q++) {
		const f = catIdx[q];
		const k0 = cats[f];
		const counts = new Float64Array(k0);
		for (let k = 0; k < n; k++) {
			const v = columns[f][rows[k]];
			const code = Number.isNaN(v) ? -1 : Math.min(k0 - 1, Math.max(0, Math.trunc(v)));
			codes[k * nCat + q] = code;
			if (code >= 0) counts[code]++;
		}
		for (let c = 0; c < k0; c++) {
			const m = counts[c] / Math.max(1, n);
			means[slot[f] + c] = m;
			scales[slot[f] + c] = Math.sqrt(m * (1 - m)) || 1;
		}
	}
	const yy = new Float64Array(n);
	let pos = 0;
	for (let k = 0; k < n; k++) pos += yy[k] = y[rows[k]];
	const lambda = 1 / C;
	// Parameters: [intercept, w_0..w_{D-1}] on standardised features (slot j is parameter j + 1).
	const P = D + 1;
	const numSlot = Int32Array.from(numIdx, (f) => slot[f] + 1);
	const catSlot = Int32Array.from(catIdx, (f) => slot[f] + 1);
	const catCount = Int32Array.from(catIdx, (f) => cats[f]);
	const catBase = new Float64Array(nCat);
	const invScale = new Float64Array(P);
	for (let j = 1; j < P; j++) invScale[j] = 1 / scales[j - 1];
	const G = new Float64Array(P);

	/** Mean objective (C·Σ loss + ½‖w‖², divided by C·n) and its gradient into `grad`. */
	const evaluate = (w: Float64Array, grad: Float64Array): number => {
		for (let q = 0; q < nCat; q++) {
			let b = 0;
			const s0 = catSlot[q];
			for (let c = 0; c < catCount[q]; c++) b -= w[s0 + c] * means[s0 - 1 + c] * invScale[s0 + c];
			catBase[q] = b;
		}
		grad.fill(0);
		let loss = 0;
		let gSum = 0;
		for (let k = 0; k < n; k++) {
			let z = w[0];
			const xo = k * nNum;
			for (let q = 0; q < nNum; q++) z += w[numSlot[q]] * X[xo + q];
			const co = k * nCat;
			for (let q = 0; q < nCat; q++) {
				z += catBase[q];
				const code = codes[co + q];
				if (code >= 0) z += w[catSlot[q] + code] * invScale[catSlot[q] + code];
			}
			// log(1 + e^z) − y z, finite for large |z|
			loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - yy[k] * z;
			const g = sigmoid(z) - yy[k];
			gSum += g;
			grad[0] += g;
			for (let q = 0; q < nNum; q++) grad[numSlot[q]] += g * X[xo + q];
			for (let q = 0; q < nCat; q++) {
				const code = codes[co + q];
				if (code >= 0) G[catSlot[q] + code] += g;
			}
		}
		for (let q = 0; q < nCat; q++) {
			const s0 = catSlot[q];
			for (let c = 0; c < catCount[q]; c++) {
				const j = s0 + c;
				grad[j] = (G[j] - means[j - 1] * gSum) * invScale[j];
				G[j] = 0;
			}
		}
		let pen = 0;
		for (let j = 1; j < P; j++) {
			pen += w[j] * w[j];
			grad[j] += lambda * w[j];
		}
		const inv = 1 / Math.max(1, n);
		for (let j = 0; j < P; j++) grad[j] *= inv;
		return (loss + 0.5 * lambda * pen) * inv;
	};

	const w = new Float64Array(P);
	const rate = Math.min(1 - 1e-9, Math.max(1e-9, pos / Math.max(1, n)));
	w[0] = Math.log(rate / (1 - rate));
	const { iterations, converged } = lbfgs(evaluate, w, maxIter, tol);
	return {
		model: {
			intercept: w[0],
			coefficients: Array.from(w.subarray(1)),
			means: Array.from(means),
			scales: Array.from(scales),
			imputation: Array.from(means),
			...(nCat ? { categorical: columns.map((_, f) => cats[f] ?? 0) } : {}),
		},
		iterations,
		converged,
	};
}

/** L-BFGS (10 correction pairs) with Armijo backtracking; minimises `fg` in place from `w`. */
export function lbfgs(fg: (w: Float64Array, grad: Float64Array) => number, w: Float64Array, maxIter: number, tol: number): { iterations: number; converged: boolean } {
	const P = w.length;
	const m = 10;
	const S: Float64Array[] = [];
	const Yv: Float64Array[] = [];
	const rho: number[] = [];
	let g = new Float64Array(P);
	let f = fg(w, g);
	const d = new Float64Array(P);
	const alpha = new Float64Array(m + 1);
	const wNew = new Float64Array(P);
	let gNew = new Float64Array(P);
	const maxAbs = (v: Float64Array) => {
		let a = 0;
		for (let j = 0; j < v.length; j++) a = Math.max(a, Math.abs(v[j]));
		return a;
	};
	const dot = (a: Float64Array, b: Float64Array) => {
		let s = 0;
		for (let j = 0; j < P; j++) s += a[j] * b[j];
		return s;
	};
	for (let iter = 0; iter < maxIter; iter++) {
		if (maxAbs(g) < tol) return { iterations: iter, converged: true };
		// Two-loop recursion: d = −H·g.
		for (let j = 0; j < P; j++) d[j] = -g[j];
		for (let i = S.length - 1; i >= 0; i--) {
			const a = rho[i] * dot(S[i], d);
			alpha[i] = a;
			for (let j = 0; j < P; j++) d[j] -= a * Yv[i][j];
		}
		const last = S.length - 1;
		const gamma = last >= 0 ? dot(S[last], Yv[last]) / dot(Yv[last], Yv[last]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
		for (let j = 0; j < P; j++) d[j] *= gamma;
		for (let i = 0; i < S.length; i++) {
			const b = rho[i] * dot(Yv[i], d);
			for (let j = 0; j < P; j++) d[j] += S[i][j] * (alpha[i] - b);
		}
		let slope = dot(g, d);
		if (!(slope < 0)) {
			// Curvature pairs gone stale: restart from a scaled steepest-descent step.
			S.length = 0;
			Yv.length = 0;
			rho.length = 0;
			const scale = 1 / Math.max(1, Math.sqrt(dot(g, g)));
			for (let j = 0; j < P; j++) d[j] = -g[j] * scale;
			slope = dot(g, d);
		}
		let step = 1;
		let fNew = Infinity;
		for (let tries = 0; tries < 40; tries++) {
			for (let j = 0; j < P; j++) wNew[j] = w[j] + step * d[j];
			fNew = fg(wNew, gNew);
			if (fNew <= f + 1e-4 * step * slope) break;
			step *= 0.5;
		}
		// No decrease along a descent direction: at the optimum to machine precision.
		if (!(fNew <= f)) return { iterations: iter, converged: maxAbs(g) < tol * 100 };
		const s = new Float64Array(P);
		const yv = new Float64Array(P);
		for (let j = 0; j < P; j++) {
			s[j] = wNew[j] - w[j];
			yv[j] = gNew[j] - g[j];
		}
		const sy = dot(s, yv);
		w.set(wNew);
		const tmp = g;
		g = gNew;
		gNew = tmp;
		const decrease = f - fNew;
		f = fNew;
		if (sy > 1e-16) {
			S.push(s);
			Yv.push(yv);
			rho.push(1 / sy);
			if (S.length > m) {
				S.shift();
				Yv.shift();
				rho.shift();
			}
		}
		if (decrease <= 1e-15 * Math.max(1, Math.abs(f))) return { iterations: iter + 1, converged: maxAbs(g) < tol * 100 };
	}
	return { iterations: maxIter, converged: maxAbs(g) < tol };
}

const categoricalBase = new WeakMap<LogisticModel, Float64Array>();

/** Per source feature: its contribution when the row has no category (Σ −w m / s over its codes). */
function baseOf(model: LogisticModel): Float64Array {
	let b = categoricalBase.get(model);
	if (b) return b;
	const cats = model.categorical ?? [];
	b = new Float64Array(cats.length);
	let s = 0;
	for (let f = 0; f < cats.length; f++) {
		const k = cats[f] > 0 ? cats[f] : 1;
		if (cats[f] > 0) for (let c = 0; c < k; c++) b[f] -= (model.coefficients[s + c] * model.means[s + c]) / model.scales[s + c];
		s += k;
	}
	categoricalBase.set(model, b);
	return b;
}

/**
 * Log-odds for one row; fills `contrib[f]` with each source feature's push away from the reference
 * point (a categorical feature's one-hot slots summed into one contribution).
 */
export function logisticRaw(model: LogisticModel, x: ArrayLike<number>, contrib?: Float64Array): number {
	let z = model.intercept;
	const c = model.coefficients;
	if (!model.categorical) {
		for (let f = 0; f < c.length; f++) {
			const v = Number.isNaN(x[f]) ? model.imputation[f] : x[f];
			const t = (c[f] * (v - model.means[f])) / model.scales[f];
			z += t;
			if (contrib) contrib[f] = t;
		}
		return z;
	}
	const cats = model.categorical;
	const base = baseOf(model);
	let s = 0;
	for (let f = 0; f < cats.length; f++) {
		let t: number;
		if (cats[f] > 0) {
			t = base[f];
			const v = x[f];
			if (!Number.isNaN(v)) {
				const code = Math.min(cats[f] - 1, Math.max(0, Math.trunc(v)));
				t += c[s + code] / model.scales[s + code];
			}
			s += cats[f];
		} else {
			const v = Number.isNaN(x[f]) ? model.imputation[s] : x[f];
			t = (c[s] * (v - model.means[s])) / model.scales[s];
			s++;
		}
		z += t;
		if (contrib) contrib[f] = t;
	}
	return z;
}
