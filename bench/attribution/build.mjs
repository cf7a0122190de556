/** Bundles the Attribution node's TypeScript for the benchmarks (bench/bundle.mjs). */
import { bundleAndLoad } from '../bundle.mjs';

const ENTRY = `
export { PathSet, PathCsvReader, addCsvLine } from './nodes/Attribution/engine/paths';
export { markovAttribution, TransitionCounts } from './nodes/Attribution/engine/markov';
export { shapleyAttribution } from './nodes/Attribution/engine/shapley';
export { modelWeights, splitCents } from './nodes/Attribution/engine/models';
export { classify } from './nodes/Attribution/engine/channels';
export { Attribution } from './nodes/Attribution/Attribution.node';
export { createFakeContext } from './test/helpers/n8nContext';
`;

export function loadBundle() {
	return bundleAndLoad('attribution', ENTRY);
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const CHANNELS = ['Paid Search', 'Organic Search', 'Paid Social', 'Organic Social', 'Email', 'Affiliates', 'Referral', 'Direct', 'Display', 'Paid Video', 'SMS', 'Organic Video', 'Cross-network', 'Audio', 'Paid Shopping', 'Mobile Push Notifications'];

/**
 * `n` journeys over the first `channels` channels, mean length `meanLength` (1 + a geometric number
 * of further touches), converting with a probability that grows with the channels touched (each
 * channel has its own lift), in ChannelAttribution's layout, one row per journey.
 */
export function* journeys(n, { channels = 10, meanLength = 4, seed = 42 } = {}) {
	const r = rng(seed);
	const names = CHANNELS.slice(0, channels);
	const lift = names.map((_, i) => 0.02 + 0.012 * ((i * 7) % channels));
	const pMore = 1 - 1 / meanLength;
	for (let i = 0; i < n; i++) {
		const path = [];
		let p = 0.01;
		do {
			const c = Math.floor(r() ** 1.3 * channels);
			path.push(names[c]);
			p += lift[c];
		} while (r() < pMore && path.length < 40);
		const converted = r() < Math.min(0.9, p);
		yield `${path.join(' > ')};${converted ? 1 : 0};${converted ? (50 + Math.floor(r() * 400)).toFixed(2) : 0};${converted ? 0 : 1}`;
	}
}
