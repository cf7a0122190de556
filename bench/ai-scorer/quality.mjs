/**
 * Model quality on synthetic booking history from a known no-show model (so the best possible AUC
 * is known): the project's trainer vs the optimum, side by side with scikit-learn's
 * HistGradientBoostingClassifier and LogisticRegression (Debian's python3-sklearn) on the same rows.
 *
 *   node bench/ai-scorer/quality.mjs [trainRows=50000] [testRows=20000]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cacheDir, featurize, loadBundle } from './build.mjs';

const trainN = Number(process.argv[2] ?? 50000);
const testN = Number(process.argv[3] ?? 20000);
const lib = await loadBundle();
const trainSet = featurize(lib, lib.syntheticBookings(trainN, 101));
const testSet = featurize(lib, lib.syntheticBookings(testN, 202));

const optimum = lib.auc(testSet.truth, testSet.y);
const evalModel = (model) => {
	const nf = testSet.cols.length;
	const x = new Float64Array(nf);
	const p = new Float64Array(testN);
	for (let i = 0; i < testN; i++) {
		for (let f = 0; f < nf; f++) x[f] = testSet.cols[f][i];
		p[i] = lib.probability(model, x);
	}
	return { auc: lib.auc(p, testSet.y), logLoss: lib.logLoss(p, testSet.y) };
};

const results = [];
const prior = evalModel(lib.defaultModel('noShow'));
results.push({ model: 'default priors (untrained)', ...prior });
for (const algorithm of ['gbdt', 'logistic']) {
	const t0 = performance.now();
	// A small internal hold-out only; quality is measured on the separate test set below.
	const { model } = lib.train('noShow', trainSet.cols, trainSet.y, { algorithm, holdoutFraction: 0.05, calibration: 'auto', seed: 42 });
	const ms = performance.now() - t0;
	results.push({ model: `peekpro ${algorithm === 'gbdt' ? 'gradient-boosted trees' : 'logistic regression'}`, ...evalModel(lib.parseModel(JSON.stringify(model), 'noShow')), trainSeconds: ms / 1000 });
}

// scikit-learn on exactly the same feature matrix (NaN for missing values).
const csv = (set, n) => {
	const lines = [];
	for (let i = 0; i < n; i++) lines.push([...set.cols.map((c) => (Number.isNaN(c[i]) ? 'nan' : c[i])), set.y[i]].join(','));
	return lines.join('\n');
};
const trainCsv = join(cacheDir, 'train.csv');
const testCsv = join(cacheDir, 'test.csv');
writeFileSync(trainCsv, csv(trainSet, trainN));
writeFileSync(testCsv, csv(testSet, testN));
const py = `
import json, sys, time, numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score, log_loss
import sklearn
tr = np.loadtxt(sys.argv[1], delimiter=','); te = np.loadtxt(sys.argv[2], delimiter=',')
Xtr, ytr, Xte, yte = tr[:, :-1], tr[:, -1], te[:, :-1], te[:, -1]
out = {'version': sklearn.__version__}
for name, m in [('hgb', HistGradientBoostingClassifier(random_state=0)), ('lr', make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)))]:
    t = time.time(); m.fit(Xtr, ytr); s = time.time() - t
    p = m.predict_proba(Xte)[:, 1]
    out[name] = {'auc': roc_auc_score(yte, p), 'logLoss': log_loss(yte, p), 'trainSeconds': s}
print(json.dumps(out))
`;
// Debian's python3-sklearn lives under /usr/bin/python3, which a pyenv shim on PATH may hide.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
let sk;
try {
	sk = JSON.parse(execFileSync(python, ['-c', py, trainCsv, testCsv], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }));
	results.push({ model: `scikit-learn ${sk.version} HistGradientBoostingClassifier`, ...sk.hgb });
	results.push({ model: `scikit-learn ${sk.version} LogisticRegression`, ...sk.lr });
} catch (error) {
	console.log(`scikit-learn comparison skipped (apt-get install -y python3-sklearn): ${error.message.split('\n')[0]}`);
}

console.log(`No-show model quality: ${trainN} training rows, ${testN} test rows, synthetic truth with non-linear terms and an interaction`);
console.log(`optimal AUC (true probabilities): ${optimum.toFixed(4)}`);
console.log('model'.padEnd(52), 'AUC    ', 'gap    ', 'logloss', 'train s');
for (const r of results) {
	console.log(r.model.padEnd(52), r.auc.toFixed(4), (optimum - r.auc).toFixed(4).padStart(7), r.logLoss.toFixed(4), r.trainSeconds === undefined ? '' : r.trainSeconds.toFixed(2));
}
const ours = results.find((r) => r.model.includes('gradient-boosted'));
const oursLr = results.find((r) => r.model.includes('peekpro logistic'));
console.log(`\ngoal 1: trained AUC within 0.02 of optimum: gap ${(optimum - ours.auc).toFixed(4)} -> ${optimum - ours.auc <= 0.02 ? 'PASS' : 'FAIL'}`);
if (sk) {
	console.log(`goal 2: within 0.01 of scikit-learn HGB: ${ours.auc.toFixed(4)} vs ${sk.hgb.auc.toFixed(4)} (diff ${(sk.hgb.auc - ours.auc).toFixed(4)}) -> ${sk.hgb.auc - ours.auc <= 0.01 ? 'PASS' : 'FAIL'}`);
	console.log(`        logistic vs scikit-learn LR: ${oursLr.auc.toFixed(4)} vs ${sk.lr.auc.toFixed(4)} (diff ${(sk.lr.auc - oursLr.auc).toFixed(4)}) -> ${sk.lr.auc - oursLr.auc <= 0.01 ? 'PASS' : 'FAIL'}`);
}
