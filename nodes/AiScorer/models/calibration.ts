import { sigmoid } from './rng';

/** Maps a model's raw log-odds to a calibrated probability, fitted on rows the model did not train on. */
export type Calibration = { kind: 'none' } | { kind: 'platt'; a: number; b: number } | { kind: 'isotonic'; x: number[]; y: number[] };

/** Platt scaling: p = sigmoid(a * raw + b), fitted by Newton on log loss with Platt's label smoothing. */
export function fitPlatt(raw: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
	let pos = 0;
	for (let i = 0; i < labels.length; i++) pos += labels[i];
	const neg = labels.length - pos;
	const tHi = (pos + 1) / (pos + 2);
	const tLo = 1 / (neg + 2);
	const target = (i: number) => (labels[i] === 1 ? tHi : tLo);
	const loss = (a: number, b: number) => {
		let l = 0;
		for (let i = 0; i < raw.length; i++) {
			const z = a * raw[i] + b;
			const t = target(i);
			// log(1 + e^z) - t z, written to stay finite for large |z|
			l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
		}
		return l;
	};
	let a = 1;
	let b = 0;
	let current = loss(a, b);
	for (let iter = 0; iter < 100; iter++) {
		let ga = 0;
		let gb = 0;
		let haa = 1e-12;
		let hab = 0;
		let hbb = 1e-12;
		for (let i = 0; i < raw.length; i++) {
			const p = sigmoid(a * raw[i] + b);
			const g = p - target(i);
			const h = p * (1 - p);
			ga += g * raw[i];
			gb += g;
			haa += h * raw[i] * raw[i];
			hab += h * raw[i];
			hbb += h;
		}
		const det = haa * hbb - hab * hab;
		if (Math.abs(det) < 1e-18) break;
		const da = (hbb * ga - hab * gb) / det;
		const db = (haa * gb - hab * ga) / det;
		// Backtracking keeps Newton from overshooting when the start is far off.
		let step = 1;
		let next = loss(a - da, b - db);
		while (next > current && step > 1e-6) {
			step /= 2;
			next = loss(a - step * da, b - step * db);
		}
		if (next > current) break;
		a -= step * da;
		b -= step * db;
		const improved = current - next;
		current = next;
		if (improved < 1e-10 * Math.max(1, current)) break;
	}
	return { kind: 'platt', a, b };
}

/** Isotonic regression (pool adjacent violators) of the label on the raw score. */
export function fitIsotonic(raw: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
	const order = Array.from({ length: raw.length }, (_, i) => i).sort((p, q) => raw[p] - raw[q]);
	const xs: number[] = [];
	const ys: number[] = [];
	const ws: number[] = [];
	for (const i of order) {
		xs.push(raw[i]);
		ys.push(labels[i]);
		ws.push(1);
		while (ys.length > 1 && ys[ys.length - 2] >= ys[ys.length - 1]) {
			const w = ws[ws.length - 2] + ws[ws.length - 1];
			const yv = (ys[ys.length - 2] * ws[ws.length - 2] + ys[ys.length - 1] * ws[ws.length - 1]) / w;
			const xv = xs[xs.length - 1];
			xs.pop();
			ys.pop();
			ws.pop();
			xs[xs.length - 1] = xv;
			ys[ys.length - 1] = yv;
			ws[ws.length - 1] = w;
		}
	}
	// Keep probabilities away from exact 0/1 so log loss stays finite on unseen rows.
	return { kind: 'isotonic', x: xs, y: ys.map((v) => Math.min(0.999, Math.max(0.001, v))) };
}

export function applyCalibration(cal: Calibration | undefined, raw: number): number {
	if (!cal || cal.kind === 'none') return sigmoid(raw);
	if (cal.kind === 'platt') return sigmoid(cal.a * raw + cal.b);
	const { x, y } = cal;
	if (x.length === 0) return sigmoid(raw);
	if (raw <= x[0]) return y[0];
	if (raw >= x[x.length - 1]) return y[y.length - 1];
	let lo = 0;
	let hi = x.length - 1;
	while (hi - lo > 1) {
		const mid = (lo + hi) >> 1;
		if (x[mid] <= raw) lo = mid;
		else hi = mid;
	}
	const t = x[hi] === x[lo] ? 0 : (raw - x[lo]) / (x[hi] - x[lo]);
	return y[lo] + t * (y[hi] - y[lo]);
}
