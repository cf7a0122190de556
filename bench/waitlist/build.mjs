/** Bundles the Waitlist Filler's TypeScript for the benchmarks (bench/bundle.mjs). */
import { bundleAndLoad } from '../bundle.mjs';

const ENTRY = `
export * from './nodes/WaitlistFiller/decide';
export { WaitlistFiller } from './nodes/WaitlistFiller/WaitlistFiller.node';
export { createFakeContext } from './test/helpers/n8nContext';
export { createRng, logit, sigmoid } from './nodes/AiScorer/models/rng';
`;

export function loadBundle() {
	return bundleAndLoad('waitlist', ENTRY);
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
