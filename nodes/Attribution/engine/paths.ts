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

export interface PathSetOptions {
	/** Keep every row in `rows` (default). Off, rows only reach `onRow`: a streaming reader of a
	 * million-journey file then holds the chain's counts, not the journeys. */
	keepRows?: boolean;
	onRow?: (row: PathRow) => void;
}

export class PathSet {
	constructor(private readonly options: PathSetOptions = {}) {}

	readonly channels: string[] = [];
	/** The row the last successful `add` produced (for readers that do not keep rows). */
	lastRow: PathRow | undefined;
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

	/** Channel ids of a path text, cached: a million journeys hold far fewer distinct paths. */
	private readonly pathCache = new Map<string, number[]>();

	private pathIds(path: unknown): number[] {
		if (typeof path === 'string') {
			const hit = this.pathCache.get(path);
			if (hit) return hit;
			const ids = splitPath(path).map((n) => this.channelId(n));
			if (this.pathCache.size < 1_000_000) this.pathCache.set(path, ids);
			return ids;
		}
		return splitPath(path).map((n) => this.channelId(n));
	}

	/** Adds one row; returns false (and records why) when it cannot be used. */
	add(rowNumber: number, path: unknown, conversions: unknown, value: unknown, nulls: unknown): boolean {
		const ids = this.pathIds(path);
		if (!ids.length) {
			this.problems.push({ row: rowNumber, field: 'path', reason: path === undefined || path === null || path === '' ? 'missing' : 'no channel in it' });
			return false;
		}
		const conv = count(conversions);
		const nul = count(nulls);
		const val = amount(value);
		if (Number.isNaN(conv) || Number.isNaN(nul) || conv < 0 || nul < 0) {
			this.problems.push({ row: rowNumber, field: Number.isNaN(conv) || conv < 0 ? 'total_conversions' : 'total_null', reason: 'not a count of zero or more' });
			return false;
		}
		if (Number.isNaN(val)) {
			this.problems.push({ row: rowNumber, field: 'total_conversion_value', reason: `"${String(value).slice(0, 40)}" is not an amount` });
			return false;
		}
		if (conv === 0 && nul === 0) return true;
		const row = { path: ids, conversions: conv, value: val, nulls: nul };
		this.lastRow = row;
		if (this.options.keepRows !== false) this.rows.push(row);
		this.options.onRow?.(row);
		this.totalConversions += conv;
		this.totalValue += val;
		this.totalNulls += nul;
		return true;
	}
}

/** Plain digits with at most one '.', the common case in a path file: read without the full parser (same result). */
function plainNumber(s: string): number {
	let dot = false;
	if (s.length === 0 || s.length > 15) return Number.NaN;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c === 46 && !dot && i > 0) dot = true;
		else if (c < 48 || c > 57) return Number.NaN;
	}
	return Number(s);
}

function count(v: unknown): number {
	if (v === undefined || v === null || v === '') return 0;
	if (typeof v === 'boolean') return v ? 1 : 0;
	if (typeof v === 'string') {
		const fast = plainNumber(v.trim());
		if (!Number.isNaN(fast)) return fast;
	}
	return toNumber(v);
}

