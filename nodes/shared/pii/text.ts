/**
 * Character-level helpers for the PII scanners. Everything here walks the text once, by hand:
 * detection runs on notes, reviews and audited bodies that anyone can type, so no step may
 * backtrack (a regex like the old email pattern took 9 s on 80,000 characters without an `@`).
 */

const SPECIAL_FOLD: Record<string, string> = { ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ı: 'i' };
/** Folded code unit per BMP code unit, filled on first use (0 = not yet computed). */
const FOLD_TABLE = new Uint16Array(0x10000);

function foldCode(code: number): number {
	const cached = FOLD_TABLE[code];
	if (cached) return cached;
	let out = code;
	if (code >= 65 && code <= 90) out = code + 32;
	else if (code >= 0x80 && !(code >= 0xd800 && code <= 0xdfff)) {
		const c = String.fromCharCode(code);
		const special = SPECIAL_FOLD[c];
		if (special) out = special.charCodeAt(0);
		else {
			const base = c.normalize('NFD')[0];
			const lower = base.toLowerCase();
			out = lower.length === 1 ? lower.charCodeAt(0) : base.length === 1 ? base.charCodeAt(0) : code;
		}
	}
	FOLD_TABLE[code] = out || code;
	return out;
}

/**
 * Lower case without diacritics, one UTF-16 unit for one unit, so an index in the folded text is
 * the same index in the original ("José" and "JOSE" fold to "jose"). Must match the generator
 * (scripts/generate-person-names.mjs).
 */
export function fold(text: string): string {
	let ascii = true;
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) >= 0x80) {
			ascii = false;
			break;
		}
	}
	if (ascii) return text.toLowerCase();
	const codes = new Uint16Array(text.length);
	for (let i = 0; i < text.length; i++) codes[i] = foldCode(text.charCodeAt(i));
	return Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).toString('utf16le');
}

const LETTER = /[\p{L}\p{M}]/u;
const UPPER = /\p{Lu}/u;

export function isDigit(c: string | undefined): boolean {
	return c !== undefined && c >= '0' && c <= '9';
}

/** A letter or combining mark of any script (surrogate halves count, so CJK extensions do too). */
export function isLetter(c: string | undefined): boolean {
	if (c === undefined) return false;
	const code = c.charCodeAt(0);
	if (code < 0x80) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
	if (code >= 0xd800 && code <= 0xdfff) return true;
	return LETTER.test(c);
}

export function isUpper(c: string | undefined): boolean {
	if (c === undefined) return false;
	const code = c.charCodeAt(0);
	if (code < 0x80) return code >= 65 && code <= 90;
	return UPPER.test(c);
}

/** Scripts without upper case (Arabic, Hebrew, Devanagari, ...): a name there has no capital to show. */
export function isCaseless(c: string | undefined): boolean {
	if (c === undefined || c.charCodeAt(0) < 0x80) return false;
	return isLetter(c) && c.toLowerCase() === c.toUpperCase();
}

export function isWordChar(c: string | undefined): boolean {
	return isLetter(c) || isDigit(c) || c === '_';
}

/**
 * Text as the scanners read it, with a map back to the original: `%40`, `&#64;`, `&commat;`, `＠`,
 * full-width and Arabic-Indic digits and the like are decoded, so `jane%40example.com`,
 * `jane&#64;example.com` and `jane@example.com` are found alike and get the same pseudonym.
 * Decoded unit `i` came from original units `[from[i], to[i])`.
 */
export interface Decoded {
	text: string;
	/** Absent when nothing was decoded: then decoded and original indexes are the same. */
	from?: Int32Array;
	to?: Int32Array;
}

const NAMED_ENTITIES: Record<string, string> = {
	commat: '@',
	period: '.',
	plus: '+',
	amp: '&',
	lowbar: '_',
	hyphen: '-',
	dash: '-',
	nbsp: ' ',
	lpar: '(',
	rpar: ')',
	num: '#',
	apos: "'",
	quot: '"',
	lt: '<',
	gt: '>',
};

function hexValue(c: string | undefined): number {
	if (c === undefined) return -1;
	const code = c.charCodeAt(0);
	if (code >= 48 && code <= 57) return code - 48;
	if (code >= 65 && code <= 70) return code - 55;
	if (code >= 97 && code <= 102) return code - 87;
	return -1;
}

