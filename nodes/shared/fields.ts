import type { IDataObject } from 'n8n-workflow';

import { toNumber } from './number';

/**
 * Tolerant field access: items arrive as canonical bookings (camelCase, `total: {amount}`), as the
 * write-ups' flat snake_case payloads, or with the booking nested under `booking`. Every feature
 * lists the paths it accepts, first match wins.
 */
const splitCache = new Map<string, string[]>();

function parts(path: string): string[] {
	let p = splitCache.get(path);
	if (!p) {
		p = path.split('.');
		splitCache.set(path, p);
	}
	return p;
}

export function get(json: unknown, path: string): unknown {
	let cur: unknown = json;
	for (const part of parts(path)) {
		if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

export function pick(json: unknown, paths: readonly string[]): unknown {
	for (const p of paths) {
		const v = get(json, p);
		if (v !== undefined && v !== null && v !== '') return v;
	}
	return undefined;
}

/**
 * A number from a number, an amount as people type it ("$1,234.50", "1.5k": the pack's one parser,
 * nodes/shared/number.ts), `{amount}` money, or a boolean / yes-no. NaN when absent or unreadable.
 */
export function num(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'string') {
		const t = value.trim().toLowerCase();
		if (t === 'true' || t === 'yes') return 1;
		if (t === 'false' || t === 'no') return 0;
		return toNumber(t);
	}
	if (value && typeof value === 'object' && 'amount' in (value as IDataObject)) return num((value as IDataObject).amount);
	return Number.NaN;
}

export function numAt(json: unknown, paths: readonly string[]): number {
	return num(pick(json, paths));
}

export function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Epoch ms of an ISO date-time (or epoch number); NaN when absent or unparseable. */
export function time(value: unknown): number {
	if (typeof value === 'number') return value > 1e11 ? value : value * 1000;
	if (typeof value !== 'string' || !value) return Number.NaN;
	return Date.parse(value);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;

/**
 * Local day of week (0 = Sunday) and hour as written in the ISO string. Tour start times carry the
 * operator's own offset, so the written wall-clock time is the one customers experience.
 */
export function localDayHour(value: unknown): { day: number; hour: number } | undefined {
	if (typeof value !== 'string') return undefined;
	const m = LOCAL.exec(value);
	if (!m) return undefined;
	const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
	return { day, hour: m[4] !== undefined ? +m[4] : Number.NaN };
}

export const DAY_MS = 86_400_000;
