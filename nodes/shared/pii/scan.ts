import { isDigit, isLetter, isWordChar } from './text';

/**
 * Hand-written scanners for emails, card numbers and phone numbers. Each looks at every character
 * a bounded number of times (an address part is at most 64 + 253 units, RFC 5321), so the cost is
 * linear in the text whatever it holds.
 */
export interface Span {
	start: number;
	end: number;
	kind: 'EMAIL' | 'PHONE' | 'CARD' | 'ADDRESS' | 'NAME';
	/** What the pseudonym is derived from: the same person or address gets the same token. */
	key: string;
}

const LOCAL_MAX = 64;
const DOMAIN_MAX = 253;
const LOCAL_PUNCT = new Set(['.', '_', '+', '-', "'", '%', '!', '#', '$', '*', '=', '?', '^', '~', '/']);

function isLocalChar(c: string | undefined): boolean {
	return c !== undefined && (isLetter(c) || isDigit(c) || LOCAL_PUNCT.has(c));
}

function isDomainChar(c: string | undefined): boolean {
	return c !== undefined && (isLetter(c) || isDigit(c) || c === '-');
}

/** Whether `word` (lower-case ASCII) is at `start`, in any case; no slice, no allocation. */
function wordAt(text: string, start: number, word: string): boolean {
	for (let k = 0; k < word.length; k++) {
		const code = text.charCodeAt(start + k);
		if ((code >= 65 && code <= 90 ? code + 32 : code) !== word.charCodeAt(k)) return false;
	}
	return true;
}

/**
 * An obfuscated separator at `i` — " at ", "[at]", "(at)", "{at}", "<at>" or the same with "dot" —
 * and where it ends. Only these forms are read: "jane at example dot com" and
 * "jane[at]example[dot]com" are how people hide an address from robots; free-form spellings
 * ("jane AT example period com") are not, and guessing at them would eat ordinary sentences.
 */
function obfuscated(text: string, i: number, word: 'at' | 'dot'): { end: number; bracketed: boolean } | undefined {
	let j = i;
	while (text[j] === ' ' && j - i < 3) j++;
	const open = text[j];
	const close = open === '[' ? ']' : open === '(' ? ')' : open === '{' ? '}' : open === '<' ? '>' : undefined;
	if (close) {
		j++;
		while (text[j] === ' ' && j - i < 6) j++;
		if (!wordAt(text, j, word)) return undefined;
		j += word.length;
		while (text[j] === ' ' && j - i < 12) j++;
		if (text[j] !== close) return undefined;
		j++;
		while (text[j] === ' ' && j - i < 16) j++;
		return { end: j, bracketed: true };
	}
	if (j === i || !wordAt(text, j, word) || text[j + word.length] !== ' ') return undefined;
	j += word.length;
	while (text[j] === ' ' && j - i < 8) j++;
	return { end: j, bracketed: false };
}

interface DomainScan {
	end: number;
	key: string;
	obfuscatedDot: boolean;
}

function scanDomain(text: string, start: number): DomainScan | undefined {
	const labels: string[] = [];
	let label = '';
	let j = start;
	let obfuscatedDot = false;
	while (j - start < DOMAIN_MAX) {
		const c = text[j];
		if (isDomainChar(c)) {
			label += c;
			j++;
			continue;
		}
		if (label && (c === '.' || c === ' ' || c === '[' || c === '(' || c === '{' || c === '<')) {
			if (c === '.' && isDomainChar(text[j + 1])) {
				labels.push(label);
				label = '';
				j++;
				continue;
			}
			const dot = c === '.' ? undefined : obfuscated(text, j, 'dot');
			if (dot && isDomainChar(text[dot.end])) {
				labels.push(label);
				label = '';
				obfuscatedDot = true;
				j = dot.end;
				continue;
			}
		}
		break;
	}
	if (label) labels.push(label);
	// A label cannot end with '-' ("example.com-" ends a clause): drop the hyphens, by hand.
	if (labels.length) {
		const last = labels[labels.length - 1];
		let keep = last.length;
		while (keep > 0 && last[keep - 1] === '-') keep--;
		labels[labels.length - 1] = last.slice(0, keep);
		j -= last.length - keep;
		if (!keep) labels.pop();
	}
	if (labels.length < 2) return undefined;
	const tld = labels[labels.length - 1];
	let letters = 0;
	for (const ch of tld) if (isLetter(ch)) letters++;
	if (!(letters === tld.length && letters >= 2) && !tld.toLowerCase().startsWith('xn--')) return undefined;
	// Trailing text after the last label is not part of the address ("example.com." ends a sentence).
	let end = j;
	while (end > start && !isDomainChar(text[end - 1])) end--;
	return { end, key: labels.join('.').toLowerCase(), obfuscatedDot };
}

/** Emails: `@` (decoded from any encoding) or an obfuscated " at ", with a local part and a dotted domain. */
export function scanEmails(text: string): Span[] {
	const spans: Span[] = [];
	let i = 0;
	let floor = 0;
	while (i < text.length) {
		const c = text[i];
		let sepEnd = -1;
		let obfuscatedAt = false;
		let bracketed = false;
		if (c === '@') sepEnd = i + 1;
		else if ((c === ' ' || c === '[' || c === '(' || c === '{' || c === '<') && isLocalChar(text[i - 1])) {
			const at = obfuscated(text, i, 'at');
			if (at) {
				sepEnd = at.end;
				obfuscatedAt = true;
				bracketed = at.bracketed;
			}
		}
		if (sepEnd < 0) {
			i++;
			continue;
		}
		let start = i;
		while (start > floor && i - start < LOCAL_MAX && isLocalChar(text[start - 1])) start--;
		while (start < i && (text[start] === '.' || text[start] === '%')) start++;
		const domain = start < i ? scanDomain(text, sepEnd) : undefined;
		if (!domain) {
			i++;
			continue;
		}
		const local = text.slice(start, i);
		if (obfuscatedAt && !bracketed && !domain.obfuscatedDot) {
			// "meet at booking.com" is a sentence; "jane.doe at example.com" is an address.
			let marked = false;
			for (const ch of local) if (isDigit(ch) || ch === '.' || ch === '_' || ch === '+' || ch === '-') marked = true;
			if (!marked) {
				i++;
				continue;
			}
		}
		spans.push({ start, end: domain.end, kind: 'EMAIL', key: `${local.toLowerCase()}@${domain.key}` });
		i = floor = domain.end;
	}
	return spans;
}

