import type { IDataObject } from 'n8n-workflow';

import { num, pick, str } from '../../shared/fields';

/**
 * Next best activity: content similarity (type, location, tags, price) blended with co-booking
 * counts ("customers who booked X also booked Y"). Deterministic: ties break on catalogue order.
 */
export interface CatalogueEntry {
	id: string;
	name: string;
	type?: string;
	location?: string;
	tags: string[];
	price?: number;
}

export function toCatalogueEntry(raw: IDataObject): CatalogueEntry | undefined {
	const id = str(pick(raw, ['id', 'activityId', 'activity_id', 'productId', 'product_id', 'sku']));
	if (!id) return undefined;
	const tags = pick(raw, ['tags', 'categories', 'keywords']);
	return {
		id,
		name: str(pick(raw, ['name', 'title', 'activityName'])) ?? id,
		type: str(pick(raw, ['type', 'category', 'activityType', 'product_type']))?.toLowerCase(),
		location: str(pick(raw, ['location', 'city', 'region', 'place']))?.toLowerCase(),
		tags: Array.isArray(tags) ? tags.map((t) => String(t).toLowerCase()) : typeof tags === 'string' ? tags.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean) : [],
		price: num(pick(raw, ['price', 'price.amount', 'basePrice', 'amount'])),
	};
}

function vector(e: CatalogueEntry): Map<string, number> {
	const v = new Map<string, number>();
	if (e.type) v.set(`type:${e.type}`, 2);
	if (e.location) v.set(`loc:${e.location}`, 1);
	for (const t of e.tags) v.set(`tag:${t}`, 1);
	return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (const [k, w] of a) {
		na += w * w;
		const o = b.get(k);
		if (o) dot += w * o;
	}
	for (const w of b.values()) nb += w * w;
	return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function priceSimilarity(a?: number, b?: number): number {
	if (!(a && a > 0) || !(b && b > 0)) return 0.5;
	return Math.max(0, 1 - Math.abs(Math.log(a / b)) / Math.log(4));
}

/** Co-booking counts: baskets are lists of activity ids one customer booked. */
export function coBookingCounts(baskets: string[][], anchor: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const basket of baskets) {
		const set = new Set(basket);
		if (!set.has(anchor)) continue;
		for (const id of set) if (id !== anchor) counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}

/** Baskets from arrays of ids, `{activities: [...]}` objects, or flat `{customer, activityId}` rows. */
export function toBaskets(history: unknown): string[][] {
	if (!Array.isArray(history)) return [];
	const baskets: string[][] = [];
	const byCustomer = new Map<string, string[]>();
	for (const entry of history as unknown[]) {
		if (Array.isArray(entry)) baskets.push(entry.map(String));
		else if (entry && typeof entry === 'object') {
			const e = entry as IDataObject;
			const list = pick(e, ['activities', 'activityIds', 'activity_ids', 'items']);
			if (Array.isArray(list)) baskets.push(list.map((v) => (v && typeof v === 'object' ? String(pick(v, ['id', 'activityId']) ?? '') : String(v))));
			else {
				const c = str(pick(e, ['customerKey', 'customer', 'customerId', 'customer_id', 'email']));
				const a = str(pick(e, ['activityId', 'activity_id', 'activity.id', 'productId']));
				if (c && a) byCustomer.set(c, [...(byCustomer.get(c) ?? []), a]);
			}
		}
	}
	return [...baskets, ...byCustomer.values()];
}

export interface Recommendation {
	id: string;
	name: string;
	score: number;
	contentSimilarity: number;
	coBookings: number;
	reason: string;
}

export function recommend(
	anchor: CatalogueEntry,
	catalogue: CatalogueEntry[],
	baskets: string[][],
	exclude: Set<string>,
	topK: number,
	contentWeight: number,
): Recommendation[] {
	const co = coBookingCounts(baskets, anchor.id);
	let maxCo = 0;
	for (const v of co.values()) maxCo = Math.max(maxCo, v);
	const av = vector(anchor);
	const scored: Array<Recommendation & { order: number }> = [];
	catalogue.forEach((c, order) => {
		if (c.id === anchor.id || exclude.has(c.id)) return;
		const content = 0.85 * cosine(av, vector(c)) + 0.15 * priceSimilarity(anchor.price, c.price);
		const count = co.get(c.id) ?? 0;
		const w = maxCo > 0 ? contentWeight : 1;
		const score = w * content + (1 - w) * (maxCo > 0 ? count / maxCo : 0);
		scored.push({ id: c.id, name: c.name, score: Math.round(score * 1e4) / 1e4, contentSimilarity: Math.round(content * 1e4) / 1e4, coBookings: count, reason: explain(anchor, c, count), order });
	});
	scored.sort((a, b) => b.score - a.score || a.order - b.order);
	return scored.slice(0, topK).map((r) => ({ id: r.id, name: r.name, score: r.score, contentSimilarity: r.contentSimilarity, coBookings: r.coBookings, reason: r.reason }));
}

function explain(anchor: CatalogueEntry, c: CatalogueEntry, count: number): string {
	const parts: string[] = [];
	if (count > 0) parts.push(`booked together by ${count} ${count === 1 ? 'customer' : 'customers'}`);
	if (c.type && c.type === anchor.type) parts.push(`also a ${c.type} activity`);
	const shared = c.tags.filter((t) => anchor.tags.includes(t)).slice(0, 3);
	if (shared.length) parts.push(`shares ${shared.join(', ')}`);
	if (c.location && c.location === anchor.location) parts.push(`same area (${c.location})`);
	if (!parts.length) parts.push(c.type ? `a ${c.type} activity to try next` : 'something different to try next');
	return parts.join('; ');
}
