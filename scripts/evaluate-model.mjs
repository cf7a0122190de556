#!/usr/bin/env node
/**
 * Checks an AI Scorer model on your own export before going live: trains with the node's own Train
 * code path on one CSV, scores another CSV (later bookings) with the node's own Score encoding, and
 * prints the held-out figures. The node's TypeScript is bundled on the fly (bench/bundle.mjs), so
 * what is measured is the code the node runs, not a copy.
 *
 *   node scripts/evaluate-model.mjs --train TRAIN.csv --test TEST.csv --label COLUMN \
 *     [--time COLUMN] [--algorithm gbdt|logistic] [--fields a,b,c] [--exclude a,b] \
 *     [--lead-from COLUMN] [--max-categories 100] [--max-iter 100] [--no-refit] [--save-model model.json]
 *
 * Last line: auc=… logloss=… brier=… train_s=… score_per_s=…
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { bundleAndLoad } from '../bench/bundle.mjs';
import { parseCsv } from './lib/csv.mjs';

const { values: args } = parseArgs({
	options: {
		train: { type: 'string' },
		test: { type: 'string' },
		label: { type: 'string' },
		time: { type: 'string' },
		algorithm: { type: 'string', default: 'gbdt' },
		fields: { type: 'string' },
		exclude: { type: 'string' },
		'lead-from': { type: 'string' },
		'max-categories': { type: 'string' },
		'max-iter': { type: 'string' },
		'save-model': { type: 'string' },
		quiet: { type: 'boolean', default: false },
		'no-refit': { type: 'boolean', default: false },
	},
});
if (!args.train || !args.test || !args.label) {
	console.error('usage: node scripts/evaluate-model.mjs --train TRAIN.csv --test TEST.csv --label COLUMN [--time COLUMN] [--algorithm gbdt|logistic]');
	process.exit(2);
}

const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

const lib = await bundleAndLoad(
	'evaluate-model',
	`export { trainOnItems, encodeItem, readLabel } from './nodes/AiScorer/models/itemTraining';
	 export { parseModel, probability, reasons, featureSpecs } from './nodes/AiScorer/models/model';
	 export { auc, logLoss, brier } from './nodes/AiScorer/models/metrics';`,
);

const trainRows = parseCsv(readFileSync(args.train, 'utf8'));
const testRows = parseCsv(readFileSync(args.test, 'utf8'));
const task = 'noShow';
const started = performance.now();
const result = lib.trainOnItems(trainRows, {
	task,
	labelField: args.label,
	features: args.fields ? 'fields' : 'all',
	fields: list(args.fields),
	exclude: list(args.exclude),
	timeField: args.time,
	leadFrom: args['lead-from'],
	maxCategories: args['max-categories'] ? Number(args['max-categories']) : undefined,
	train: {
		algorithm: args.algorithm === 'logistic' ? 'logistic' : 'gbdt',
		holdoutFraction: 0.2,
		calibration: 'auto',
		seed: 42,
		split: 'auto',
		refit: !args['no-refit'],
		gbdt: { maxIter: args['max-iter'] ? Number(args['max-iter']) : 100 },
	},
});
const trainS = (performance.now() - started) / 1000;
// Score reads the model as stored: through JSON and the same parser the Score operations use.
const json = JSON.stringify(result.model);
if (args['save-model']) writeFileSync(args['save-model'], json);
const model = lib.parseModel(json, task);
const specs = { features: lib.featureSpecs(model, task) };

const probs = [];
const labels = [];
const t0 = performance.now();
for (const row of testRows) {
	const y = lib.readLabel(row[args.label]);
	if (Number.isNaN(y)) continue;
	const x = lib.encodeItem(model, task, row, Date.now());
	const contrib = new Float64Array(x.length);
	probs.push(lib.probability(model, x, contrib));
	lib.reasons(specs, x, contrib, 3);
	labels.push(y);
}
const scoreS = (performance.now() - t0) / 1000;

const m = result.metrics;
if (!args.quiet) {
	console.log(`features: ${model.features.length} (${model.schema.columns.map((c) => `${c.field}:${c.kind}`).join(', ')})`);
	if (model.schema.skipped?.length) console.log(`left out: ${model.schema.skipped.map((s) => `${s.field} (${s.reason})`).join('; ')}`);
	console.log(`train report: ${m.splitDescription}; AUC ${m.auc}, log loss ${m.logLoss}${m.randomSliceAuc !== undefined ? `, random slice of the training period ${m.randomSliceAuc}` : ''}; calibration ${m.calibrationMethod}; ${m.iterations} iterations${m.converged === false ? ' (NOT converged)' : ''}`);
	for (const w of m.warnings) console.log(`warning: ${w}`);
	console.log(`test file: ${labels.length} labelled rows; the final fit alone took ${(m.finalFitMs / 1000).toFixed(2)} s of the ${trainS.toFixed(2)} s`);
}
const fmt = (v, d = 4) => Number(v).toFixed(d);
console.log(
	`auc=${fmt(lib.auc(probs, labels))} logloss=${fmt(lib.logLoss(probs, labels))} brier=${fmt(lib.brier(probs, labels))} train_s=${fmt(trainS, 2)} score_per_s=${Math.round(labels.length / scoreS)}${args.quiet ? ` final_fit_s=${fmt(m.finalFitMs / 1000, 2)} iterations=${m.iterations} trees=${m.finalTrees ?? m.iterations}` : ''}`,
);
