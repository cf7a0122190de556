import type { IDataObject } from 'n8n-workflow';

import { DAY_MS, get, num, time } from '../../shared/fields';
import type { FeatureSpec } from './features';

/**
 * Features from any fields of the operator's own items. Train infers a schema from the rows (each
 * field's type, the categories it keeps, the date parts it derives); the schema travels inside the
 * model JSON and Score encodes items with it unchanged, so training and scoring can never disagree.
 *
 * Encoded row ("tree space"): one value per feature, NaN for missing; a category is its code
 * (0..categories.length-1, and categories.length for "other", which also takes unseen values). The
 * logistic model reads the same row one-hot expanded (see `oneHotWidth`).
 */
export type ColumnSpec =
	| { field: string; kind: 'number' }
	| { field: string; kind: 'boolean' }
	| { field: string; kind: 'category'; categories: string[] }
	| { field: string; kind: 'date'; parts: DatePart[]; leadFrom?: string };

export type DatePart = 'month' | 'weekday' | 'hour' | 'lead_days';

export interface TabularSchema {
	columns: ColumnSpec[];
	/** Fields looked at and left out, with why (identifiers, constants, empty): shown in Train's report. */
	skipped?: Array<{ field: string; reason: string }>;
}

export interface SchemaOptions {
	/** Explicit feature fields (dot paths). Empty: every top-level field except the label and excluded ones. */
	fields?: string[];
	exclude?: string[];
	label: string;
	/** A date field (when the booking was made): every other date gets its lead time in days from it. */
	leadFrom?: string;
	/** Most frequent categories kept per field; the rest share the "other" bucket. At most 254 (tree bins). */
	maxCategories?: number;
}

export const DEFAULT_MAX_CATEGORIES = 100;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOL = /^(true|false|yes|no)$/i;

/** A named reason the data cannot train a model (Train turns it into a NodeOperationError). */
export class TrainingDataError extends Error {
	constructor(
		readonly code: 'noUsableFeature' | 'oneClass' | 'tooFewRows' | 'badField',
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'TrainingDataError';
	}
}

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/** num() with a fast path for plain decimals (CSV exports are mostly those); the shared parser for the rest. */
function number(v: unknown): number {
	if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
	if (typeof v === 'string' && PLAIN_NUMBER.test(v)) return +v;
	return num(v);
}

function present(v: unknown): boolean {
	return v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && v.trim() === '');
}

/** Category key of a value: trimmed text; numbers and booleans as written. */
function catKey(v: unknown): string | undefined {
	if (!present(v)) return undefined;
	if (typeof v === 'string') return v.trim();
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return undefined;
}

function isDateText(v: unknown): boolean {
	return typeof v === 'string' && ISO_DATE.test(v.trim()) && !Number.isNaN(Date.parse(v));
}

/** Infers the schema from training rows. Throws TrainingDataError when no field is usable. */
export function inferSchema(rows: IDataObject[], options: SchemaOptions): TabularSchema {
	const cap = Math.max(2, Math.min(254, Math.floor(options.maxCategories ?? DEFAULT_MAX_CATEGORIES)));
	const excluded = new Set([options.label, ...(options.exclude ?? [])]);
	let fields = options.fields?.filter((f) => f && !excluded.has(f)) ?? [];
	if (!fields.length) {
		const seen = new Set<string>();
		for (const r of rows.slice(0, 1000)) for (const k of Object.keys(r)) if (!excluded.has(k)) seen.add(k);
		fields = [...seen];
	}
	const columns: ColumnSpec[] = [];
	const skipped: Array<{ field: string; reason: string }> = [];
	for (const field of fields) {
		let nPresent = 0;
		let nNumber = 0;
		let nBool = 0;
		let nDate = 0;
		let nObject = 0;
		let withTime = false;
		const counts = new Map<string, number>();
		for (const r of rows) {
			const v = get(r, field);
			if (!present(v)) continue;
			nPresent++;
			if (typeof v === 'object') {
				nObject++;
				continue;
			}
			if (typeof v === 'boolean' || (typeof v === 'string' && BOOL.test(v.trim()))) nBool++;
			else if (isDateText(v)) {
				nDate++;
				if (/[T ]\d{2}:\d{2}/.test(v as string) && !/[T ]00:00(:00)?/.test(v as string)) withTime = true;
			} else if (typeof v === 'number' || (typeof v === 'string' && /\d/.test(v) && !Number.isNaN(number(v)))) nNumber++;
			const key = catKey(v);
			if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		if (nPresent === 0) {
			skipped.push({ field, reason: 'always empty' });
			continue;
		}
		if (nObject > nPresent / 2) {
			skipped.push({ field, reason: 'holds objects or lists (name a nested field, e.g. customer.country)' });
			continue;
		}
		if (counts.size < 2) {
			skipped.push({ field, reason: 'has one value only' });
			continue;
		}
		// 95%: a few typos ("n/a") in a number column leave it a number, read as missing.
		const share = (k: number) => k >= 0.95 * (nPresent - nObject);
		if (share(nBool)) columns.push({ field, kind: 'boolean' });
		else if (share(nDate)) {
			const parts: DatePart[] = ['month', 'weekday'];
			if (withTime) parts.push('hour');
			if (options.leadFrom && options.leadFrom !== field) parts.push('lead_days');
			columns.push({ field, kind: 'date', parts, leadFrom: options.leadFrom && options.leadFrom !== field ? options.leadFrom : undefined });
		} else if (share(nNumber + nBool)) columns.push({ field, kind: 'number' });
		else {
			// A text field where nearly every row has its own value is an identifier (name, email, id):
			// it cannot generalise, and it would leak personal data into the model JSON.
			if (counts.size > 0.5 * nPresent && counts.size > cap) {
				skipped.push({ field, reason: 'looks like an identifier (almost every row has its own value)' });
				continue;
			}
			const categories = [...counts.entries()]
				.filter(([, c]) => c >= 2)
				.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
				.slice(0, cap)
				.map(([k]) => k);
			if (!categories.length) {
				skipped.push({ field, reason: 'no value occurs twice' });
				continue;
			}
			columns.push({ field, kind: 'category', categories });
		}
	}
	if (!columns.length) {
		throw new TrainingDataError(
			'noUsableFeature',
			`No usable feature: none of the fields (${fields.slice(0, 8).join(', ') || 'none'}) can be learned from`,
			`Fields looked at: ${skipped.map((s) => `${s.field} (${s.reason})`).join('; ') || 'none besides the label'}. Add fields with numbers, categories, yes/no or dates.`,
		);
	}
	return { columns, skipped };
}

/** Names of the encoded features, in order. */
export function featureNames(schema: TabularSchema): string[] {
	const out: string[] = [];
	for (const c of schema.columns) {
		if (c.kind === 'date') for (const p of c.parts) out.push(p === 'lead_days' ? `${c.field}.lead_days` : `${c.field}.${p}`);
		else out.push(c.field);
	}
	return out;
}

/** Per encoded feature: the number of categories (codes 0..k, k = "other") or 0 for numeric ones. */
export function categoryCounts(schema: TabularSchema): number[] {
	const out: number[] = [];
	for (const c of schema.columns) {
		if (c.kind === 'date') for (let i = 0; i < c.parts.length; i++) out.push(0);
		else out.push(c.kind === 'category' ? c.categories.length + 1 : 0);
	}
	return out;
}

const lookups = new WeakMap<string[], Map<string, number>>();
function lookup(categories: string[]): Map<string, number> {
	let m = lookups.get(categories);
	if (!m) {
		m = new Map(categories.map((c, i) => [c, i]));
		lookups.set(categories, m);
	}
	return m;
}

const DATE_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}))?/;

