/**
 * The pack's one number parser, for amounts and scores as people and shops type them: "$1,234.50",
 * "1.234,50 €", "USD 12", "12 EUR", "1'234.50", "1 234,50", "(45.00)", "-12", "1.5k", "2M".
 * Every node reads numbers from items through it (AI Scorer features, Peek Pro money, Klaviyo event
 * values, the eCommerce order normalizer), so the same text means the same number everywhere.
 *
 * Decisions (each with its reason):
 * - One `.` is a decimal point ("1.234" = 1.234): that is how JSON, JavaScript and every API we read
 *   write numbers. Two or more `.` are thousands separators ("1.234.567").
 * - One `,` followed by exactly three digits is a thousands separator ("1,234" = 1234): amounts
 *   with three decimals are rare (a handful of currencies) while "1,234" for a thousand is what
 *   shop exports and English-speaking guests write. With one or two digits after it, a `,` is the
 *   decimal comma ("12,5", "1234,50"); with four or more, the text is rejected as ambiguous.
 * - With both `.` and `,` the later one is the decimal separator ("1,234.50", "1.234,50").
 * - Spaces, no-break spaces and apostrophes are only ever thousands separators ("1 234,50", "1'234.50").
 * - Thousands groups must have three digits (Indian lakh grouping "1,23,456" is accepted too), so
 *   "12,34,5" is rejected rather than guessed.
 * - Suffixes k (thousand), m (million) and bn (billion), any case. Negative: a leading or trailing
 *   minus or parentheses "(12.50)" (accounting).
 * - Currency: ISO 4217 codes before or after the number, and symbols; a code, `€`, `£` or a
 *   prefixed dollar ("CA$", "A$", "US$") is returned as `currency`; a bare `$` or `¥` names no
 *   single currency, so none is returned.
 *
 * Every regular expression here is anchored, with no nested or adjacent overlapping quantifiers, so
 * each runs in linear time; input longer than 64 characters is refused before any of them runs.
 */

export type ParsedNumber = { ok: true; value: number; currency?: string } | { ok: false; reason: string };

const MAX_LENGTH = 64;

/** Single-character symbols; `undefined` when the symbol names several currencies. */
const SYMBOLS: Record<string, string | undefined> = {
	$: undefined,
	'€': 'EUR',
	'£': 'GBP',
	'¥': undefined,
	'₹': 'INR',
	'₩': 'KRW',
	'₪': 'ILS',
	'₱': 'PHP',
	'฿': 'THB',
	'₫': 'VND',
	'₦': 'NGN',
	'₺': 'TRY',
	'₽': 'RUB',
	'₴': 'UAH',
	'₲': 'PYG',
};

const PREFIXED_DOLLARS: Record<string, string> = {
	US$: 'USD',
	CA$: 'CAD',
	C$: 'CAD',
	A$: 'AUD',
	AU$: 'AUD',
	NZ$: 'NZD',
	HK$: 'HKD',
	S$: 'SGD',
	R$: 'BRL',
	MX$: 'MXN',
};

const SUFFIXES: Record<string, number> = { k: 1e3, m: 1e6, bn: 1e9 };

let isoCodes: Set<string> | undefined;
function isCurrencyCode(code: string): boolean {
	if (!isoCodes) {
		const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
		isoCodes = new Set(intl.supportedValuesOf ? intl.supportedValuesOf('currency') : ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'MXN']);
	}
	return isoCodes.has(code.toUpperCase());
}

function fail(reason: string): ParsedNumber {
	return { ok: false, reason };
}

const MINUS = new Set(['-', '\u2212', '\u2013']);
const GROUP_CHARS = new Set([' ', '\u00a0', '\u202f', "'", '\u2019']);
const DIGITS_ONLY = /^\d+$/;
const SCIENTIFIC = /^\d+(?:\.\d+)?e[+-]?\d+$/i;

