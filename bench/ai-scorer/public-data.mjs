/**
 * A public tabular data set with categorical columns and a time column, for the AI Scorer bench:
 * the FAA wildlife-strike records (10,000 strikes, 1990–2003) that the `vega-datasets` npm package
 * ships as data/birdstrikes.csv (vega-datasets is BSD-3-Clause; the records are public U.S. FAA
 * data). Fetched with `npm pack vega-datasets@3.2.1` into .cache/ (nothing large is committed).
 *
 * Task: did the strike damage the aircraft ("Effect Amount of damage" is not "None")? Features:
 * airport, aircraft model, operator, state, flight phase, wildlife size and species, time of day,
 * speed, and the flight date (month and weekday parts). The cost columns are dropped: they are only
 * known after the damage is assessed, so they would leak the answer.
 *
 * The split is forward in time: the earliest 80% of strikes by Flight Date train, the latest 20% test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCsv } from '../../scripts/lib/csv.mjs';
import { root } from '../bundle.mjs';

export const DATA_PACKAGE = 'vega-datasets@3.2.1';
export const dataDir = join(root, '.cache', 'bench', 'ai-scorer-public');

const LEAKS = new Set(['Cost Other', 'Cost Repair', 'Cost Total $', 'Effect Amount of damage']);

function csvField(v) {
	return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Returns { train, test, label, time } paths and column names; fetches and splits on first use. */
export async function publicDataSet() {
	const train = join(dataDir, 'birdstrikes-train.csv');
	const test = join(dataDir, 'birdstrikes-test.csv');
	const meta = { train, test, label: 'damaged', time: 'Flight Date' };
	if (existsSync(train) && existsSync(test)) return meta;
	mkdirSync(dataDir, { recursive: true });
	const csv = join(dataDir, 'package', 'data', 'birdstrikes.csv');
	if (!existsSync(csv)) {
		const name = execFileSync('npm', ['pack', DATA_PACKAGE, '--pack-destination', dataDir, '--silent'], { cwd: dataDir, encoding: 'utf8' }).trim().split('\n').pop();
		execFileSync('tar', ['xzf', join(dataDir, name), '-C', dataDir, 'package/data/birdstrikes.csv']);
	}
	const rows = parseCsv(readFileSync(csv, 'utf8'));
	const header = Object.keys(rows[0]).filter((h) => !LEAKS.has(h));
	const out = rows
		.map((r) => ({ ...Object.fromEntries(header.map((h) => [h, r[h]])), damaged: r['Effect Amount of damage'] && r['Effect Amount of damage'] !== 'None' ? '1' : '0' }))
		// Stable sort by date: ties keep the file's order.
		.map((r, i) => ({ r, i }))
		.sort((a, b) => (a.r['Flight Date'] < b.r['Flight Date'] ? -1 : a.r['Flight Date'] > b.r['Flight Date'] ? 1 : a.i - b.i))
		.map(({ r }) => r);
	const cut = Math.floor(out.length * 0.8);
	const cols = [...header, 'damaged'];
	const write = (path, part) => writeFileSync(path, [cols.map(csvField).join(','), ...part.map((r) => cols.map((c) => csvField(String(r[c] ?? ''))).join(','))].join('\n') + '\n');
	write(train, out.slice(0, cut));
	write(test, out.slice(cut));
	return meta;
}
