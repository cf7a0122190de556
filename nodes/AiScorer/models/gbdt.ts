import { shuffledIndices, sigmoid } from './rng';
import { logLoss } from './metrics';

/**
 * Histogram-based gradient-boosted trees for binary log loss, after scikit-learn's
 * HistGradientBoostingClassifier: features quantised into at most 255 bins (missing values get bin 0
 * and go left), leaf-wise growth up to `maxLeafNodes`, histogram subtraction for the larger child,
 * Newton leaf values with L2, shrinkage, and early stopping on a held-out validation fold.
 *
 * Trees are stored as flat arrays with raw-value thresholds so scoring needs no bin tables.
 */
export interface GbdtTree {
	/** Split feature per node, -1 for a leaf. */
	feature: number[];
	/** Go left when value <= threshold or the value is missing. */
	threshold: number[];
	left: number[];
	right: number[];
	/** Shrunk Newton value of every node (internal ones too, for per-feature contributions). */
	value: number[];
	/**
	 * Native categorical splits: for such a node, the category codes that go left (-1 = missing);
	 * every other code, unseen and "other" included, goes right. null for numeric splits.
	 */
	categories?: Array<number[] | null>;
	/**
	 * 1 where a numeric split sends missing values right (learned, as scikit-learn does: both sides
	 * are tried); absent or 0: missing goes left, as in every model trained before this field existed.
	 */
	missingRight?: number[];
}

export interface GbdtModel {
	baseScore: number;
	trees: GbdtTree[];
}

export interface GbdtParams {
	maxIter?: number;
	learningRate?: number;
	maxLeafNodes?: number;
	minSamplesLeaf?: number;
	l2?: number;
	maxBins?: number;
	/** Default: on when more than 10,000 rows (as scikit-learn's 'auto'). */
	earlyStopping?: boolean;
	validationFraction?: number;
	nIterNoChange?: number;
	tol?: number;
	seed?: number;
	/**
	 * Per feature: number of category codes (0..k-1, NaN = missing) for a categorical feature, 0 for a
	 * numeric one. Categorical features get native splits: at each node the categories are sorted by
	 * gradient/hessian ratio and the best prefix goes left (as HistGradientBoosting and LightGBM do).
	 */
	categorical?: number[];
	/** Validation rows chosen by the caller (e.g. the latest bookings); default: a seeded random fold. */
	validationRows?: Uint32Array;
}

export interface GbdtFitResult {
	model: GbdtModel;
	/** Rows held out for early stopping (usable for calibration). */
	validationRows: Uint32Array;
	iterations: number;
}

const MAX_BINS = 256;
/** Categorical splits: least rows for a category to be ordered (scikit-learn's MIN_CAT_SUPPORT), most categories sent left. */
const MIN_CAT_SUPPORT = 10;
const MAX_CAT_THRESHOLD = 64;

interface Binned {
	/**
	 * Column-major: feature f of row r at f * n + r. Histograms are built one feature at a time (a
	 * feature's bins fit in the first-level cache) and a partition reads one feature: both then stream
	 * through one column in ascending row order, as scikit-learn's Fortran-ordered bins do.
	 */
	bins: Uint8Array;
	thresholds: Float64Array[];
	nBins: number[];
}

function binColumns(columns: Float64Array[], rows: ArrayLike<number>, maxBins: number, categorical: number[] = []): Binned {
	const n = columns[0]?.length ?? 0;
	const nf = columns.length;
	const bins = new Uint8Array(nf * n);
	const thresholds: Float64Array[] = [];
	const nBins: number[] = [];
	for (let f = 0; f < nf; f++) {
		const col = columns[f];
		const k = categorical[f] ?? 0;
		if (k > 0) {
			// Bin = code + 1 (0 = missing); codes past the range share the last ("other") bin.
			thresholds.push(new Float64Array(0));
			nBins.push(k + 1);
			for (let i = 0; i < n; i++) {
				const v = col[i];
				bins[f * n + i] = Number.isNaN(v) ? 0 : Math.min(k - 1, Math.max(0, Math.trunc(v))) + 1;
			}
			continue;
		}
		// Bin edges from at most 200k training rows, like scikit-learn's subsample.
		const stride = Math.max(1, Math.floor(rows.length / 200000));
		const sample = new Float64Array(Math.ceil(rows.length / stride));
		let m = 0;
		for (let k = 0; k < rows.length; k += stride) {
			const v = col[rows[k]];
			if (!Number.isNaN(v)) sample[m++] = v;
		}
		const sorted = sample.subarray(0, m).sort();
		const distinct: number[] = [];
		for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
		let t: number[] = [];
		if (distinct.length <= maxBins - 1) {
			for (let i = 0; i + 1 < distinct.length; i++) t.push((distinct[i] + distinct[i + 1]) / 2);
		} else {
			const m = maxBins - 2;
			for (let q = 1; q <= m; q++) {
				const pos = (q / (m + 1)) * (sorted.length - 1);
				const lo = Math.floor(pos);
				const v = sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
				if (t.length === 0 || v > t[t.length - 1]) t.push(v);
			}
		}
		t = t.filter((v) => Number.isFinite(v));
		const th = Float64Array.from(t);
		thresholds.push(th);
		nBins.push(th.length + 2);
		for (let i = 0; i < n; i++) {
			const v = col[i];
			if (Number.isNaN(v)) {
				bins[f * n + i] = 0;
				continue;
			}
			let lo = 0;
			let hi = th.length;
			while (lo < hi) {
				const mid = (lo + hi) >> 1;
				if (th[mid] < v) lo = mid + 1;
				else hi = mid;
			}
			bins[f * n + i] = lo + 1;
		}
	}
	return { bins, thresholds, nBins };
}

