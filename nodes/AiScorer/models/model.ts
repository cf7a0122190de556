import { createHash } from 'crypto';
import { z } from 'zod';

import { applyCalibration, fitIsotonic, fitPlatt, type Calibration } from './calibration';
import { TASKS, type TaskId, type TaskSpec } from './features';
import { compileGbdt, fitGbdt, gbdtRaw, type GbdtModel, type GbdtParams } from './gbdt';
import { fitLogistic, logisticRaw } from './logistic';
import { auc, brier, calibrationReport, logLoss, round } from './metrics';
import { logit, shuffledIndices } from './rng';

/**
 * The model JSON that Train outputs and every Score operation accepts. Plain JSON, so it can travel
 * in an item field, a binary file or a workflow variable, and be diffed and reviewed.
 */
export const MODEL_FORMAT = 'peekpro-ai/model@1';

const TreeSchema = z.object({
	feature: z.array(z.number().int()),
	threshold: z.array(z.number().nullable()),
	left: z.array(z.number().int()),
	right: z.array(z.number().int()),
	value: z.array(z.number()),
});

const CalibrationSchema = z.union([
	z.object({ kind: z.literal('none') }),
	z.object({ kind: z.literal('platt'), a: z.number(), b: z.number() }),
	z.object({ kind: z.literal('isotonic'), x: z.array(z.number()), y: z.array(z.number()) }),
]);

export const ModelSchema = z.object({
	format: z.literal(MODEL_FORMAT),
	id: z.string().min(1),
	task: z.enum(['noShow', 'cartAbandonment', 'rebook']),
	version: z.string().min(1),
	trained: z.boolean(),
	algorithm: z.enum(['logistic', 'gbdt']),
	features: z.array(z.string()),
	logistic: z
		.object({
			intercept: z.number(),
			coefficients: z.array(z.number()),
			means: z.array(z.number()),
			scales: z.array(z.number()),
			imputation: z.array(z.number()),
		})
		.optional(),
	gbdt: z.object({ baseScore: z.number(), trees: z.array(TreeSchema) }).optional(),
	calibration: CalibrationSchema.optional(),
	trainedAt: z.string().optional(),
	metrics: z.record(z.unknown()).optional(),
	note: z.string().optional(),
});
export type ScoringModel = z.infer<typeof ModelSchema>;

/**
 * Default priors: documented log-odds coefficients used until the operator trains on their own
 * data (see MODELS.md). `means` is the reference profile: a feature at its reference value neither
 * raises nor lowers the score, and a missing feature is assumed to be at its reference.
 */
const PRIORS: Record<TaskId, { baseRate: number; coefficients: number[]; reference: number[]; note: string }> = {
	noShow: {
		baseRate: 0.06,
		// lead, party, price/person, weekend, hour, first-time, no-shows, cancellations, opened, weather, reseller, balance
		coefficients: [0.3, -0.08, -0.3, -0.1, -0.05, 0.45, 0.9, 0.25, -0.8, 1.2, 0.4, 0.5],
		reference: [Math.log1p(14), 2, Math.log1p(60), 0, 10, 0.5, 0, 0, 0.5, 0.1, 0, 0],
		note: 'Untrained default priors from published tour and restaurant no-show studies: about 6% of bookings no-show or cancel late; prior no-shows, bad weather, unopened confirmations, resellers and long lead times raise the risk.',
	},
	cartAbandonment: {
		baseRate: 0.25,
		// cart value, party, days until activity, returning, mobile, payment step, minutes since, sessions, promo, paid
		coefficients: [-0.25, -0.05, -0.15, 0.6, -0.3, 0.9, -0.25, 0.15, 0.3, -0.2],
		reference: [Math.log1p(150), 2, Math.log1p(14), 0, 0.5, 0, Math.log1p(60), 1, 0, 0],
		note: 'Untrained default priors: about 25% of abandoned activity carts convert; returning customers and carts that reached payment convert more, mobile and long-idle carts less.',
	},
	rebook: {
		baseRate: 0.2,
		// recency, frequency, tenure, monetary, satisfaction, opened email, party size
		coefficients: [-0.6, 0.35, 0.1, 0.1, 0.9, 0.6, 0.05],
		reference: [Math.log1p(180), 1, Math.log1p(365), Math.log1p(120), 0, 0.5, 2],
		note: 'Untrained default priors: about 20% of tour customers book again within a year; recent, frequent, satisfied and email-engaged customers are likelier to.',
	},
};

