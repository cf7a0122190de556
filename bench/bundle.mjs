/**
 * Bundles TypeScript sources for a bench (esbuild, CommonJS, n8n's own packages left external) and
 * loads the result: the benches measure the node's own code paths, not a copy, without a full build.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `entry` is TypeScript source re-exporting what the bench needs, with paths from the repo root. */
export async function bundleAndLoad(name, entry) {
	const cacheDir = join(root, '.cache', 'bench', name);
	mkdirSync(cacheDir, { recursive: true });
	const outfile = join(cacheDir, 'bundle.cjs');
	await build({
		stdin: { contents: entry, resolveDir: root, loader: 'ts' },
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		outfile,
		external: ['n8n-workflow', 'zod', 'luxon', 'openai'],
		logLevel: 'warning',
	});
	return createRequire(join(root, 'package.json'))(outfile);
}