interface Leaf {
	node: number;
	start: number;
	end: number;
	g: number;
	h: number;
	hist: Float64Array; // per feature per bin: grad, hess, count
	split?: { feature: number; bin: number; gain: number; gl: number; hl: number; cl: number; leftBins?: Uint8Array; missingRight?: boolean };
	depth: number;
}

export function fitGbdt(columns: Float64Array[], y: ArrayLike<number>, rows: ArrayLike<number>, params: GbdtParams = {}): GbdtFitResult {
	const maxIter = params.maxIter ?? 100;
	const lr = params.learningRate ?? 0.1;
	const maxLeaves = params.maxLeafNodes ?? 31;
	const minLeaf = params.minSamplesLeaf ?? 20;
	const l2 = params.l2 ?? 0;
	const maxBins = Math.min(255, params.maxBins ?? 255);
	const early = params.earlyStopping ?? rows.length > 10000;
	const nIterNoChange = params.nIterNoChange ?? 10;
	const tol = params.tol ?? 1e-7;
	const nf = columns.length;
	const n = columns[0]?.length ?? 0;

	const categorical = params.categorical ?? [];
	if (categorical.some((k) => k > MAX_BINS - 1)) throw new Error(`a categorical feature has more than ${MAX_BINS - 2} categories`);
	let trainRows: Uint32Array;
	let valRows: Uint32Array = new Uint32Array(0);
	if (early && params.validationRows?.length) {
		valRows = params.validationRows;
		const inVal = new Set(valRows);
		const rest: number[] = [];
		for (let k = 0; k < rows.length; k++) if (!inVal.has(rows[k])) rest.push(rows[k]);
		trainRows = Uint32Array.from(rest);
	} else if (early) {
		const perm = shuffledIndices(rows.length, params.seed ?? 42);
		const nVal = Math.max(1, Math.floor(rows.length * (params.validationFraction ?? 0.1)));
		valRows = new Uint32Array(nVal);
		trainRows = new Uint32Array(rows.length - nVal);
		for (let k = 0; k < nVal; k++) valRows[k] = rows[perm[k]];
		for (let k = nVal; k < rows.length; k++) trainRows[k - nVal] = rows[perm[k]];
	} else {
		trainRows = Uint32Array.from(rows as ArrayLike<number>);
	}
	// Ascending row order, kept within every leaf by the stable partition below: the histogram and
	// partition loops then walk the bins, gradients and hessians forwards through memory instead of
	// jumping at random (at 100,000 rows random order made them several times slower, cache misses).
	trainRows.sort();
	const binned = binColumns(columns, trainRows, maxBins, categorical);
	const order = new Int32Array(MAX_BINS);
	const ratio = new Float64Array(MAX_BINS);
	const bestCatOrder = new Int32Array(MAX_BINS);
	const B = binned.bins;

	let pos = 0;
	for (let k = 0; k < trainRows.length; k++) pos += y[trainRows[k]];
	const prior = Math.min(1 - 1e-9, Math.max(1e-9, pos / Math.max(1, trainRows.length)));
	const baseScore = Math.log(prior / (1 - prior));

	const raw = new Float64Array(n).fill(baseScore);
	const grad = new Float64Array(n);
	const hess = new Float64Array(n);
	const trees: GbdtTree[] = [];
	const idx = new Uint32Array(trainRows);
	const rightScratch = new Uint32Array(trainRows.length);
	// Histogram layout: feature f's bins start at hOff[f] (sized to its own bin count, so a
	// categorical or low-cardinality feature does not pay for 256 bins). Freed histograms are pooled:
	// allocating one per leaf made the garbage collector the largest cost on small data.
	const hOff = new Int32Array(nf + 1);
	for (let f = 0; f < nf; f++) hOff[f + 1] = hOff[f] + binned.nBins[f] * 3;
	const histSize = hOff[nf];
	const pool: Float64Array[] = [];
	const newHist = (): Float64Array => {
		const h = pool.pop();
		if (h) {
			h.fill(0);
			return h;
		}
		return new Float64Array(histSize);
	};

	let bestLoss = Infinity;
	let bestIter = 0;
	let sinceBest = 0;
	const valProbs = new Float64Array(valRows.length);
	const valLabels = new Float64Array(valRows.length);
	for (let k = 0; k < valRows.length; k++) valLabels[k] = y[valRows[k]];

	// Gradients and hessians of a leaf's rows gathered contiguous once, then read by every feature.
	const ordGrad = new Float64Array(trainRows.length);
	const ordHess = new Float64Array(trainRows.length);
	const buildHist = (start: number, end: number): Float64Array => {
		const hist = newHist();
		fillHistogram(hist, idx, start, end, grad, hess, ordGrad, ordHess, B, n, hOff);
		return hist;
	};

	const findSplit = (leaf: Leaf): void => {
		const G = leaf.g;
		const H = leaf.h;
		const C = leaf.end - leaf.start;
		if (C < 2 * minLeaf) return;
		const parentScore = (G * G) / (H + l2);
		// A category's support is its share of the node's hessian in rows (scikit-learn's support
		// factor): rows the model is already sure about weigh less, so a category of near-certain rows
		// needs more of them to be ordered.
		const supportFactor = C / H;
		// The best split so far in scalars: an object per improvement was garbage-collector work.
		let bFeature = -1;
		let bBin = 0;
		let bGain = -Infinity;
		let bGl = 0;
		let bHl = 0;
		let bCl = 0;
		let bMissingRight = false;
		let bestCatCount = 0;
		for (let f = 0; f < nf; f++) {
			const hoff = hOff[f];
			const nb = binned.nBins[f];
			if ((categorical[f] ?? 0) > 0) {
				// As scikit-learn: only categories with at least MIN_CAT_SUPPORT rows in this node are
				// ordered and may go left (rarer ones go right with unseen ones, so a handful of rows
				// cannot carve out a branch), and the left set is at most half of them, taken from either
				// end of the order.
				let m = 0;
				for (let b = 0; b < nb; b++) {
					const o = hoff + b * 3;
					if (leaf.hist[o + 1] * supportFactor < MIN_CAT_SUPPORT) continue;
					ratio[b] = leaf.hist[o] / (leaf.hist[o + 1] + MIN_CAT_SUPPORT);
					order[m++] = b;
				}
				if (m < 2) continue;
				// Insertion sort by ratio (ties by bin): at most 255 bins, and no closure or array per call.
				for (let i = 1; i < m; i++) {
					const b = order[i];
					let j = i - 1;
					while (j >= 0 && (ratio[order[j]] > ratio[b] || (ratio[order[j]] === ratio[b] && order[j] > b))) {
						order[j + 1] = order[j];
						j--;
					}
					order[j + 1] = b;
				}
				for (let direction = 0; direction < 2; direction++) {
					// Forwards up to the middle, backwards one short of it: a split with equal halves is
					// looked at once.
					const limit = Math.min(MAX_CAT_THRESHOLD, ((m + 1) >> 1) - direction);
					let gl = 0;
					let hl = 0;
					let cl = 0;
					for (let i = 0; i < limit; i++) {
						const o = hoff + order[direction === 0 ? i : m - 1 - i] * 3;
						gl += leaf.hist[o];
						hl += leaf.hist[o + 1];
						cl += leaf.hist[o + 2];
						if (cl < minLeaf) continue;
						const cr = C - cl;
						if (cr < minLeaf) break;
						const hr = H - hl;
						if (hl < 1e-3 || hr < 1e-3) continue;
						const gain = splitGain(gl, hl, G - gl, hr, l2, parentScore);
						if (gain > bGain) {
							bFeature = f;
							bBin = -1;
							bGain = gain;
							bGl = gl;
							bHl = hl;
							bCl = cl;
							bMissingRight = false;
							bestCatCount = i + 1;
							for (let q = 0; q <= i; q++) bestCatOrder[q] = order[direction === 0 ? q : m - 1 - q];
						}
					}
				}
				continue;
			}
			// Missing values (bin 0) on the left, then on the right when the node has any: the split
			// learns which side missing values belong to.
			const missingCount = leaf.hist[hoff + 2];
			for (let pass = 0; pass < (missingCount > 0 ? 2 : 1); pass++) {
				const right = pass === 1;
				let gl = 0;
				let hl = 0;
				let cl = 0;
				for (let b = right ? 1 : 0; b < nb - 1; b++) {
					const o = hoff + b * 3;
					gl += leaf.hist[o];
					hl += leaf.hist[o + 1];
					cl += leaf.hist[o + 2];
					if (cl < minLeaf) continue;
					const cr = C - cl;
					if (cr < minLeaf) break;
					const hr = H - hl;
					if (hl < 1e-3 || hr < 1e-3) continue;
					const gain = splitGain(gl, hl, G - gl, hr, l2, parentScore);
					if (gain > bGain) {
						bFeature = f;
						bBin = b;
						bGain = gain;
						bGl = gl;
						bHl = hl;
						bCl = cl;
						bMissingRight = right;
					}
				}
			}
		}
		if (bFeature >= 0 && bGain > 1e-12) {
			const best: NonNullable<Leaf['split']> = { feature: bFeature, bin: bBin, gain: bGain, gl: bGl, hl: bHl, cl: bCl, missingRight: bMissingRight, leftBins: undefined };
			if (best.bin === -1) {
				best.leftBins = new Uint8Array(MAX_BINS);
				for (let q = 0; q < bestCatCount; q++) best.leftBins[bestCatOrder[q]] = 1;
			}
			leaf.split = best;
		}
	};

	for (let iter = 0; iter < maxIter; iter++) {
		logLossGradients(trainRows, raw, y, grad, hess);
		const tree: GbdtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
		const binThreshold: number[] = [];
		const binSets: Array<Uint8Array | undefined> = [];
		const cats: Array<number[] | null> = [];
		const missRight: number[] = [];
		const addNode = (g: number, h: number): number => {
			tree.feature.push(-1);
			tree.threshold.push(0);
			binSets.push(undefined);
			cats.push(null);
			missRight.push(0);
			tree.left.push(-1);
			tree.right.push(-1);
			tree.value.push((-g / (h + l2)) * lr);
			binThreshold.push(0);
			return tree.feature.length - 1;
		};
		let G0 = 0;
		let H0 = 0;
		for (let k = 0; k < idx.length; k++) {
			G0 += grad[idx[k]];
			H0 += hess[idx[k]];
		}
		const root: Leaf = { node: addNode(G0, H0), start: 0, end: idx.length, g: G0, h: H0, hist: buildHist(0, idx.length), depth: 0, split: undefined };
		findSplit(root);
		const open: Leaf[] = [root];
		const finished: Leaf[] = [];
		let nLeaves = 1;
		while (nLeaves < maxLeaves) {
			let bi = -1;
			for (let i = 0; i < open.length; i++) if (open[i].split && (bi < 0 || open[i].split!.gain > open[bi].split!.gain)) bi = i;
			if (bi < 0) break;
			const leaf = open.splice(bi, 1)[0];
			const s = leaf.split!;
			// Stable partition of the leaf's rows: left (bin <= s.bin, or in the left category set)
			// first, each side in its original ascending order (the right side through a scratch buffer).
			const sf = s.feature;
			const lb = s.leftBins;
			const mr = s.missingRight === true;
			const sBin = s.bin;
			const sfBase = sf * n;
			const mid = lb ? partitionBySet(idx, rightScratch, leaf.start, leaf.end, B, sfBase, lb) : partitionByBin(idx, rightScratch, leaf.start, leaf.end, B, sfBase, sBin, mr);
			const gl = s.gl;
			const hl = s.hl;
			const gr = leaf.g - gl;
			const hr = leaf.h - hl;
			const leftNode = addNode(gl, hl);
			const rightNode = addNode(gr, hr);
			tree.feature[leaf.node] = s.feature;
			const th = binned.thresholds[s.feature];
			// Bin b (>=1) holds values in (th[b-2], th[b-1]]; "bin <= s.bin" is "value <= th[s.bin-1]".
			if (lb) {
				binSets[leaf.node] = lb;
				const codes: number[] = [];
				for (let b = 0; b < binned.nBins[sf]; b++) if (lb[b]) codes.push(b - 1);
				cats[leaf.node] = codes;
			} else tree.threshold[leaf.node] = s.bin === 0 ? -Infinity : th[s.bin - 1];
			binThreshold[leaf.node] = s.bin;
			if (mr) missRight[leaf.node] = 1;
			tree.left[leaf.node] = leftNode;
			tree.right[leaf.node] = rightNode;
			const leftLeaf: Leaf = { node: leftNode, start: leaf.start, end: mid, g: gl, h: hl, hist: leaf.hist, depth: leaf.depth + 1, split: undefined };
			const rightLeaf: Leaf = { node: rightNode, start: mid, end: leaf.end, g: gr, h: hr, hist: leaf.hist, depth: leaf.depth + 1, split: undefined };
			const smallIsLeft = mid - leaf.start <= leaf.end - mid;
			const small = smallIsLeft ? leftLeaf : rightLeaf;
			const large = smallIsLeft ? rightLeaf : leftLeaf;
			small.hist = buildHist(small.start, small.end);
			const parentHist = leaf.hist;
			subtractInPlace(parentHist, small.hist);
			large.hist = parentHist;
			nLeaves++;
			for (const child of [leftLeaf, rightLeaf]) {
				if (nLeaves < maxLeaves) findSplit(child);
				open.push(child);
			}
		}
		finished.push(...open);
		for (const leaf of finished) addToRows(raw, idx, leaf.start, leaf.end, tree.value[leaf.node]);
		// Freed histograms are large; drop references before the next tree.
		for (const leaf of finished) {
			if (leaf.hist.length === histSize) pool.push(leaf.hist);
			leaf.hist = new Float64Array(0);
		}
		if (cats.some((c) => c !== null)) tree.categories = cats;
		if (missRight.some((v) => v === 1)) tree.missingRight = missRight;
		trees.push(tree);

		if (early) {
			for (let k = 0; k < valRows.length; k++) {
				const r = valRows[k];
				raw[r] += treeRawBinned(tree, binThreshold, binSets, missRight, B, n, r);
				valProbs[k] = sigmoid(raw[r]);
			}
			const loss = logLoss(valProbs, valLabels);
			if (loss < bestLoss - tol) {
				bestLoss = loss;
				bestIter = iter + 1;
				sinceBest = 0;
			} else if (++sinceBest >= nIterNoChange) break;
		}
	}
	const kept = early ? trees.slice(0, Math.max(1, bestIter)) : trees;
	return { model: { baseScore, trees: kept }, validationRows: valRows, iterations: kept.length };
}

