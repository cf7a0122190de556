/** Bundles the Waitlist Filler's TypeScript for the benchmarks (same approach as bench/ai-scorer/build.mjs). */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = join(root, '.cache', 'bench', 'waitlist');

const ENTRY = `
export * from './nodes/WaitlistFiller/decide';
export { WaitlistFiller } from './nodes/WaitlistFiller/WaitlistFiller.node';
export { createFakeContext } from './test/helpers/n8nContext';
export { createRng, logit, sigmoid } from './nodes/AiScorer/models/rng';
`;

export async function loadBundle() {
	mkdirSync(cacheDir, { recursive: true });
	const outfile = join(cacheDir, 'bundle.cjs');
	await build({
		stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
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

/** Party sizes of tour bookings: mostly 2, some 1, 3, 4, a few larger groups. */
export function partySize(u) {
	if (u < 0.18) return 1;
	if (u < 0.6) return 2;
	if (u < 0.75) return 3;
	if (u < 0.9) return 4;
	if (u < 0.96) return 5;
	return 6;
}

export function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
