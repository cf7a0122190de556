#!/usr/bin/env node
/**
 * Markov-chain attribution of a path data set, through the Attribution node's own Markov code
 * (nodes/Attribution/engine: the PathSet reader and TransitionCounts + markovAttribution).
 *
 *   node bench/attribution/markov.mjs --paths FILE.csv [--order 1]
 *
 * FILE.csv is ChannelAttribution's layout: `path;total_conversions;total_conversion_value;total_null`
 * (header optional), channels joined by " > ". The file is streamed line by line into the chain's
 * transition counts (the journeys themselves are not kept), so memory stays flat with the file size.
 * Prints timings and peak memory on stderr-free lines, and as its LAST line the JSON
 * {channel: {removal_effect, conversions, value}} (removal_effect as ChannelAttribution reports it,
 * 1 − P(conversion without the channel) / P(conversion); conversions and value shared out in
 * proportion to the removal effects).
 */
import { createReadStream } from 'node:fs';

import { loadBundle } from './build.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : fallback;
};
const file = arg('paths');
const order = Number(arg('order', '1'));
if (!file) {
	process.stderr.write('usage: node bench/attribution/markov.mjs --paths FILE.csv [--order 1]\n');
	process.exit(2);
}

const lib = await loadBundle();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const counts = new lib.TransitionCounts(order);
const set = new lib.PathSet({ keepRows: false });
// Streamed as bytes in 4 MB chunks into the node's byte reader: no string per line or per channel.
const reader = new lib.PathCsvReader(set, (ids, length, conversions, nulls) => counts.addPath(ids, conversions, nulls, length));
for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) reader.push(chunk);
reader.end();
const line = reader.line;
const tRead = performance.now();
const result = lib.markovAttribution(set, order, counts);
const tSolve = performance.now();
const cpu = process.cpuUsage(cpu0);
const peakMb = process.resourceUsage().maxRSS / 1024;

const out = {};
for (const c of result.channels) out[c.channel] = { removal_effect: c.removalEffect, conversions: c.conversions, value: c.value };
process.stdout.write(`rows ${line}, skipped ${set.problems.length}, channels ${set.channels.length}, order ${order}, states ${result.states} (${result.method}), P(conversion) ${result.conversionProbability.toFixed(6)}\n`);
process.stdout.write(`time ${((tSolve - t0) / 1000).toFixed(2)} s (read + count ${((tRead - t0) / 1000).toFixed(2)} s, removal effects ${((tSolve - tRead) / 1000).toFixed(3)} s), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, peak RSS ${peakMb.toFixed(0)} MB\n`);
if (set.problems.length) process.stdout.write(`first skipped rows: ${JSON.stringify(set.problems.slice(0, 3))}\n`);
process.stdout.write(`${JSON.stringify(out)}\n`);
