/**
 * The AI Scorer on a public tabular data set with categorical columns and a time column (FAA
 * wildlife strikes from the vega-datasets npm package; see public-data.mjs), through the node's own
 * Train and Score code (scripts/evaluate-model.mjs), side by side with scikit-learn's
 * HistGradientBoostingClassifier (native categoricals) and LogisticRegression on the same forward
 * split and the same inputs. Both sides run on one core (OMP_NUM_THREADS=1: the node is single-threaded);
 * each timing is the fastest of `repeats` runs, because the machine is shared.
 *
 *   node bench/ai-scorer/public.mjs [repeats=3]
 *
 * Needs Debian's python3-sklearn (apt-get install python3-sklearn python3-pandas); the data is fetched
 * with `npm pack vega-datasets@3.2.1` into .cache/bench/ on first use.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { root } from '../bundle.mjs';
import { nodeRuntime, scikitPython } from './runtimes.mjs';
import { publicDataSet } from './public-data.mjs';

const repeats = Number(process.argv[2] ?? 3);
const data = await publicDataSet();
const python = scikitPython();
const runtime = nodeRuntime();
const runtimeVersion = execFileSync(runtime, ['--version'], { encoding: 'utf8' }).trim();
const node = (algorithm) => {
	const out = execFileSync(
		runtime,
		[join(root, 'scripts', 'evaluate-model.mjs'), '--train', data.train, '--test', data.test, '--label', data.label, '--time', data.time, '--algorithm', algorithm, '--quiet'],
		{ encoding: 'utf8' },
	);
	const last = out.trim().split('\n').pop();
	return Object.fromEntries(last.split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
};
const sklearn = () =>
	JSON.parse(
		execFileSync(python, [join(root, 'bench', 'ai-scorer', 'sklearn_public.py'), data.train, data.test, data.label, data.time], {
			encoding: 'utf8',
			env: { ...process.env, OMP_NUM_THREADS: '1' },
		}),
	);

const runs = { gbdt: [], logistic: [], sk: [] };
for (let r = 0; r < repeats; r++) {
	// Interleaved, so a burst of load on the shared machine hits both sides alike.
	runs.gbdt.push(node('gbdt'));
	runs.logistic.push(node('logistic'));
	runs.sk.push(sklearn());
}
const min = (list, key) => Math.min(...list.map((x) => x[key]));
const g = runs.gbdt[0];
const l = runs.logistic[0];
const s = runs.sk[0];
const gTrain = min(runs.gbdt, 'train_s');
const gFinal = min(runs.gbdt, 'final_fit_s');
const lTrain = min(runs.logistic, 'train_s');
const hTrain = min(runs.sk, 'hgb_train_s');
const lrTrain = min(runs.sk, 'lr_train_s');
const f4 = (v) => v.toFixed(4);
console.log(`FAA wildlife strikes (vega-datasets birdstrikes.csv): ${s.rows_train} earlier strikes train, ${s.rows_test} later ones test; label: aircraft damaged`);
console.log('| model | AUC | log loss | Brier | train s (best of ' + repeats + ') |');
console.log('| --- | --- | --- | --- | --- |');
console.log(`| AI Scorer gradient-boosted trees (node Train → Score) | ${f4(g.auc)} | ${f4(g.logloss)} | ${f4(g.brier)} | ${gTrain.toFixed(2)} |`);
console.log(`| scikit-learn HistGradientBoosting (native categoricals) | ${f4(s.hgb.auc)} | ${f4(s.hgb.logloss)} | ${f4(s.hgb.brier)} | ${hTrain.toFixed(2)} |`);
console.log(`| AI Scorer logistic regression (node Train → Score) | ${f4(l.auc)} | ${f4(l.logloss)} | ${f4(l.brier)} | ${lTrain.toFixed(2)} |`);
console.log(`| scikit-learn LogisticRegression (one-hot + standardised) | ${f4(s.lr.auc)} | ${f4(s.lr.logloss)} | ${f4(s.lr.brier)} | ${lrTrain.toFixed(2)} |`);
const verdict = (ok) => (ok ? 'met' : 'MISSED');
console.log(`goal AUC within 0.005 of HistGradientBoosting: ${f4(g.auc - s.hgb.auc)} ${verdict(g.auc >= s.hgb.auc - 0.005)}`);
console.log(`goal training time within 2x of HistGradientBoosting: ${(gTrain / hTrain).toFixed(2)}x ${verdict(gTrain <= 2 * hTrain)} (the whole Train: schema, measuring fit, calibration, final fit)`);
console.log(`  the final fit alone (all ${s.rows_train} rows, as HistGradientBoosting; ${g.iterations} trees at early stopping, ${g.trees} after scaling to all rows, vs its ${s.hgb.iterations}): ${gFinal.toFixed(2)} s, ${(gFinal / hTrain).toFixed(2)}x`);
console.log(`  node path on Node.js ${runtimeVersion}; scikit-learn on one core (OMP_NUM_THREADS=1); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
console.log(`goal logistic AUC within 0.005 of scikit-learn: ${f4(l.auc - s.lr.auc)} ${verdict(Math.abs(l.auc - s.lr.auc) <= 0.005)}`);
console.log(`scoring through the node path: ${g.score_per_s}/s (trees), ${l.score_per_s}/s (logistic), with reasons`);
