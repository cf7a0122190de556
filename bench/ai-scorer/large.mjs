/**
 * Training time on large data: the AI Scorer's whole Train (the node's own `train()`: forward split,
 * measuring fit with early stopping, calibration, final fit on all rows) against scikit-learn's
 * HistGradientBoostingClassifier (native categoricals, its default early stopping, which is on above
 * 10,000 rows) on the same matrix, one core each, CPU seconds side by side. The public bench
 * (public.mjs) is 8,000 rows, where fixed costs dominate; an operator's history can be ten times that.
 *
 * Data: a seeded synthetic matrix, N rows (default 100,000) × 20 numbers (one with 20% missing) and 10
 * categorical columns of 5–95 categories, a label from a non-linear, interacting truth (AUC well below
 * 1). Rows are in time order: both sides train on the first 80% and are scored on the last 20%.
 *
 *   node bench/ai-scorer/large.mjs [rows=100000]
 * Needs Debian's python3-sklearn python3-pandas; runs the node side on n8n's Node.js when provisioned.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { bundleAndLoad, root } from '../bundle.mjs';
import { nodeRuntime, scikitPython } from './runtimes.mjs';

const N = Number(process.argv[2] ?? 100_000);
const dir = join(root, '.cache', 'bench', 'ai-scorer-large');
mkdirSync(dir, { recursive: true });
const file = join(dir, `large-${N}.csv`);
const NUM = 20;
const CATS = Array.from({ length: 10 }, (_, j) => 5 + j * 10);

if (process.argv[3] === '--node-side') {
	// Child process (on n8n's Node.js): the node's own train(), timed in CPU seconds.
	const lib = await bundleAndLoad('ai-scorer-large', `export { train, probability } from './nodes/AiScorer/models/model'; export { auc } from './nodes/AiScorer/models/metrics';`);
	const { readFileSync } = await import('node:fs');
	const lines = readFileSync(file, 'utf8').trim().split('\n');
	lines.shift();
	const nf = NUM + CATS.length;
	const cut = Math.floor(lines.length * 0.8);
	const cols = Array.from({ length: nf }, () => new Float64Array(cut));
	const y = new Float64Array(cut);
	const test = [];
	const yTest = [];
	lines.forEach((line, i) => {
		const v = line.split(',').map((s) => (s === '' ? Number.NaN : Number(s)));
		if (i < cut) {
			for (let f = 0; f < nf; f++) cols[f][i] = v[f];
			y[i] = v[nf];
		} else {
			test.push(Float64Array.from(v.slice(0, nf)));
			yTest.push(v[nf]);
		}
	});
	const categorical = [...Array(NUM).fill(0), ...CATS];
	const times = Float64Array.from({ length: cut }, (_, i) => i);
	const before = process.cpuUsage();
	const res = lib.train('noShow', cols, y, { algorithm: 'gbdt', holdoutFraction: 0.2, calibration: 'auto', seed: 42, categorical }, Date.now, times);
	const used = process.cpuUsage(before);
	const p = test.map((x) => lib.probability(res.model, x));
	process.stdout.write(JSON.stringify({ cpu_s: (used.user + used.system) / 1e6, final_fit_s: res.metrics.finalFitMs / 1000, iterations: res.metrics.finalTrees ?? res.metrics.iterations, auc: lib.auc(p, yTest), node: process.version }));
	process.exit(0);
}

if (!existsSync(file)) {
	const lib = await bundleAndLoad('ai-scorer-large-rng', `export { createRng } from './nodes/AiScorer/models/rng';`);
	const rng = lib.createRng(16);
	const weights = CATS.map((k) => Array.from({ length: k }, () => rng() * 2 - 1));
	const out = [[...Array.from({ length: NUM }, (_, j) => `n${j}`), ...CATS.map((_, j) => `c${j}`), 'y'].join(',')];
	for (let i = 0; i < N; i++) {
		const num = Array.from({ length: NUM }, () => rng() * 2 - 1);
		const cat = CATS.map((k) => Math.floor(rng() ** 2 * k));
		// Drift: the effect of n0 grows over time, so later rows differ from earlier ones.
		const z = num[0] * (1 + i / N) - num[1] + 2 * num[2] * num[3] + Math.sin(3 * num[4]) + 1.5 * weights[0][cat[0]] + weights[3][cat[3]] + 0.8 * weights[7][cat[7]] - 1.5;
		const label = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
		out.push([...num.map((v, j) => (j === 5 && rng() < 0.2 ? '' : v.toFixed(4))), ...cat, label].join(','));
	}
	writeFileSync(file, `${out.join('\n')}\n`);
}

const python = scikitPython();
const SK = `
import json, sys, time
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
d = pd.read_csv(sys.argv[1]); y = d.pop('y').to_numpy(); X = d.to_numpy(dtype=float)
cut = int(len(y) * 0.8)
mask = [c.startswith('c') for c in d.columns]
t = time.process_time()
m = HistGradientBoostingClassifier(categorical_features=mask, random_state=42).fit(X[:cut], y[:cut])
cpu = time.process_time() - t
print(json.dumps({"cpu_s": cpu, "iterations": int(m.n_iter_), "auc": roc_auc_score(y[cut:], m.predict_proba(X[cut:])[:, 1])}))
`;
const runtime = nodeRuntime();
const runs = { node: [], sk: [] };
for (let r = 0; r < 2; r++) {
	runs.node.push(JSON.parse(execFileSync(runtime, [join(root, 'bench', 'ai-scorer', 'large.mjs'), String(N), '--node-side'], { encoding: 'utf8' })));
	runs.sk.push(JSON.parse(execFileSync(python, ['-c', SK, file], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } })));
}
const best = (list) => list.reduce((a, b) => (b.cpu_s < a.cpu_s ? b : a));
const node = best(runs.node);
const sk = best(runs.sk);
console.log(`synthetic ${N} rows x 30 (10 categorical), first 80% train, last 20% test; CPU seconds, best of 2, one core each; load average ${loadavg()[0].toFixed(1)}`);
console.log(`| side | train CPU s | trees | test AUC |`);
console.log(`| --- | --- | --- | --- |`);
console.log(`| AI Scorer whole Train (node path, Node.js ${node.node}): measuring fit, calibration, final fit | ${node.cpu_s.toFixed(2)} | ${node.iterations} | ${node.auc.toFixed(4)} |`);
console.log(`|   of which the final fit on all rows | ${node.final_fit_s.toFixed(2)} (wall) | | |`);
console.log(`| scikit-learn HistGradientBoosting (early stopping on) | ${sk.cpu_s.toFixed(2)} | ${sk.iterations} | ${sk.auc.toFixed(4)} |`);
console.log(`whole Train / HistGradientBoosting: ${(node.cpu_s / sk.cpu_s).toFixed(2)}x (goal within 2x: ${node.cpu_s <= 2 * sk.cpu_s ? 'met' : 'MISSED'})`);
