/**
 * Free-text person-name detection on the PII corpus (test/unit/shared/pii-corpus.data.ts): the
 * Pseudonymizer alone, no booking fields registered. Prints recall and precision, the false
 * positives on the 40 texts that name nobody, and the size of the bundled name list.
 *
 *   node bench/pii/recall.mjs
 */
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = join(root, '.cache', 'bench', 'pii');
mkdirSync(cacheDir, { recursive: true });
const outfile = join(cacheDir, 'bundle.cjs');
await build({
	stdin: {
		contents: `
export { buildCorpus, NON_NAME_TEXTS } from './test/unit/shared/pii-corpus.data';
export { measureNameDetection, report } from './test/unit/shared/pii-measure';
`,
		resolveDir: root,
		loader: 'ts',
	},
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	outfile,
	logLevel: 'warning',
});
const lib = createRequire(join(root, 'package.json'))(outfile);
const corpus = lib.buildCorpus();
const started = performance.now();
const m = lib.measureNameDetection(corpus, lib.NON_NAME_TEXTS);
const ms = performance.now() - started;
console.log(lib.report(m, corpus.length, lib.NON_NAME_TEXTS.length));
const data = join(root, 'nodes/shared/pii/personNames.ts');
console.log(`name list: nodes/shared/pii/personNames.ts ${(statSync(data).size / 1024).toFixed(0)} KiB; ${corpus.length + lib.NON_NAME_TEXTS.length} texts redacted in ${ms.toFixed(0)} ms`);
