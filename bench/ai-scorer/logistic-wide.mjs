/**
 * Logistic regression on a wide one-hot problem (100,000 rows; 3 categorical fields × 100 values and
 * one number = 301 columns, one category perfectly separable): the node's L-BFGS fit vs scikit-learn's
 * LogisticRegression (lbfgs, C = 1) on the same standardised one-hot matrix. Before L-BFGS the
 * undamped Newton fit diverged on such data (a constant prediction after minutes).
 *
 *   node bench/ai-scorer/logistic-wide.mjs [rows=100000]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { bundleAndLoad, root } from '../bundle.mjs';

const n = Number(process.argv[2] ?? 100000);
const lib = await bundleAndLoad(
	'logistic-wide',
	`export { fitLogisticDetailed, logisticRaw } from './nodes/AiScorer/models/logistic';
	 export { createRng, sigmoid } from './nodes/AiScorer/models/rng';
	 export { auc } from './nodes/AiScorer/models/metrics';`,
);
const rng = lib.createRng(5);
const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
const y = new Float64Array(n);
const effects = Array.from({ length: 3 }, () => Array.from({ length: 100 }, () => (rng() - 0.5) * 3));
for (let i = 0; i < n; i++) {
	let z = -1;
	for (let f = 0; f < 3; f++) {
		const code = Math.floor(rng() * rng() * 100);
		cols[f][i] = code;
		z += effects[f][code];
	}
	cols[3][i] = rng() * 10;
	z += 0.2 * cols[3][i];
	y[i] = cols[0][i] === 0 ? 1 : rng() < lib.sigmoid(z) ? 1 : 0;
}
const rows = Uint32Array.from({ length: n }, (_, i) => i);
const t0 = performance.now();
const fit = lib.fitLogisticDetailed(cols, y, rows, { C: 1, categorical: [100, 100, 100, 0] });
const seconds = (performance.now() - t0) / 1000;
const p = Float64Array.from(rows, (i) => lib.sigmoid(lib.logisticRaw(fit.model, [cols[0][i], cols[1][i], cols[2][i], cols[3][i]])));
const maxCoef = Math.max(...fit.model.coefficients.map(Math.abs));
console.log(`node L-BFGS: ${n} rows x ${fit.model.coefficients.length} columns, ${seconds.toFixed(2)} s, ${fit.iterations} iterations, converged ${fit.converged}, max |coefficient| ${maxCoef.toFixed(2)}, in-sample AUC ${lib.auc(p, y).toFixed(4)}`);

const dir = join(root, '.cache', 'bench', 'logistic-wide');
mkdirSync(dir, { recursive: true });
const csv = join(dir, 'wide.csv');
const lines = ['a,b,c,x,y'];
for (let i = 0; i < n; i++) lines.push(`${cols[0][i]},${cols[1][i]},${cols[2][i]},${cols[3][i]},${y[i]}`);
writeFileSync(csv, lines.join('\n'));
const py = `
import sys, time, json, numpy as np, pandas as pd
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
d = pd.read_csv(sys.argv[1])
y = d.pop('y').to_numpy()
oh = OneHotEncoder(sparse_output=False, categories=[list(range(100))] * 3, handle_unknown='ignore').fit_transform(d[['a','b','c']].astype(int))
X = StandardScaler().fit_transform(np.hstack([oh, d[['x']].to_numpy()]))
t = time.perf_counter()
m = LogisticRegression(C=1.0, max_iter=5000).fit(X, y)
s = time.perf_counter() - t
print(json.dumps({"s": s, "iter": int(m.n_iter_[0]), "auc": roc_auc_score(y, m.predict_proba(X)[:, 1]), "max": float(np.abs(m.coef_).max())}))
`;
try {
	const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, csv], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } }));
	console.log(`scikit-learn lbfgs: ${out.s.toFixed(2)} s, ${out.iter} iterations, max |coefficient| ${out.max.toFixed(2)}, in-sample AUC ${out.auc.toFixed(4)}`);
} catch (error) {
	console.log(`scikit-learn not run (${error.message.split('\n')[0]}): apt-get install python3-sklearn python3-pandas`);
}