// The training loops below are small module-level functions rather than code inside fitGbdt: V8
// optimises a small function after a few calls, while a loop inside one large function waits for
// that function's on-stack replacement, so a fresh process (the evaluate command, a node's first
// Train) ran most of its first fit unoptimised.

/**
 * Loss reduction of a split (XGBoost's equation 7, as scikit-learn's _split_gain): the children's
 * G²/(H + λ) less the parent's. Both the numeric and the categorical scans use it.
 */
function splitGain(gl: number, hl: number, gr: number, hr: number, l2: number, parentScore: number): number {
	return (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
}

/** Log-loss gradient and hessian of every training row at the current raw scores. */
function logLossGradients(rows: Uint32Array, raw: Float64Array, y: ArrayLike<number>, grad: Float64Array, hess: Float64Array): void {
	for (let k = 0; k < rows.length; k++) {
		const r = rows[k];
		const p = sigmoid(raw[r]);
		grad[r] = p - y[r];
		hess[r] = Math.max(p * (1 - p), 1e-16);
	}
}

/**
 * Gradient, hessian and row-count histogram of rows idx[start..end), one feature at a time (a
 * feature's bins fit in the first-level cache); the rows' gradients are first gathered contiguous.
 */
function fillHistogram(
	hist: Float64Array,
	idx: Uint32Array,
	start: number,
	end: number,
	grad: Float64Array,
	hess: Float64Array,
	ordGrad: Float64Array,
	ordHess: Float64Array,
	B: Uint8Array,
	n: number,
	hOff: Int32Array,
): void {
	const len = end - start;
	for (let k = 0; k < len; k++) {
		const r = idx[start + k];
		ordGrad[k] = grad[r];
		ordHess[k] = hess[r];
	}
	const nf = hOff.length - 1;
	// Four features per pass over the rows: a quarter of the loads of the row index and its gradients.
	let f = 0;
	for (; f + 3 < nf; f += 4) {
		const base1 = f * n;
		const base2 = base1 + n;
		const base3 = base2 + n;
		const base4 = base3 + n;
		const ho1 = hOff[f];
		const ho2 = hOff[f + 1];
		const ho3 = hOff[f + 2];
		const ho4 = hOff[f + 3];
		for (let k = 0; k < len; k++) {
			const r = idx[start + k];
			const g = ordGrad[k];
			const h = ordHess[k];
			const b1 = ho1 + B[base1 + r] * 3;
			hist[b1] += g;
			hist[b1 + 1] += h;
			hist[b1 + 2] += 1;
			const b2 = ho2 + B[base2 + r] * 3;
			hist[b2] += g;
			hist[b2 + 1] += h;
			hist[b2 + 2] += 1;
			const b3 = ho3 + B[base3 + r] * 3;
			hist[b3] += g;
			hist[b3 + 1] += h;
			hist[b3 + 2] += 1;
			const b4 = ho4 + B[base4 + r] * 3;
			hist[b4] += g;
			hist[b4 + 1] += h;
			hist[b4 + 2] += 1;
		}
	}
	for (; f < nf; f++) {
		const base = f * n;
		const ho = hOff[f];
		for (let k = 0; k < len; k++) {
			const b = ho + B[base + idx[start + k]] * 3;
			hist[b] += ordGrad[k];
			hist[b + 1] += ordHess[k];
			hist[b + 2] += 1;
		}
	}
}

/** parent -= child, element by element: the larger child's histogram from its parent's. */
function subtractInPlace(parent: Float64Array, child: Float64Array): void {
	for (let k = 0; k < parent.length; k++) parent[k] -= child[k];
}

/**
 * Stable partition of idx[start..end) by a numeric split: rows going left first, each side in its
 * original ascending order (the right side through a scratch buffer). Returns the first right index.
 */
function partitionByBin(idx: Uint32Array, scratch: Uint32Array, start: number, end: number, B: Uint8Array, base: number, bin: number, missingRight: boolean): number {
	let nLeft = start;
	let nRight = 0;
	for (let k = start; k < end; k++) {
		const r = idx[k];
		const b = B[base + r];
		if (b <= bin && (b !== 0 || !missingRight)) idx[nLeft++] = r;
		else scratch[nRight++] = r;
	}
	idx.set(scratch.subarray(0, nRight), nLeft);
	return nLeft;
}

/** The same for a categorical split: rows whose bin is in the left set go left. */
function partitionBySet(idx: Uint32Array, scratch: Uint32Array, start: number, end: number, B: Uint8Array, base: number, leftBins: Uint8Array): number {
	let nLeft = start;
	let nRight = 0;
	for (let k = start; k < end; k++) {
		const r = idx[k];
		if (leftBins[B[base + r]] === 1) idx[nLeft++] = r;
		else scratch[nRight++] = r;
	}
	idx.set(scratch.subarray(0, nRight), nLeft);
	return nLeft;
}

/** raw[r] += value for the rows of one leaf. */
function addToRows(raw: Float64Array, idx: Uint32Array, start: number, end: number, value: number): void {
	for (let k = start; k < end; k++) raw[idx[k]] += value;
}

function treeRawBinned(tree: GbdtTree, binThreshold: number[], binSets: Array<Uint8Array | undefined>, missRight: number[], B: Uint8Array, n: number, r: number): number {
	let node = 0;
	while (tree.feature[node] >= 0) {
		const b = B[tree.feature[node] * n + r];
		const set = binSets[node];
		node = (set ? set[b] === 1 : b <= binThreshold[node] && (b !== 0 || missRight[node] !== 1)) ? tree.left[node] : tree.right[node];
	}
	return tree.value[node];
}

/**
 * Reference scorer: walks the JSON trees as stored. Scoring uses the compiled form below; this one
 * stays as the definition the compiled form is tested against.
 *
 * Log-odds for one row. With `contrib`, also each feature's share of it (Saabas path attribution:
 * the change in node value at every split is credited to the split's feature).
 */
export function gbdtRawReference(model: GbdtModel, x: ArrayLike<number>, contrib?: Float64Array): number {
	let z = model.baseScore;
	const trees = model.trees;
	for (let t = 0; t < trees.length; t++) {
		const tr = trees[t];
		const feature = tr.feature;
		const threshold = tr.threshold;
		let node = 0;
		if (contrib) z += tr.value[0];
		while (feature[node] >= 0) {
			const f = feature[node];
			const v = x[f];
			const set = tr.categories?.[node];
			const missingLeft = tr.missingRight?.[node] !== 1;
			const next = set ? (set.includes(v !== v ? -1 : v) ? tr.left[node] : tr.right[node]) : v <= threshold[node] || (v !== v && missingLeft) ? tr.left[node] : tr.right[node];
			if (contrib) contrib[f] += tr.value[next] - tr.value[node];
			node = next;
		}
		if (!contrib) z += tr.value[node];
		else z += tr.value[node] - tr.value[0];
	}
	return z;
}

/**
 * A whole forest in flat typed arrays, compiled once per model. Every tree is re-laid out breadth-first
 * with a node's right child directly after its left one, so one set of arrays serves all trees and the
 * walk reads three arrays per level. (A branch-free step, `left + (value > threshold)`, measured
 * slower in V8 than the plain conditional: speculation hides the load chain.) The differences the reference
 * computes on the fly (child value − parent value, leaf value − root value) are stored precomputed,
 * as the same doubles, so scores and contributions are bit-for-bit those of `gbdtRawReference`.
 */
export interface CompiledForest {
	nTrees: number;
	/** Number of features the splits read (highest feature index + 1). */
	nFeatures: number;
	baseScore: number;
	/** Global node index of every tree's root. */
	roots: Int32Array;
	/** Split feature, -1 for a leaf. */
	feature: Int32Array;
	/** Left when value <= threshold; missing values are mapped to -Infinity before the walk. */
	threshold: Float64Array;
	/** Left child; the right child is `left + 1`. */
	left: Int32Array;
	/** Node value (used at leaves for the score). */
	value: Float64Array;
	/** value[node] − value[parent] (0 at a root): the Saabas credit for taking this edge. */
	delta: Float64Array;
	/** value[node] − value[root] for leaves. */
	leafMinusRoot: Float64Array;
	/** value[root] per tree. */
	rootValue: Float64Array;
	/** Per-row scratch: the row with NaN replaced by -Infinity (reused, never returned). */
	scratch: Float64Array;
	/** Categorical split per node: offset into `catBits`, -1 for a numeric split. null when none. */
	catOffset: Int32Array | null;
	/** Bitmap length per categorical node (codes + 1; index 0 = missing). */
	catLength: Int32Array | null;
	/** 1 where the category (index = code + 1) goes left. */
	catBits: Uint8Array | null;
	/** 1 where a numeric split sends missing values right. null when none does. */
	missingRight: Uint8Array | null;
}

const compiled = new WeakMap<GbdtModel, CompiledForest>();

/** Compiles (or returns the cached compilation of) a model. Throws on trees that are not trees. */
export function compileGbdt(model: GbdtModel): CompiledForest {
	const hit = compiled.get(model);
	if (hit && hit.nTrees === model.trees.length) return hit;
	let total = 0;
	for (const tr of model.trees) total += tr.feature.length;
	const feature = new Int32Array(total);
	const threshold = new Float64Array(total);
	const left = new Int32Array(total);
	const value = new Float64Array(total);
	const delta = new Float64Array(total);
	const leafMinusRoot = new Float64Array(total);
	const roots = new Int32Array(model.trees.length);
	const rootValue = new Float64Array(model.trees.length);
	const anyCats = model.trees.some((tr) => tr.categories?.some((c) => c !== null && c !== undefined));
	const anyMissingRight = model.trees.some((tr) => tr.missingRight?.some((v) => Number(v) === 1));
	// Either kind of split needs the general walk, which reads both tables.
	const general = anyCats || anyMissingRight;
	const catOffset = general ? new Int32Array(total).fill(-1) : null;
	const catLength = general ? new Int32Array(total) : null;
	const bits: number[] = [];
	const missingRight = general ? new Uint8Array(total) : null;
	let nFeatures = 0;
	let next = 0;
	const queue: number[] = [];
	const slots: number[] = [];
	for (let t = 0; t < model.trees.length; t++) {
		const tr = model.trees[t];
		const n = tr.feature.length;
		if (n === 0) throw new Error(`tree ${t} has no nodes`);
		const seen = new Uint8Array(n);
		const v0 = Number(tr.value[0]);
		roots[t] = next;
		rootValue[t] = v0;
		queue.length = 0;
		slots.length = 0;
		queue.push(0);
		slots.push(next++);
		seen[0] = 1;
		delta[roots[t]] = 0;
		for (let q = 0; q < queue.length; q++) {
			const src = queue[q];
			const dst = slots[q];
			const f = Number(tr.feature[src]);
			const v = Number(tr.value[src]);
			value[dst] = v;
			if (f < 0) {
				feature[dst] = -1;
				leafMinusRoot[dst] = v - v0;
				continue;
			}
			const l = Number(tr.left[src]);
			const r = Number(tr.right[src]);
			for (const c of [l, r]) {
				if (!Number.isInteger(c) || c < 0 || c >= n || seen[c]) throw new Error(`tree ${t} node ${src} has an invalid child ${c}`);
				seen[c] = 1;
			}
			const th = tr.threshold[src] as number | null;
			const set = tr.categories?.[src];
			if (set && catOffset && catLength) {
				let max = -1;
				for (const code of set) {
					if (!Number.isInteger(code) || code < -1 || code > 1e6) throw new Error(`tree ${t} node ${src} has an invalid category ${code}`);
					if (code > max) max = code;
				}
				catOffset[dst] = bits.length;
				catLength[dst] = max + 2;
				const start = bits.length;
				for (let i = 0; i < max + 2; i++) bits.push(0);
				for (const code of set) bits[start + code + 1] = 1;
			}
			if (missingRight && Number(tr.missingRight?.[src]) === 1) missingRight[dst] = 1;
			feature[dst] = f;
			// null is how JSON stores -Infinity ("missing values only" split).
			threshold[dst] = th === null || Number.isNaN(th) ? -Infinity : th;
			left[dst] = next;
			queue.push(l, r);
			slots.push(next, next + 1);
			delta[next] = Number(tr.value[l]) - v;
			delta[next + 1] = Number(tr.value[r]) - v;
			next += 2;
			if (f + 1 > nFeatures) nFeatures = f + 1;
		}
	}
	const forest: CompiledForest = {
		nTrees: model.trees.length,
		nFeatures,
		baseScore: model.baseScore,
		roots,
		// Unreachable nodes of malformed input are dropped; `next` counts the reachable ones.
		feature: feature.subarray(0, next),
		threshold: threshold.subarray(0, next),
		left: left.subarray(0, next),
		value: value.subarray(0, next),
		delta: delta.subarray(0, next),
		leafMinusRoot: leafMinusRoot.subarray(0, next),
		rootValue,
		scratch: new Float64Array(nFeatures),
		catOffset: catOffset ? catOffset.subarray(0, next) : null,
		catLength: catLength ? catLength.subarray(0, next) : null,
		catBits: general ? Uint8Array.from(bits) : null,
		missingRight: missingRight ? missingRight.subarray(0, next) : null,
	};
	compiled.set(model, forest);
	return forest;
}

/**
 * Log-odds for one row. With `contrib`, also each feature's share of it (Saabas path attribution:
 * the change in node value at every split is credited to the split's feature). Same result as
 * `gbdtRawReference`, from the compiled forest; allocates nothing per row.
 */
export function gbdtRaw(model: GbdtModel, x: ArrayLike<number>, contrib?: Float64Array): number {
	const c = compileGbdt(model);
	const xs = c.scratch;
	if (c.catOffset) {
		// Missing stays NaN here: a split may send it right, unlike a real -Infinity.
		for (let f = 0; f < xs.length; f++) {
			const v = x[f];
			xs[f] = v === undefined ? Infinity : v;
		}
		return gbdtRawGeneral(c, xs, contrib);
	}
	for (let f = 0; f < xs.length; f++) {
		const v = x[f];
		// Missing goes left, as does -Infinity against any threshold: one comparison covers both. A
		// feature beyond the row's length goes right, as it does in the reference walk.
		xs[f] = v !== v ? (v === undefined ? Infinity : -Infinity) : v;
	}
	const feature = c.feature;
	const threshold = c.threshold;
	const left = c.left;
	const roots = c.roots;
	let z = c.baseScore;
	if (!contrib) {
		const value = c.value;
		for (let t = 0; t < roots.length; t++) {
			let node = roots[t];
			let f = feature[node];
			while (f >= 0) {
				node = xs[f] > threshold[node] ? left[node] + 1 : left[node];
				f = feature[node];
			}
			z += value[node];
		}
		return z;
	}
	const delta = c.delta;
	const leafMinusRoot = c.leafMinusRoot;
	const rootValue = c.rootValue;
	for (let t = 0; t < roots.length; t++) {
		let node = roots[t];
		z += rootValue[t];
		let f = feature[node];
		while (f >= 0) {
			node = xs[f] > threshold[node] ? left[node] + 1 : left[node];
			contrib[f] += delta[node];
			f = feature[node];
		}
		z += leafMinusRoot[node];
	}
	return z;
}

/** Child of a categorical split: left when the code (index 0 = missing) is in the node's left set. */
function categoricalChild(c: CompiledForest, node: number, v: number): number {
	const i = v !== v ? 0 : v + 1;
	const left = i >= 0 && i < (c.catLength as Int32Array)[node] && (c.catBits as Uint8Array)[(c.catOffset as Int32Array)[node] + i] === 1;
	return left ? c.left[node] : c.left[node] + 1;
}

/**
 * The walk of a forest with categorical splits or missing-goes-right splits (kept apart so forests
 * without them keep the tight loop). Missing values arrive as NaN (see gbdtRaw).
 */
function gbdtRawGeneral(c: CompiledForest, xs: Float64Array, contrib?: Float64Array): number {
	const { feature, threshold, left, roots, value, delta, rootValue, leafMinusRoot } = c;
	const catOffset = c.catOffset as Int32Array;
	const missingRight = c.missingRight as Uint8Array;
	let z = c.baseScore;
	for (let t = 0; t < roots.length; t++) {
		let node = roots[t];
		if (contrib) z += rootValue[t];
		let f = feature[node];
		while (f >= 0) {
			const v = xs[f];
			node =
				catOffset[node] >= 0
					? categoricalChild(c, node, v)
					: v > threshold[node] || (v !== v && missingRight[node] === 1)
						? left[node] + 1
						: left[node];
			if (contrib) contrib[f] += delta[node];
			f = feature[node];
		}
		z += contrib ? leafMinusRoot[node] : value[node];
	}
	return z;
}
