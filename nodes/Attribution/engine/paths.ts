/**
 * A path data set: journeys as channel sequences with their conversions, value and non-converting
 * count, in ChannelAttribution's layout (`path;total_conversions;total_conversion_value;total_null`,
 * channels joined by ` > `). Channel names are interned to small integers once, so the models work on
 * integer arrays; one bad row is reported and skipped, never fatal.
 */
import { toNumber } from '../../shared/number';

export interface PathRow {
	path: number[];
	conversions: number;
	value: number;
	nulls: number;
}

export class PathSet {
	readonly channels: string[] = [];
	private readonly index = new Map<string, number>();
	readonly rows: PathRow[] = [];
	readonly problems: Array<{ row: number; field: string; reason: string }> = [];
	totalConversions = 0;
	totalValue = 0;
	totalNulls = 0;

	channelId(name: string): number {
		let id = this.index.get(name);
		if (id === undefined) {
			id = this.channels.length;
			this.channels.push(name);
			this.index.set(name, id);
		}
		return id;
	}

	/** Adds one row; returns false (and records why) when it cannot be used. */
	add(rowNumber: number, path: unknown, conversions: unknown, value: unknown, nulls: unknown): boolean {
		const names = splitPath(path);
		if (!names.length) {
			this.problems.push({ row: rowNumber, field: 'path', reason: path === undefined || path === null || path === '' ? 'missing' : 'no channel in it' });
			return false;
		}
		const conv = count(conversions);
		const nul = count(nulls);
		const val = value === undefined || value === null || value === '' ? 0 : toNumber(value);
		if (Number.isNaN(conv) || Number.isNaN(nul) || conv < 0 || nul < 0) {
			this.problems.push({ row: rowNumber, field: Number.isNaN(conv) || conv < 0 ? 'total_conversions' : 'total_null', reason: 'not a count of zero or more' });
			return false;
		}
		if (Number.isNaN(val)) {
			this.problems.push({ row: rowNumber, field: 'total_conversion_value', reason: `"${String(value).slice(0, 40)}" is not an amount` });
			return false;
		}
		if (conv === 0 && nul === 0) return true;
		this.rows.push({ path: names.map((n) => this.channelId(n)), conversions: conv, value: val, nulls: nul });
		this.totalConversions += conv;
		this.totalValue += val;
		this.totalNulls += nul;
		return true;
	}
}

function count(v: unknown): number {
	if (v === undefined || v === null || v === '') return 0;
	if (typeof v === 'boolean') return v ? 1 : 0;
	return toNumber(v);
}

/** "Facebook > Email >  Direct" or ["Facebook", "Email"] → trimmed, non-empty names. */
export function splitPath(path: unknown): string[] {
	if (Array.isArray(path)) return path.map((p) => (typeof p === 'string' ? p.trim() : typeof p === 'object' && p && 'channel' in p ? String((p as { channel: unknown }).channel).trim() : String(p ?? '').trim())).filter(Boolean);
	if (typeof path !== 'string') return [];
	return path.split('>').map((p) => p.trim()).filter(Boolean);
}

/** Parses ChannelAttribution's CSV (`;` separated, header optional) line by line into `set`. */
export function addCsvLine(set: PathSet, line: string, rowNumber: number): void {
	const trimmed = line.trim();
	if (!trimmed) return;
	const cols = trimmed.split(';');
	if (rowNumber === 1 && cols[0].trim().toLowerCase() === 'path') return;
	set.add(rowNumber, cols[0], cols[1], cols[2], cols[3]);
}
