#!/usr/bin/env node
/**
 * Markov attribution (order 1, non-converting journeys included) over 1,000,000 generated journeys,
 * 10 channels, mean length 4; time and peak memory beside the anchor.
 *
 *   node bench/attribution/markov-1m.mjs [journeys=1000000]
 *
 * Writes the journeys once to .cache/bench/attribution/journeys-1m.csv in ChannelAttribution's layout
 * (one row per journey), then runs `node bench/attribution/markov.mjs --paths that-file --order 1`
 * as a fresh process, so its peak RSS is the attribution's alone, and reads its figures back.
 * Anchor: ChannelAttribution's C++ core (markov_model, order 1) on the same kind of data on these
 * machines, about 2.4 s and 370 MB, with Monte Carlo error in its removal effects. Goal: exact
 * removal effects, faster, under 500 MB.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { root } from '../bundle.mjs';
import { journeys } from './build.mjs';

const N = Number(process.argv[2] ?? 1_000_000);
const dir = join(root, '.cache', 'bench', 'attribution');
mkdirSync(dir, { recursive: true });
const file = join(dir, `journeys-${N}.csv`);
if (!existsSync(file)) {
	const w = createWriteStream(file);
	w.write('path;total_conversions;total_conversion_value;total_null\n');
	let buf = [];
	for (const row of journeys(N, { channels: 10, meanLength: 4 })) {
		buf.push(row);
		if (buf.length === 10_000) {
			if (!w.write(`${buf.join('\n')}\n`)) await new Promise((r) => w.once('drain', r));
			buf = [];
		}
	}
	if (buf.length) w.write(`${buf.join('\n')}\n`);
	await new Promise((r) => w.end(r));
}
const runs = [];
for (let k = 0; k < 3; k++) {
	const out = execFileSync(process.execPath, [join(root, 'bench', 'attribution', 'markov.mjs'), '--paths', file, '--order', '1'], { encoding: 'utf8' });
	const lines = out.trim().split('\n');
	const m = /time ([\d.]+) s .* CPU ([\d.]+) s, peak RSS (\d+) MB/.exec(out);
	runs.push({ seconds: Number(m[1]), cpu: Number(m[2]), mb: Number(m[3]), head: lines[0], result: JSON.parse(lines[lines.length - 1]) });
}
runs.sort((a, b) => a.seconds - b.seconds);
const med = runs[1];
process.stdout.write(`${med.head}\n`);
process.stdout.write(`Markov order 1 over ${N.toLocaleString('en-US')} journeys (10 channels, mean length 4), 3 runs, load average ${loadavg()[0].toFixed(1)}\n`);
process.stdout.write(`| | wall time | CPU time | peak memory | removal effects |\n|---|---|---|---|---|\n`);
process.stdout.write(`| this node (median of 3; fastest ${runs[0].seconds.toFixed(2)} s) | ${med.seconds.toFixed(2)} s | ${med.cpu.toFixed(2)} s | ${med.mb} MB | exact (linear solve) |\n`);
process.stdout.write(`| anchor: ChannelAttribution C++ | ~2.4 s | | ~370 MB | Monte Carlo estimate |\n`);
process.stdout.write(`goal (faster than 2.4 s, under 500 MB): ${med.seconds < 2.4 && med.mb < 500 ? 'met' : 'NOT met'}\n`);
process.stdout.write(`${JSON.stringify(med.result)}\n`);
