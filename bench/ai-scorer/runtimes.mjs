/**
 * The two runtimes the AI Scorer's comparison benches run on, found once for all of them:
 * - `scikitPython()`: a Python with scikit-learn and pandas (Debian's python3-sklearn lives under
 *   /usr/bin/python3, which a pyenv shim on PATH may hide); exits with the install hint when none has.
 * - `nodeRuntime()`: the Node.js n8n runs on (n8n 2.x needs Node >= 24; `npm test` provisions it), else
 *   this one. The node path is timed there: V8's newer tiers warm up sooner, which is most of a short
 *   Train's time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { paths as n8nPaths } from '../../scripts/provision-n8n.mjs';

export function scikitPython() {
	const python = ['/usr/bin/python3', 'python3'].find((p) => {
		try {
			execFileSync(p, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	});
	if (!python) {
		console.error('scikit-learn not found: apt-get install python3-sklearn python3-pandas');
		process.exit(1);
	}
	return python;
}

export function nodeRuntime() {
	return existsSync(n8nPaths().node) ? n8nPaths().node : process.execPath;
}