function amount(v: unknown): number {
	if (v === undefined || v === null || v === '') return 0;
	if (typeof v === 'string') {
		const fast = plainNumber(v.trim());
		if (!Number.isNaN(fast)) return fast;
	}
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
	const cols = trimmed.split(';').map((c) => c.replace(/"/g, ''));
	if (rowNumber === 1 && cols[0].trim().toLowerCase() === 'path') return;
	set.add(rowNumber, cols[0], cols[1], cols[2], cols[3]);
}

/**
 * A byte-level reader of ChannelAttribution's CSV for large files: chunks of UTF-8 bytes in, one
 * callback per row with the channel ids in a reused buffer, no string per line or per channel (a
 * channel name is decoded once, the first time its bytes are seen). Rows it cannot read in bytes
 * (quoted fields, amounts with symbols or separators) fall back to `PathSet.add`, so the result is
 * the same as reading the text line by line.
 */
export class PathCsvReader {
	private tail: Uint8Array = new Uint8Array(0);
	line = 0;
	private ids = new Int32Array(64);
	/** Channel ids by the FNV-1a hash of their bytes; collisions resolved by comparing bytes. */
	private readonly byHash = new Map<number, Array<{ bytes: Uint8Array; id: number }>>();

	constructor(
		private readonly set: PathSet,
		private readonly onPath: (ids: Int32Array, length: number, conversions: number, nulls: number) => void,
	) {}

	push(chunk: Uint8Array): void {
		let buf = chunk;
		if (this.tail.length) {
			buf = new Uint8Array(this.tail.length + chunk.length);
			buf.set(this.tail, 0);
			buf.set(chunk, this.tail.length);
		}
		let start = 0;
		for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
			this.row(buf, start, nl);
			start = nl + 1;
		}
		this.tail = buf.slice(start);
	}

	end(): void {
		if (this.tail.length) this.row(this.tail, 0, this.tail.length);
		this.tail = new Uint8Array(0);
	}

	private channel(buf: Uint8Array, from: number, to: number): number {
		let h = 0x811c9dc5;
		for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i], 0x01000193);
		const list = this.byHash.get(h);
		if (list) {
			for (const e of list) {
				if (e.bytes.length !== to - from) continue;
				let same = true;
				for (let i = 0; i < e.bytes.length; i++) if (e.bytes[i] !== buf[from + i]) { same = false; break; }
				if (same) return e.id;
			}
		}
		const bytes = buf.slice(from, to);
		const id = this.set.channelId(decodeUtf8(bytes));
		if (list) list.push({ bytes, id });
		else this.byHash.set(h, [{ bytes, id }]);
		return id;
	}

	private row(buf: Uint8Array, from: number, to: number): void {
		const rowNumber = ++this.line;
		if (to > from && buf[to - 1] === 13) to--;
		if (to <= from) return;
		if (rowNumber === 1 && to - from >= 4 && (buf[from] | 32) === 112 && (buf[from + 1] | 32) === 97 && (buf[from + 2] | 32) === 116 && (buf[from + 3] | 32) === 104) return; // header "path"
		// Field ends (the ';' after path, conversions, value and nulls; `to` when a field is missing).
		const pathEnd = fieldEnd(buf, from, to);
		const convEnd = fieldEnd(buf, pathEnd + 1, to);
		const valueEnd = fieldEnd(buf, convEnd + 1, to);
		const conv = pathEnd < to ? plainBytes(buf, pathEnd + 1, convEnd) : 0;
		const value = convEnd < to ? plainBytes(buf, convEnd + 1, valueEnd) : 0;
		const nulls = valueEnd < to ? plainBytes(buf, valueEnd + 1, fieldEnd(buf, valueEnd + 1, to)) : 0;
		let quoted = false;
		for (let i = from; i < pathEnd; i++) if (buf[i] === 34) quoted = true;
		if (quoted || Number.isNaN(conv) || Number.isNaN(value) || Number.isNaN(nulls)) {
			// The careful path: text, the full number parser, problems recorded.
			const text = decodeUtf8(buf.subarray(from, to));
			const cols = text.split(';').map((c) => c.replace(/"/g, ''));
			this.set.lastRow = undefined;
			this.set.add(rowNumber, cols[0], cols[1], cols[2], cols[3]);
			const r = this.set.lastRow as PathRow | undefined;
			if (r) this.emit(Int32Array.from(r.path), r.path.length, r.conversions, r.nulls);
			return;
		}
		let n = 0;
		let s = from;
		for (let i = from; i <= pathEnd; i++) {
			if (i === pathEnd || buf[i] === 62) {
				let a = s;
				let b = i;
				while (a < b && (buf[a] === 32 || buf[a] === 9)) a++;
				while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 9)) b--;
				if (b > a) {
					if (n === this.ids.length) {
						const grown = new Int32Array(n * 2);
						grown.set(this.ids);
						this.ids = grown;
					}
					this.ids[n++] = this.channel(buf, a, b);
				}
				s = i + 1;
			}
		}
		if (!n) {
			this.set.problems.push({ row: rowNumber, field: 'path', reason: 'no channel in it' });
			return;
		}
		if (conv === 0 && nulls === 0) return;
		this.set.totalConversions += conv;
		this.set.totalValue += value;
		this.set.totalNulls += nulls;
		this.emit(this.ids, n, conv, nulls);
	}

	private emit(ids: Int32Array, n: number, conv: number, nulls: number): void {
		this.onPath(ids, n, conv, nulls);
	}
}

/** Index of the next ';' at or after `after` and before `to`, else `to`. */
function fieldEnd(buf: Uint8Array, after: number, to: number): number {
	if (after >= to) return to;
	const at = buf.indexOf(59, after);
	return at < 0 || at >= to ? to : at;
}

/** Digits with at most one '.', as bytes; NaN for anything else (the caller then uses the full parser). Empty is 0. */
function plainBytes(buf: Uint8Array, from: number, to: number): number {
	while (from < to && buf[from] === 32) from++;
	while (to > from && buf[to - 1] === 32) to--;
	if (to <= from) return 0;
	if (to - from > 15) return Number.NaN;
	let int = 0;
	let frac = 0;
	let scale = 1;
	let dot = false;
	for (let i = from; i < to; i++) {
		const c = buf[i];
		if (c === 46 && !dot && i > from) dot = true;
		else if (c >= 48 && c <= 57) {
			if (dot) {
				frac = frac * 10 + (c - 48);
				scale *= 10;
			} else int = int * 10 + (c - 48);
		} else return Number.NaN;
	}
	return int + frac / scale;
}

/** UTF-8 bytes → string, without platform decoders (names are short; this runs once per channel). */
function decodeUtf8(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; ) {
		const b = bytes[i];
		let cp: number;
		if (b < 0x80) {
			cp = b;
			i += 1;
		} else if (b >= 0xf0 && i + 3 < bytes.length + 0) {
			cp = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
			i += 4;
		} else if (b >= 0xe0) {
			cp = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
			i += 3;
		} else if (b >= 0xc0) {
			cp = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
			i += 2;
		} else {
			cp = 0xfffd;
			i += 1;
		}
		out += String.fromCodePoint(cp);
	}
	return out;
}