export const PRIOR_VERSION = '1.0.0-prior';

export function defaultModel(task: TaskId): ScoringModel {
	const spec = TASKS[task];
	const prior = PRIORS[task];
	return {
		format: MODEL_FORMAT,
		id: spec.modelId,
		task,
		version: PRIOR_VERSION,
		trained: false,
		algorithm: 'logistic',
		features: spec.features.map((f) => f.name),
		logistic: {
			intercept: logit(prior.baseRate),
			coefficients: prior.coefficients,
			means: prior.reference,
			scales: prior.coefficients.map(() => 1),
			imputation: prior.reference,
		},
		calibration: { kind: 'none' },
		note: prior.note,
	};
}

/** Parses model JSON (object or text) and checks it fits the task's features. */
export function parseModel(input: unknown, task: TaskId): ScoringModel {
	const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
	const parsed = ModelSchema.safeParse(value);
	if (!parsed.success) {
		throw new Error(`not a model from the Train operation (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
	}
	const model = parsed.data;
	const expected = TASKS[task].features.map((f) => f.name);
	if (model.task !== task) throw new Error(`the model was trained for "${model.task}", not "${task}"`);
	if (model.features.join(',') !== expected.join(',')) throw new Error(`the model's features (${model.features.join(', ')}) do not match this version's (${expected.join(', ')})`);
	if (model.algorithm === 'logistic' && !model.logistic) throw new Error('the logistic model has no coefficients');
	if (model.algorithm === 'gbdt' && !model.gbdt) throw new Error('the tree model has no trees');
	if (model.gbdt) {
		// JSON has no Infinity: a "missing values only" split is stored as null. Scoring walks the
		// compiled forest; these typed arrays keep the stored trees usable by the reference walk.
		for (const t of model.gbdt.trees) {
			t.threshold = Float64Array.from(t.threshold, (v) => (v === null ? -Infinity : v)) as unknown as number[];
			t.feature = Int32Array.from(t.feature) as unknown as number[];
			t.left = Int32Array.from(t.left) as unknown as number[];
			t.right = Int32Array.from(t.right) as unknown as number[];
			t.value = Float64Array.from(t.value) as unknown as number[];
		}
		// Compile once here (cached per model object), so a malformed tree fails as a model error.
		let problem: string | undefined;
		try {
			compileGbdt(model.gbdt as GbdtModel);
		} catch (error) {
			problem = (error as Error).message;
		}
		// A plain Error like the other checks here: loadModel() wraps it in a NodeOperationError.
		if (problem) throw new Error(`the tree model is malformed (${problem})`);
	}
	return model;
}

/** Raw log-odds; `contrib` (length = features) receives per-feature contributions when given. */
export function rawScore(model: ScoringModel, x: ArrayLike<number>, contrib?: Float64Array): number {
	if (contrib) contrib.fill(0);
	if (model.algorithm === 'gbdt') return gbdtRaw(model.gbdt as never, x, contrib);
	return logisticRaw(model.logistic as never, x, contrib);
}

export function probability(model: ScoringModel, x: ArrayLike<number>, contrib?: Float64Array): number {
	return applyCalibration(model.calibration as Calibration | undefined, rawScore(model, x, contrib));
}

export interface Reason {
	feature: string;
	text: string;
	effect: 'raises' | 'lowers';
	/** Change in log-odds attributed to the feature. */
	contribution: number;
}

/** Top features by absolute contribution, in words. Missing features are never given as reasons. */
export function reasons(spec: TaskSpec, x: ArrayLike<number>, contrib: Float64Array, top = 3): Reason[] {
	const k = Math.trunc(top);
	// Odd counts (negative, NaN, huge) keep the exact slice() semantics of the sorted version.
	if (!(k >= 0 && k <= contrib.length)) return reasonsBySort(spec, x, contrib, top);
	// Top-k selection without sorting or allocating: each pass takes the strongest feature that ranks
	// after the previous pick in the order (|contribution| descending, then feature index), which is
	// exactly the order the sorted version produces.
	const out: Reason[] = [];
	let prev = -1;
	let prevAbs = Infinity;
	while (out.length < k) {
		let best = -1;
		let bestAbs = -1;
		for (let f = 0; f < contrib.length; f++) {
			const a = Math.abs(contrib[f]);
			if (!(a > 1e-3) || Number.isNaN(x[f])) continue;
			if (a > prevAbs || (a === prevAbs && f <= prev)) continue;
			if (a > bestAbs) {
				best = f;
				bestAbs = a;
			}
		}
		if (best < 0) break;
		out.push(reasonFor(spec, x, contrib, best));
		prev = best;
		prevAbs = bestAbs;
	}
	return out;
}

function reasonFor(spec: TaskSpec, x: ArrayLike<number>, contrib: Float64Array, f: number): Reason {
	return {
		feature: spec.features[f].name,
		text: spec.features[f].describe(x[f]),
		effect: contrib[f] > 0 ? 'raises' : 'lowers',
		contribution: round(contrib[f], 4),
	};
}

/** The sorted definition of `reasons` (used for unusual counts, and as the reference in tests). */
export function reasonsBySort(spec: TaskSpec, x: ArrayLike<number>, contrib: Float64Array, top = 3): Reason[] {
	const order: number[] = [];
	for (let f = 0; f < contrib.length; f++) if (!Number.isNaN(x[f]) && Math.abs(contrib[f]) > 1e-3) order.push(f);
	order.sort((a, b) => Math.abs(contrib[b]) - Math.abs(contrib[a]) || a - b);
	return order.slice(0, top).map((f) => reasonFor(spec, x, contrib, f));
}

/** One sentence of the reasons that push the score up (or all, if none do). */
export function reasonSentence(list: Reason[]): string {
	// A plain loop: this runs once per scored item, and filter/map/join allocate three arrays.
	let anyUp = false;
	for (let i = 0; i < list.length; i++) if (list[i].effect === 'raises') anyUp = true;
	let out = '';
	for (let i = 0; i < list.length; i++) {
		if (anyUp && list[i].effect !== 'raises') continue;
		out = out ? `${out}, ${list[i].text}` : list[i].text;
	}
	return out;
}

export interface TrainOptions {
	algorithm: 'gbdt' | 'logistic';
	holdoutFraction: number;
	calibration: 'auto' | 'none' | 'platt' | 'isotonic';
	seed: number;
	gbdt?: GbdtParams;
	C?: number;
}

export interface TrainResult {
	model: ScoringModel;
	metrics: {
		rows: number;
		trainRows: number;
		testRows: number;
		positiveRate: number;
		auc: number;
		logLoss: number;
		brier: number;
		calibration: ReturnType<typeof calibrationReport>;
		defaultPriorAuc: number;
		defaultPriorLogLoss: number;
		iterations?: number;
		trainingMs: number;
	};
}

/**
 * Fits a model on feature columns and 0/1 labels: a seeded shuffle holds out a test fold for the
 * reported metrics, the model trains on the rest, and calibration is fitted on rows the model did not
 * train on (the early-stopping fold for trees, a 10% fold for logistic regression when requested).
 */
export function train(task: TaskId, columns: Float64Array[], labels: Float64Array, options: TrainOptions, now: () => number = Date.now): TrainResult {
	const started = now();
	const n = labels.length;
	const spec = TASKS[task];
	const perm = shuffledIndices(n, options.seed);
	const nTest = Math.max(1, Math.floor(n * options.holdoutFraction));
	const test = perm.subarray(0, nTest);
	let fit = perm.subarray(nTest);
	const calKind = options.calibration === 'auto' ? (options.algorithm === 'gbdt' ? 'platt' : 'none') : options.calibration;

	let model: ScoringModel;
	let calRows: Uint32Array = new Uint32Array(0);
	let iterations: number | undefined;
	const base = {
		format: MODEL_FORMAT,
		id: spec.modelId,
		task,
		trained: true,
		features: spec.features.map((f) => f.name),
	} as const;
	if (options.algorithm === 'gbdt') {
		const res = fitGbdt(columns, labels, fit, { seed: options.seed, ...options.gbdt });
		calRows = res.validationRows;
		iterations = res.iterations;
		model = { ...base, version: '', algorithm: 'gbdt', gbdt: res.model };
	} else {
		if (calKind !== 'none') {
			const nCal = Math.max(1, Math.floor(fit.length * 0.1));
			calRows = fit.slice(0, nCal);
			fit = fit.subarray(nCal);
		}
		model = { ...base, version: '', algorithm: 'logistic', logistic: fitLogistic(columns, labels, fit, { C: options.C ?? 1 }) };
	}

	const x = new Float64Array(columns.length);
	const rowOf = (r: number) => {
		for (let f = 0; f < columns.length; f++) x[f] = columns[f][r];
		return x;
	};
	if (calKind !== 'none' && calRows.length > 1) {
		const raw = new Float64Array(calRows.length);
		const y = new Float64Array(calRows.length);
		for (let k = 0; k < calRows.length; k++) {
			raw[k] = rawScore(model, rowOf(calRows[k]));
			y[k] = labels[calRows[k]];
		}
		model.calibration = calKind === 'platt' ? fitPlatt(raw, y) : fitIsotonic(raw, y);
	} else {
		model.calibration = { kind: 'none' };
	}

	const probs = new Float64Array(nTest);
	const priorProbs = new Float64Array(nTest);
	const yTest = new Float64Array(nTest);
	const prior = defaultModel(task);
	let positives = 0;
	for (let k = 0; k < nTest; k++) {
		const row = rowOf(test[k]);
		probs[k] = probability(model, row);
		priorProbs[k] = probability(prior, row);
		yTest[k] = labels[test[k]];
	}
	for (let i = 0; i < n; i++) positives += labels[i];
	const metrics: TrainResult['metrics'] = {
		rows: n,
		trainRows: n - nTest,
		testRows: nTest,
		positiveRate: round(positives / n, 4),
		auc: round(auc(probs, yTest), 4),
		logLoss: round(logLoss(probs, yTest), 4),
		brier: round(brier(probs, yTest), 4),
		calibration: calibrationReport(probs, yTest),
		defaultPriorAuc: round(auc(priorProbs, yTest), 4),
		defaultPriorLogLoss: round(logLoss(priorProbs, yTest), 4),
		iterations,
		trainingMs: 0,
	};
	const hash = createHash('sha256').update(JSON.stringify([model.logistic, model.gbdt, model.calibration])).digest('hex').slice(0, 8);
	model.version = `1.0.0+${hash}`;
	if (model.gbdt) {
		for (const t of model.gbdt.trees) t.threshold = t.threshold.map((v) => (Number.isFinite(v) ? v : (null as unknown as number)));
	}
	model.metrics = { auc: metrics.auc, logLoss: metrics.logLoss, testRows: nTest };
	model.note = `Trained on ${n - nTest} rows with ${options.algorithm === 'gbdt' ? 'gradient-boosted trees' : 'logistic regression'}; held-out AUC ${metrics.auc}.`;
	metrics.trainingMs = Math.round(now() - started);
	return { model, metrics };
}
