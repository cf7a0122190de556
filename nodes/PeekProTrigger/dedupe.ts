import type { IDataObject } from 'n8n-workflow';

/**
 * Duplicate-delivery guard. Why two layers (see DEDUPE.md):
 * - n8n gives webhook functions no dedup helpers, and workflow static data is saved only after an
 *   execution (last writer wins), so it cannot stop a repeat that arrives before the first run ends.
 * - An in-process TTL cache answers immediately, including for concurrent repeats: a key is claimed
 *   synchronously before any await, and released again if the delivery is then rejected.
 * - Static data keeps recent keys across restarts of a single-process n8n, best effort.
 */

let now: () => number = () => Date.now();

/** Tests inject a clock; undefined restores the real one. */
export function setDedupeClock(clock: (() => number) | undefined): void {
	now = clock ?? (() => Date.now());
}

export function dedupeNow(): number {
	return now();
}

const MAX_ENTRIES_PER_SCOPE = 20_000;
const MAX_STATIC_ENTRIES = 200;
const caches = new Map<string, Map<string, number>>();

export function resetDedupeCache(): void {
	caches.clear();
}

function cacheFor(scope: string): Map<string, number> {
	let cache = caches.get(scope);
	if (!cache) {
		cache = new Map();
		caches.set(scope, cache);
	}
	return cache;
}

function prune(cache: Map<string, number>, at: number): void {
	for (const [key, expiresAt] of cache) {
		if (expiresAt > at && cache.size <= MAX_ENTRIES_PER_SCOPE) break;
		cache.delete(key);
	}
}

export interface Claim {
	duplicate: boolean;
	/** The key that matched an earlier delivery. */
	matchedKey?: string;
	/** Gives the keys back (the delivery was rejected, so a retry must be allowed through). */
	release: () => void;
}

/** Claims `keys` for `windowMs`; a duplicate when any key was claimed within its window. */
export function claimDelivery(scope: string, keys: string[], windowMs: number, staticData: IDataObject): Claim {
	const at = now();
	if (windowMs <= 0 || keys.length === 0) return { duplicate: false, release: () => undefined };
	const cache = cacheFor(scope);
	prune(cache, at);
	const recent = (staticData.recentDeliveries ?? {}) as Record<string, number>;
	for (const key of keys) {
		const until = cache.get(key) ?? recent[key];
		if (until !== undefined && until > at) return { duplicate: true, matchedKey: key, release: () => undefined };
	}
	const expiresAt = at + windowMs;
	// Map keeps insertion order; re-inserting keeps pruning front-to-back correct.
	for (const key of keys) {
		cache.delete(key);
		cache.set(key, expiresAt);
	}
	const kept = Object.entries(recent).filter(([, until]) => until > at);
	for (const key of keys) kept.push([key, expiresAt]);
	staticData.recentDeliveries = Object.fromEntries(kept.slice(-MAX_STATIC_ENTRIES));
	return {
		duplicate: false,
		release: () => {
			for (const key of keys) cache.delete(key);
			const current = (staticData.recentDeliveries ?? {}) as Record<string, number>;
			for (const key of keys) delete current[key];
		},
	};
}

/**
 * Remembers `key` for `ttlMs` (in-process, and the last `maxStatic` keys under `field` of the static
 * data) and says whether it was already remembered. Refreshes the expiry either way.
 */
function remember(cacheScope: string, key: string, ttlMs: number, staticData: IDataObject, field: string, maxStatic: number): boolean {
	const at = now();
	const cache = cacheFor(cacheScope);
	prune(cache, at);
	const recent = (staticData[field] ?? {}) as Record<string, number>;
	const until = cache.get(key) ?? recent[key];
	const expiresAt = at + ttlMs;
	cache.delete(key);
	cache.set(key, expiresAt);
	const kept = Object.entries(recent).filter(([k, u]) => u > at && k !== key);
	kept.push([key, expiresAt]);
	staticData[field] = Object.fromEntries(kept.slice(-maxStatic));
	return until !== undefined && until > at;
}

/** How long the trigger remembers that it has had a delivery for a booking (created vs updated). */
const SEEN_TTL_MS = 30 * 24 * 3600_000;

/**
 * Records a delivery for `bookingId` and says whether an earlier one was seen (in this process, or in
 * the workflow's static data: best effort across restarts, like the duplicate keys). Used only to tell
 * created from updated for deliveries that name no event.
 */
export function noteBookingSeen(scope: string, bookingId: string, staticData: IDataObject): boolean {
	return remember(`${scope}:seen`, `b:${bookingId}`, SEEN_TTL_MS, staticData, 'seenBookings', 500);
}

/** How long a handled booking event is remembered: longer than any reconciliation lag. */
const HANDLED_TTL_MS = 7 * 24 * 3600_000;
/** Events a booking has once; any other event is keyed with the booking's revision. */
const ONCE_PER_BOOKING = new Set(['booking.created', 'booking.cancelled', 'booking.checked_in', 'booking.checked_out', 'booking.no_show', 'cart.abandoned']);

/** The key under which a booking event counts as handled (undefined: not tracked, e.g. waivers). */
export function handledKey(bookingId: string, event: string, revision: string): string | undefined {
	if (ONCE_PER_BOOKING.has(event)) return `x:${bookingId}:${event}`;
	if (event === 'booking.updated' || event === 'booking.rescheduled') return `x:${bookingId}:${event}:${revision}`;
	return undefined;
}

/**
 * Marks a booking event handled for this workflow and says whether it already was. Shared by the
 * trigger (live deliveries and reconciliation forwards) and the Peek Pro node's re-verification of
 * Verify Later items, so the same booking event starts a workflow's flow once whichever path brings
 * it. In-process (module state shared by both nodes) plus the workflow's global static data, best
 * effort across restarts like the duplicate keys.
 */
export function claimHandled(workflowId: string, key: string, staticData: IDataObject): boolean {
	return remember(`${workflowId}:handled`, key, HANDLED_TTL_MS, staticData, 'handledBookingEvents', 500);
}