/** Full-width forms, other digit systems and look-alike `@` signs, as the ASCII a scanner expects. */
function asciiLookalike(code: number): string | undefined {
	if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 48);
	if (code >= 0x0660 && code <= 0x0669) return String.fromCharCode(code - 0x0660 + 48);
	if (code >= 0x06f0 && code <= 0x06f9) return String.fromCharCode(code - 0x06f0 + 48);
	if (code >= 0x0966 && code <= 0x096f) return String.fromCharCode(code - 0x0966 + 48);
	switch (code) {
		case 0xff20:
		case 0xfe6b:
			return '@';
		case 0xff0b:
			return '+';
		case 0xff0d:
		case 0x2010:
		case 0x2011:
		case 0x2012:
		case 0x2013:
			return '-';
		case 0xff0e:
		case 0x3002:
			return '.';
		case 0xff08:
			return '(';
		case 0xff09:
			return ')';
		case 0x00a0:
		case 0x2007:
		case 0x202f:
		case 0x3000:
			return ' ';
		default:
			return undefined;
	}
}

/** `%XX` bytes starting at `i`, decoded as UTF-8 when they form it; the units consumed. */
function percentRun(text: string, i: number): { value: string; end: number } | undefined {
	const bytes: number[] = [];
	let j = i;
	// A run is bounded by the text; each position is read once.
	while (text[j] === '%' && hexValue(text[j + 1]) >= 0 && hexValue(text[j + 2]) >= 0) {
		bytes.push(hexValue(text[j + 1]) * 16 + hexValue(text[j + 2]));
		j += 3;
	}
	if (!bytes.length) return undefined;
	let value: string;
	try {
		value = decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
	} catch {
		// Not UTF-8: keep the ASCII bytes that mean something to an address or number.
		value = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\uFFFD')).join('');
	}
	return { value, end: j };
}

function entityAt(text: string, i: number): { value: string; end: number } | undefined {
	if (text[i] !== '&') return undefined;
	if (text[i + 1] === '#') {
		const hex = text[i + 2] === 'x' || text[i + 2] === 'X';
		let j = i + (hex ? 3 : 2);
		let code = 0;
		const start = j;
		while (j - start < 7) {
			const v = hex ? hexValue(text[j]) : isDigit(text[j]) ? text.charCodeAt(j) - 48 : -1;
			if (v < 0) break;
			code = code * (hex ? 16 : 10) + v;
			j++;
		}
		if (j === start || text[j] !== ';' || code > 0x10ffff) return undefined;
		return { value: String.fromCodePoint(code), end: j + 1 };
	}
	let j = i + 1;
	while (j - i <= 8 && ((text[j] >= 'a' && text[j] <= 'z') || (text[j] >= 'A' && text[j] <= 'Z'))) j++;
	if (text[j] !== ';') return undefined;
	const value = NAMED_ENTITIES[text.slice(i + 1, j).toLowerCase()];
	return value === undefined ? undefined : { value, end: j + 1 };
}

function needsDecoding(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === 37 || code === 38 || (code >= 0x80 && asciiLookalike(code) !== undefined)) return true;
	}
	return false;
}

export function decodeForScan(text: string): Decoded {
	if (!needsDecoding(text)) return { text };
	// Decoding only shortens (or keeps) the text, so the maps fit in the original's length.
	const from = new Int32Array(text.length + 2);
	const to = new Int32Array(text.length + 2);
	const parts: string[] = [];
	let n = 0;
	const push = (value: string, start: number, end: number) => {
		parts.push(value);
		for (let k = 0; k < value.length; k++) {
			from[n] = start;
			to[n] = end;
			n++;
		}
	};
	let i = 0;
	let plain = 0;
	const flush = (upTo: number) => {
		if (upTo > plain) {
			parts.push(text.slice(plain, upTo));
			for (let k = plain; k < upTo; k++) {
				from[n] = k;
				to[n] = k + 1;
				n++;
			}
		}
	};
	while (i < text.length) {
		const c = text[i];
		let decoded: { value: string; end: number } | undefined;
		if (c === '%') decoded = percentRun(text, i);
		else if (c === '&') decoded = entityAt(text, i);
		else if (c.charCodeAt(0) >= 0x80) {
			const ascii = asciiLookalike(c.charCodeAt(0));
			if (ascii) decoded = { value: ascii, end: i + 1 };
		}
		if (!decoded || n + (i - plain) + decoded.value.length > text.length + 2) {
			i++;
			continue;
		}
		flush(i);
		const run = decoded;
		// Each decoded character maps to the units it came from, so a match can start or end inside a run.
		const perChar = (run.end - i) / Math.max(1, run.value.length);
		if (Number.isInteger(perChar)) {
			for (let k = 0; k < run.value.length; k++) push(run.value[k], i + k * perChar, i + (k + 1) * perChar);
		} else push(run.value, i, run.end);
		i = plain = run.end;
	}
	flush(text.length);
	return { text: parts.join(''), from: from.subarray(0, n), to: to.subarray(0, n) };
}

/** A span of the decoded text as a span of the original. */
export function originalSpan(d: Decoded, start: number, end: number): [number, number] {
	if (!d.from || !d.to) return [start, end];
	return [d.from[start], d.to[end - 1]];
}
