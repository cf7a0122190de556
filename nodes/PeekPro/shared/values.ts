/** Small, total value readers for untrusted vendor payloads: they never throw. */

import { parseNumber } from '../../shared/number';

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

export function obj(value: unknown): Obj | undefined {
	return isObj(value) ? value : undefined;
}

/** A non-empty string; numbers are accepted because vendors send ids both ways. */
export function str(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const t = value.trim();
		return t && t.length <= 10_000 ? t : undefined;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** A number from a number or an amount as typed ("$298.71", "1.234,50 €"): the pack's one parser. */
export function num(value: unknown): number | undefined {
	const parsed = parseNumber(value);
	return parsed.ok ? parsed.value : undefined;
}

export function bool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

export function getPath(source: unknown, path: string): unknown {
	let cur: unknown = source;
	for (const part of path.split('.')) {
		if (!isObj(cur)) return undefined;
		cur = cur[part];
	}
	return cur;
}

/** First defined value among several dotted paths. */
export function first(source: unknown, paths: string[]): unknown {
	for (const p of paths) {
		const v = getPath(source, p);
		if (v !== undefined && v !== null && v !== '') return v;
	}
	return undefined;
}

export function firstStr(source: unknown, paths: string[]): string | undefined {
	for (const p of paths) {
		const v = str(getPath(source, p));
		if (v !== undefined) return v;
	}
	return undefined;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO-8601 date-time with offset, or undefined. Strings that already carry an offset are kept
 * verbatim (the operator's local time stays readable); epoch numbers become UTC; date-only and
 * zone-less strings are refused, because guessing their zone shifts tours by hours.
 */
export function isoDateTime(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
		const ms = value > 1e12 ? value : value * 1000;
		const d = new Date(ms);
		return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
	}
	if (typeof value !== 'string') return undefined;
	const t = value.trim();
	if (!ISO_WITH_ZONE.test(t)) return undefined;
	return Number.isNaN(Date.parse(t)) ? undefined : t;
}

/** Money from a number, a numeric string, or `{amount|value|total|cents, currency}`. */
export function money(value: unknown, currency?: string): { amount: number; currency?: string } | undefined {
	const cur = (c: unknown) => {
		const s = str(c)?.toUpperCase();
		return s && /^[A-Z]{3}$/.test(s) ? s : undefined;
	};
	const direct = parseNumber(value);
	// A currency written with the amount ("USD 12", "12 €") is used when the payload names none.
	if (direct.ok) {
		const c = cur(currency) ?? direct.currency;
		return { amount: direct.value, ...(c ? { currency: c } : {}) };
	}
	const o = obj(value);
	if (!o) return undefined;
	const c = cur(o.currency) ?? cur(o.currencyCode) ?? cur(currency);
	const cents = num(o.cents) ?? num(o.amountInCents) ?? num(o.amount_cents);
	const amount = cents !== undefined ? cents / 100 : (num(o.amount) ?? num(o.value) ?? num(o.total) ?? num(o.decimal));
	if (amount === undefined) return undefined;
	return { amount, ...(c ? { currency: c } : {}) };
}