/** Encodes one item into `out` (length = featureNames(schema).length). Unseen categories become "other". */
export function encodeRow(schema: TabularSchema, json: IDataObject, out: Float64Array): void {
	let f = 0;
	for (const c of schema.columns) {
		const v = get(json, c.field);
		if (c.kind === 'number' || c.kind === 'boolean') out[f++] = present(v) ? number(v) : Number.NaN;
		else if (c.kind === 'category') {
			const key = catKey(v);
			out[f++] = key === undefined ? Number.NaN : (lookup(c.categories).get(key) ?? c.categories.length);
		} else {
			// Parts as written (the operator's local wall clock), as the built-in features read them.
			const m = typeof v === 'string' ? DATE_PARTS.exec(v.trim()) : null;
			const t = present(v) ? time(v) : Number.NaN;
			for (const p of c.parts) {
				if (p === 'month') out[f++] = m ? +m[2] : Number.NaN;
				else if (p === 'weekday') out[f++] = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() : Number.NaN;
				else if (p === 'hour') out[f++] = m && m[4] !== undefined ? +m[4] : Number.NaN;
				else {
					const from = c.leadFrom ? time(get(json, c.leadFrom)) : Number.NaN;
					out[f++] = Number.isNaN(t) || Number.isNaN(from) ? Number.NaN : (t - from) / DAY_MS;
				}
			}
		}
	}
}

/** Epoch ms of a row's time field (for the forward split); NaN when absent. */
export function rowTime(json: IDataObject, field: string): number {
	const v = get(json, field);
	return present(v) ? time(v) : Number.NaN;
}

/** Words for one encoded value, for the reasons attached to a score. */
export function describeFeatures(schema: TabularSchema): FeatureSpec[] {
	const out: FeatureSpec[] = [];
	const fmt = (v: number) => String(Math.round(v * 100) / 100);
	for (const c of schema.columns) {
		if (c.kind === 'number') out.push({ name: c.field, describe: (v) => `${c.field} ${fmt(v)}` });
		else if (c.kind === 'boolean') out.push({ name: c.field, describe: (v) => `${c.field} ${v >= 0.5 ? 'yes' : 'no'}` });
		else if (c.kind === 'category') out.push({ name: c.field, describe: (v) => `${c.field} ${c.categories[v] ?? 'other'}` });
		else {
			for (const p of c.parts) {
				const name = `${c.field}.${p}`;
				if (p === 'lead_days') out.push({ name, describe: (v) => `${c.field} ${fmt(v)} days after ${c.leadFrom}` });
				else if (p === 'weekday') out.push({ name, describe: (v) => `${c.field} on a ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][v] ?? '?'}` });
				else if (p === 'month') out.push({ name, describe: (v) => `${c.field} in month ${v}` });
				else out.push({ name, describe: (v) => `${c.field} at ${v}:00` });
			}
		}
	}
	return out;
}
