#!/usr/bin/env node
/**
 * Shapley attribution for 12 channels, Markov order 2 and 3, and per-booking heuristic throughput.
 *
 *   node bench/attribution/speed.mjs [journeys=200000] [bookings=10000]
 *
 * - Shapley, 12 channels (exact: all 4,096 channel sets): over `journeys` generated journeys (mean
 *   length 4), both worth functions; the time includes reading the rows into the path set.
 * - Markov order 2 and 3 over the same journeys (the order-1 million-journey figure is
 *   bench/attribution/markov-1m.mjs).
 * - Per-booking throughput: the node's execute() (through the unit tests' fake n8n context) for
 *   Normalize (3-touch histories with messy sources) then Attribute (position-based, with audit
 *   records), `bookings` items per run, bookings per second; and the pure engine (classify each touch,
 *   weights, split to cents) per booking.
 * No outside anchor exists for these; the figures are printed with the CPU time beside wall-clock,
 * because the bench machine is shared (load average printed).
 */
import { loadavg } from 'node:os';

import { journeys, loadBundle } from './build.mjs';

const J = Number(process.argv[2] ?? 200_000);
const B = Number(process.argv[3] ?? 10_000);
const lib = await loadBundle();

function timed(fn) {
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const out = fn();
	const cpu = process.cpuUsage(c0);
	return { out, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}
const fmt = (r) => `${r.ms.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU`;

process.stdout.write(`load average ${loadavg()[0].toFixed(1)}\n`);
const lines = [...journeys(J, { channels: 12, meanLength: 4, seed: 7 })];
for (const fn of ['conversions', 'conversionRate']) {
	const r = timed(() => {
		const set = new lib.PathSet();
		lines.forEach((l, i) => lib.addCsvLine(set, l, i + 2));
		return lib.shapleyAttribution(set, fn);
	});
	process.stdout.write(`Shapley (${fn}), 12 channels, ${J.toLocaleString('en-US')} journeys, ${r.out.method}: ${fmt(r)}\n`);
}
for (const order of [2, 3]) {
	const r = timed(() => {
		const set = new lib.PathSet();
		lines.forEach((l, i) => lib.addCsvLine(set, l, i + 2));
		return lib.markovAttribution(set, order);
	});
	process.stdout.write(`Markov order ${order}, 12 channels, ${J.toLocaleString('en-US')} journeys: ${r.out.states} states (${r.out.method}), ${fmt(r)}\n`);
}

const SOURCES = [['l.facebook.com/', 'Paid'], ['Google', 'CPC'], ['newsletter', 'email'], ['(direct)', '(none)'], ['m.youtube.com', 'video'], ['instagram.com/link', 'social'], ['example.blog', 'referral']];
const T = Date.parse('2026-06-15T12:00:00Z');
const items = Array.from({ length: B }, (_, i) => ({
	json: {
		id: `b_${i}`,
		purchasedAt: new Date(T).toISOString(),
		total: { amount: `$${(100 + (i % 400)).toFixed(2)}`, currency: 'USD' },
		marketing: { utmSource: SOURCES[i % 7][0], utmMedium: SOURCES[i % 7][1], utmCampaign: `Summer ${i % 5}` },
		touchpoints: [0, 1, 2].map((k) => ({ timestamp: new Date(T - (k + 1) * 3 * 86400e3).toISOString(), source: SOURCES[(i + k) % 7][0], medium: SOURCES[(i + k) % 7][1], campaign: `c${k}` })),
	},
}));
async function node(parameters, input) {
	const ctx = lib.createFakeContext({ parameters, items: input });
	const [out] = await new lib.Attribution().execute.call(ctx);
	return out;
}
const runs = [];
for (let k = 0; k < 3; k++) {
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const normalized = await node({ resource: 'touchpoint', operation: 'normalize', unverifiedData: 'ignore', history: (i) => items[i].json.touchpoints, normalizeOptions: {} }, items);
	const attributed = await node({ resource: 'booking', operation: 'attribute', model: 'positionBased', firstShare: 0.4, lastShare: 0.4, bookingValue: '', attributeOptions: {} }, normalized);
	const cpu = process.cpuUsage(c0);
	if (attributed.length !== B || !attributed[B - 1].json.attribution) throw new Error('attribution failed');
	runs.push({ ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
}
runs.sort((a, b) => a.ms - b.ms);
const med = runs[1];
process.stdout.write(`Node execute(), Normalize + Attribute (position-based, audit records), ${B.toLocaleString('en-US')} bookings × 4 touches: ${fmt(med)} → ${Math.round(B / (med.ms / 1000)).toLocaleString('en-US')} bookings/s (CPU: ${Math.round(B / (med.cpuMs / 1000)).toLocaleString('en-US')}/s)\n`);
const pure = timed(() => {
	let sum = 0;
	for (const { json } of items) {
		const touches = json.touchpoints.map((t) => ({ channel: lib.classify(t).channel, at: Date.parse(t.timestamp) }));
		sum += lib.splitCents(45000, lib.modelWeights('positionBased', touches, T))[0];
	}
	return sum;
});
process.stdout.write(`Engine only (classify 3 touches, weights, split to cents): ${fmt(pure)} → ${Math.round(B / (pure.ms / 1000)).toLocaleString('en-US')} bookings/s\n`);