/** Groups after the first must be 3 digits; Indian grouping (2-digit groups, then a final 3) is allowed. */
function validGrouping(groups: string[]): boolean {
	if (!groups.every((g) => DIGITS_ONLY.test(g))) return false;
	if (groups[0].length < 1 || groups[0].length > 3) return false;
	const rest = groups.slice(1);
	if (rest.every((g) => g.length === 3)) return true;
	// Lakh/crore: 1,23,45,678
	return rest.length >= 2 && rest[rest.length - 1].length === 3 && rest.slice(0, -1).every((g) => g.length === 2) && groups[0].length <= 2;
}

/** The numeric core (digits and separators only) → a JavaScript number, or why not. */
function parseCore(core: string): ParsedNumber {
	if (SCIENTIFIC.test(core)) return { ok: true, value: Number(core) };
	// Spaces and apostrophes only ever group thousands, and then a "." or "," after the last group is
	// the decimal separator ("1 234,50", "1'234.50").
	if ([...GROUP_CHARS].some((ch) => core.includes(ch))) {
		const parts = core.split('').map((ch) => (GROUP_CHARS.has(ch) ? ' ' : ch)).join('').split(' ');
		const last = /^(\d{3})(?:[.,](\d+))?$/.exec(parts.pop() ?? '');
		if (!last || !validGrouping([...parts, last[1]])) return fail(`"${core}": digit groups between separators must have three digits`);
		return { ok: true, value: Number(`${parts.join('')}${last[1]}.${last[2] ?? '0'}`) };
	}
	const text = core;
	if (text === '') return fail('no digits');
	const dots = text.split('.').length - 1;
	const commas = text.split(',').length - 1;
	let integer: string;
	let decimals = '';
	if (dots && commas) {
		const decimalSep = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
		const groupSep = decimalSep === '.' ? ',' : '.';
		const at = text.lastIndexOf(decimalSep);
		const head = text.slice(0, at);
		decimals = text.slice(at + 1);
		if (head.includes(decimalSep)) return fail(`"${core}": "${decimalSep}" appears twice but is the decimal separator`);
		if (!validGrouping(head.split(groupSep))) return fail(`"${core}": digit groups between "${groupSep}" must have three digits`);
		integer = head.split(groupSep).join('');
	} else if (commas || dots) {
		const sep = commas ? ',' : '.';
		const parts = text.split(sep);
		if (parts.length > 2) {
			if (!validGrouping(parts)) return fail(`"${core}": digit groups between "${sep}" must have three digits`);
			integer = parts.join('');
		} else if (sep === '.') {
			[integer, decimals] = parts;
		} else if (parts[1].length === 3 && parts[0] !== '' && parts[0] !== '0') {
			// "1,234": a thousands separator (see the decisions above).
			integer = parts.join('');
		} else if (parts[1].length <= 2 || parts[0] === '' || parts[0] === '0') {
			[integer, decimals] = parts;
		} else {
			return fail(`"${core}": cannot tell whether "," is a decimal or a thousands separator`);
		}
	} else {
		integer = text;
	}
	if (integer === '' && decimals === '') return fail('no digits');
	if ((integer !== '' && !DIGITS_ONLY.test(integer)) || (decimals !== '' && !DIGITS_ONLY.test(decimals))) return fail(`"${core}" is not a number`);
	const value = Number(`${integer || '0'}.${decimals || '0'}`);
	return Number.isFinite(value) ? { ok: true, value } : fail(`"${core}" is out of range`);
}

