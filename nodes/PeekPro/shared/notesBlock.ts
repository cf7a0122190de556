/**
 * The structured block this pack keeps inside a Peek booking's notes:
 *
 *     [peekpro-ai]
 *     ai.score=0.82
 *     outlook.eventId=AAMkAD...
 *     [/peekpro-ai]
 *
 * Peek's notes endpoint can only append or overwrite the whole note, so a write-back reads the note,
 * replaces its own block (removing any stray copies a naive append left behind), keeps the
 * operator's text untouched, and overwrites. Keys are sorted so an unchanged block is byte-identical
 * and the write can be skipped.
 */

export const BLOCK_START = '[peekpro-ai]';
export const BLOCK_END = '[/peekpro-ai]';

export type BlockValue = string | number | boolean;
export type BlockValues = Record<string, BlockValue>;

const KEY_RE = /^[A-Za-z0-9_.-]{1,100}$/;

/** Keys outside `[A-Za-z0-9_.-]` become `_` so a key can never break the block's line format. */
export function sanitizeKey(key: string): string {
	const k = key.trim().replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
	return k || '_';
}

function sanitizeValue(value: BlockValue): string {
	return String(value)
		.replace(/\[\/?peekpro-ai\]/gi, '')
		.replace(/[\r\n]+/g, ' ')
		.trim()
		.slice(0, 1000);
}

export function encodeBlock(values: BlockValues): string {
	const lines = Object.keys(values)
		.map((k) => [sanitizeKey(k), sanitizeValue(values[k])] as const)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([k, v]) => `${k}=${v}`);
	return [BLOCK_START, ...lines, BLOCK_END].join('\n');
}

interface FoundBlock {
	/** Where the block and the newlines around it start and end in the note. */
	start: number;
	end: number;
	body: string;
}

/**
 * Every `[peekpro-ai] … [/peekpro-ai]` block, with the newlines around it, found with `indexOf`:
 * the note is free text anyone can type, and the lazy regex this replaces (any newlines, the start
 * tag, the shortest run of anything, the end tag, any newlines) was quadratic on many starts without
 * an end and on long runs of newlines.
 */
function findBlocks(source: string): FoundBlock[] {
	const blocks: FoundBlock[] = [];
	let from = 0;
	for (;;) {
		const open = source.indexOf(BLOCK_START, from);
		if (open < 0) break;
		const close = source.indexOf(BLOCK_END, open + BLOCK_START.length);
		// No end after this start: no later start has one either.
		if (close < 0) break;
		let start = open;
		while (start > from && source[start - 1] === '\n') start--;
		let end = close + BLOCK_END.length;
		while (end < source.length && source[end] === '\n') end++;
		blocks.push({ start, end, body: source.slice(open + BLOCK_START.length, close) });
		from = end;
	}
	return blocks;
}

/** The operator's text (every block removed) and the values of the last block found. */
export function parseNote(note: string | undefined | null): { text: string; values: Record<string, string>; blocks: number } {
	const source = typeof note === 'string' ? note : '';
	const values: Record<string, string> = {};
	const found = findBlocks(source);
	let text = '';
	let at = 0;
	for (const block of found) {
		for (const line of block.body.split('\n')) {
			const i = line.indexOf('=');
			if (i <= 0) continue;
			const key = line.slice(0, i).trim();
			if (KEY_RE.test(key)) values[key] = line.slice(i + 1).trim();
		}
		text += `${source.slice(at, block.start)}\n`;
		at = block.end;
	}
	text += source.slice(at);
	let start = 0;
	let end = text.length;
	while (start < end && text[start] === '\n') start++;
	while (end > start && text[end - 1] === '\n') end--;
	return { text: text.slice(start, end), values, blocks: found.length };
}

/**
 * The note with exactly one block holding `values` (merged over the existing block's values unless
 * `replace`), appended after the operator's text. `null` deletes a key on merge.
 */
export function upsertBlock(
	note: string | undefined | null,
	values: Record<string, BlockValue | null>,
	options: { replace?: boolean } = {},
): { note: string; values: Record<string, string>; changed: boolean } {
	const parsed = parseNote(note);
	const next: Record<string, string> = options.replace ? {} : { ...parsed.values };
	for (const [k, v] of Object.entries(values)) {
		const key = sanitizeKey(k);
		if (v === null) delete next[key];
		else next[key] = sanitizeValue(v);
	}
	const block = Object.keys(next).length ? encodeBlock(next) : '';
	const out = [parsed.text, block].filter(Boolean).join('\n\n');
	return { note: out, values: next, changed: out !== (note ?? '') };
}
