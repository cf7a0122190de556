/** Bundles the AI Scorer's TypeScript (and the synthetic data generator) for the benchmarks. */
import { join } from 'node:path';

import { bundleAndLoad, root } from '../bundle.mjs';

export { root };
export const cacheDir = join(root, '.cache', 'bench', 'ai-scorer');

const ENTRY = `
export { syntheticBookings } from './test/unit/ai-scorer/synthetic';
export { TASKS } from './nodes/AiScorer/models/features';
export { train, defaultModel, parseModel, probability, reasons, reasonSentence } from './nodes/AiScorer/models/model';
export { auc, logLoss } from './nodes/AiScorer/models/metrics';
export { AiScorer } from './nodes/AiScorer/AiScorer.node';
export { createFakeContext } from './test/helpers/n8nContext';
`;

export function loadBundle() {
	return bundleAndLoad('ai-scorer', ENTRY);
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
