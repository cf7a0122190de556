/** Bundles the AI Scorer's TypeScript (and the synthetic data generator) for the benchmarks. */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, '.cache', 'bench', 'ai-scorer');

const ENTRY = `
export { syntheticBookings } from './test/unit/ai-scorer/synthetic';
export { TASKS } from './nodes/AiScorer/models/features';
export { train, defaultModel, parseModel, probability, reasons, reasonSentence } from './nodes/AiScorer/models/model';
export { auc, logLoss } from './nodes/AiScorer/models/metrics';
export { AiScorer } from './nodes/AiScorer/AiScorer.node';
export { createFakeContext } from './test/helpers/n8nContext';
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
	const { createRequire } = await import('node:module');
	return createRequire(join(root, 'package.json'))(outfile);
}

/** Feature columns, labels and true probabilities for synthetic bookings. */
export function featurize(lib, data) {
	const spec = lib.TASKS.noShow;
	const n = data.length;
	const cols = spec.features.map(() => new Float64Array(n));
	const x = new Float64Array(spec.features.length);
	const y = new Float64Array(n);
	const truth = new Float64Array(n);
	data.forEach((d, i) => {
		spec.extract(d.json, x, Date.UTC(2025, 0, 1));
		for (let f = 0; f < x.length; f++) cols[f][i] = x[f];
		y[i] = d.label;
		truth[i] = d.trueProbability;
	});
	return { cols, y, truth };
}