function luhnValid(digits: string): boolean {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum % 10 === 0;
}

const PHONE_SEPARATORS = new Set([' ', '-', '.', '(', ')', '/']);
const SEPARATOR_PAIRS = new Set([') ', ' (', ')-', '-(', ' -', '- ', ').', '.(']);
const CURRENCY = new Set(['$', '€', '£', '¥', '₹', '₦', '₩', '₽', '#']);

/** "2026-08-02", "02/08/2026", "8.2.26": three numeric parts with one separator and no spaces. */
function looksLikeDate(run: string): boolean {
	const parts = run.split(/[./-]/);
	if (parts.length !== 3 || /[^\d./-]/.test(run)) return false;
	const sep = run.replace(/\d/g, '');
	if (sep[0] !== sep[1]) return false;
	const [a, b, c] = parts.map((p) => p.length);
	return (a === 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && (c === 2 || c === 4));
}

/** "2025-2026", "1999 2004": year ranges and lists. */
function looksLikeYears(groups: string[]): boolean {
	return groups.every((g) => g.length === 4 && (g.startsWith('19') || g.startsWith('20')));
}

/** Whether a `)` lies in [start, end): looked for within the number only, never beyond it. */
function closesWithin(text: string, start: number, end: number): boolean {
	for (let k = start; k < end; k++) if (text[k] === ')') return true;
	return false;
}

function classifyNumber(text: string, from: number, end: number, spans: Span[]): void {
	// "(02/08/2026": an opening bracket without its closing one belongs to the text around.
	let start = from;
	while (start < end && (text[start] === '(' || text[start] === ' ') && !closesWithin(text, start, end)) start++;
	let digitCount = 0;
	let spaces = false;
	for (let k = start; k < end; k++) {
		if (isDigit(text[k])) digitCount++;
		else if (text[k] === ' ') spaces = true;
	}
	if (digitCount < 7) return;
	// Longer than any phone number and not a card: an id, unless spaces show two numbers side by side.
	if (digitCount > 19 && !spaces) return;
	const run = text.slice(start, end);
	const digits = run.replace(/\D/g, '');
	if (digits.length >= 13 && digits.length <= 19 && /^[\d -]+$/.test(run) && luhnValid(digits)) {
		spans.push({ start, end, kind: 'CARD', key: digits });
		return;
	}
	if (digits.length > 15) {
		if (!spaces) return;
		// Two numbers side by side ("403 555 0142 403 555 0199"): cut at spaces into phone-sized pieces.
		let pieceStart = start;
		let count = 0;
		let lastSpace = -1;
		for (let k = start; k <= end; k++) {
			const ch = text[k];
			if (k === end || ch === ' ') {
				if (count > 15 && lastSpace > pieceStart) {
					classifyNumber(text, pieceStart, lastSpace, spans);
					pieceStart = lastSpace + 1;
					count = text.slice(pieceStart, k).replace(/\D/g, '').length;
				}
				lastSpace = k;
				if (k === end) classifyNumber(text, pieceStart, end, spans);
			} else if (isDigit(ch)) count++;
		}
		return;
	}
	if (looksLikeDate(run) || looksLikeYears(run.split(/[^\d]+/).filter(Boolean))) return;
	spans.push({ start, end, kind: 'PHONE', key: digits });
}

/**
 * Phone and card numbers: runs of digits, spaces, `-`, `.`, `/` and brackets with an optional
 * leading `+`, not glued to a word, holding 7-15 digits (E.164's range) or a Luhn-valid 13-19 digit
 * card number. Dates, year ranges and amounts after a currency sign are left alone.
 */
export function scanNumbers(text: string): Span[] {
	const spans: Span[] = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		const startsNumber = isDigit(c) || ((c === '+' || c === '(') && (isDigit(text[i + 1]) || (text[i + 1] === '(' && isDigit(text[i + 2]))));
		if (!startsNumber || isWordChar(text[i - 1]) || (text[i - 1] === '-' && isWordChar(text[i - 2]))) {
			i++;
			continue;
		}
		let j = i + 1;
		while (j < text.length && (isDigit(text[j]) || PHONE_SEPARATORS.has(text[j]))) {
			// Two separators in a row end the number unless they are a bracket and a space or dash.
			if (PHONE_SEPARATORS.has(text[j]) && PHONE_SEPARATORS.has(text[j - 1]) && !SEPARATOR_PAIRS.has(text[j - 1] + text[j])) break;
			j++;
		}
		let end = j;
		while (end > i && !isDigit(text[end - 1])) end--;
		// "(4035550111)": the opening bracket belongs to the text when the closing one is left out.
		let start = i;
		if (text[start] === '(' && !closesWithin(text, start, end)) start++;
		const glued = isLetter(text[end]) || text[end] === '_' || text[end] === '@';
		let before = i - 1;
		while (before >= 0 && text[before] === ' ' && i - before < 3) before--;
		if (!glued && !CURRENCY.has(text[before])) classifyNumber(text, start, end, spans);
		i = Math.max(j, i + 1);
	}
	return spans;
}