/** Parses an amount or score; `{ ok: false, reason }` says why a value is not a number. */
export function parseNumber(input: unknown): ParsedNumber {
	if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : fail('not a finite number');
	if (typeof input === 'bigint') return { ok: true, value: Number(input) };
	if (typeof input !== 'string') return fail(input === null || input === undefined ? 'missing' : `a ${Array.isArray(input) ? 'list' : typeof input} is not a number`);
	let s = input.trim();
	if (s === '') return fail('empty');
	if (s.length > MAX_LENGTH) return fail(`longer than ${MAX_LENGTH} characters: not an amount`);

	let negative = false;
	let currency: string | undefined;
	let sawCurrency = false;
	const setCurrency = (code: string | undefined): boolean => {
		if (sawCurrency) return false;
		sawCurrency = true;
		currency = code;
		return true;
	};
	const setNegative = (): boolean => {
		if (negative) return false;
		negative = true;
		return true;
	};

	if (s.startsWith('(') && s.endsWith(')')) {
		setNegative();
		s = s.slice(1, -1).trim();
	}
	// Leading tokens: sign and currency, in either order ("-$12", "$-12", "USD -12").
	for (let guard = 0; guard < 3 && s !== ''; guard++) {
		const first = s[0];
		if (MINUS.has(first)) {
			if (!setNegative()) return fail(`"${input}" has two minus signs`);
			s = s.slice(1).trimStart();
			continue;
		}
		if (first === '+') {
			s = s.slice(1).trimStart();
			continue;
		}
		const dollar = /^([A-Za-z]{1,2})\$/.exec(s);
		if (dollar && PREFIXED_DOLLARS[`${dollar[1].toUpperCase()}$`]) {
			if (!setCurrency(PREFIXED_DOLLARS[`${dollar[1].toUpperCase()}$`])) return fail(`"${input}" names two currencies`);
			s = s.slice(dollar[0].length).trimStart();
			continue;
		}
		if (first in SYMBOLS) {
			if (!setCurrency(SYMBOLS[first])) return fail(`"${input}" names two currencies`);
			s = s.slice(1).trimStart();
			continue;
		}
		const code = /^([A-Za-z]{3})(?![A-Za-z])/.exec(s);
		if (code && isCurrencyCode(code[1])) {
			if (!setCurrency(code[1].toUpperCase())) return fail(`"${input}" names two currencies`);
			s = s.slice(3).trimStart();
			continue;
		}
		break;
	}
	// Trailing tokens: currency, sign, suffix ("12 EUR", "12€", "12-", "1.5k").
	let multiplier = 1;
	for (let guard = 0; guard < 3 && s !== ''; guard++) {
		const last = s[s.length - 1];
		if (MINUS.has(last)) {
			if (!setNegative()) return fail(`"${input}" has two minus signs`);
			s = s.slice(0, -1).trimEnd();
			continue;
		}
		if (last in SYMBOLS) {
			if (!setCurrency(SYMBOLS[last])) return fail(`"${input}" names two currencies`);
			s = s.slice(0, -1).trimEnd();
			continue;
		}
		const code = /(?:^|[^A-Za-z])([A-Za-z]{3})$/.exec(s);
		if (code && isCurrencyCode(code[1])) {
			if (!setCurrency(code[1].toUpperCase())) return fail(`"${input}" names two currencies`);
			s = s.slice(0, -3).trimEnd();
			continue;
		}
		const suffix = /\d\s?(k|m|bn)$/i.exec(s);
		if (suffix && multiplier === 1) {
			multiplier = SUFFIXES[suffix[1].toLowerCase()];
			s = s.slice(0, -suffix[1].length).trimEnd();
			continue;
		}
		break;
	}
	if (s === '') return fail(`"${input}" has no digits`);
	if (!/^[\d.,'\u2019 \u00a0\u202f]+$/.test(s) && !SCIENTIFIC.test(s)) return fail(`"${input}" is not a number`);
	const core = parseCore(s);
	if (!core.ok) return core;
	const value = (negative ? -1 : 1) * core.value * multiplier;
	// Suffix arithmetic can leave float noise (1.1k = 1100.0000000000002).
	const clean = multiplier === 1 ? value : Number(value.toPrecision(15));
	return { ok: true, value: clean === 0 ? 0 : clean, ...(currency ? { currency } : {}) };
}

/** The number, or NaN when the value is not one (for feature extraction, where NaN means missing). */
export function toNumber(input: unknown): number {
	const parsed = parseNumber(input);
	return parsed.ok ? parsed.value : Number.NaN;
}
