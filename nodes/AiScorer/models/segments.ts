import type { IDataObject } from 'n8n-workflow';

import { DAY_MS, numAt, pick, str, time } from '../../shared/fields';
import { kmeans } from './kmeans';

/**
 * Customer segmentation: k-means++ (fixed seed) on value and activity-mix features, clusters named
 * from their centroids with a fixed rule table. Customers are sorted by a stable key first, so the
 * same customers give the same segments whatever order the items arrive in.
 */
export const SEGMENT_DIMENSIONS = [
	'total_spent_log',
	'bookings',
	'party_size',
	'lead_days_log',
	'price_per_person_log',
	'share_adventure',
	'share_water',
	'share_food',
	'share_culture',
	'share_family',
	'share_luxury',
] as const;

const MIX: Array<[number, RegExp]> = [
	[5, /adventure|hike|hiking|zip|climb|atv|bike|canyon|rafting|outdoor|trek/i],
	[6, /water|kayak|snorkel|boat|sail|surf|paddle|dive|whale|cruise|fishing/i],
	[7, /food|wine|beer|tasting|culinary|cooking|brew|dinner/i],
	[8, /culture|history|museum|walking|art|heritage|architecture|city tour/i],
	[9, /family|kids|children|all ages/i],
	[10, /luxury|private|vip|premium|exclusive|helicopter|yacht/i],
];

function activityText(entry: IDataObject): string {
	const tags = pick(entry, ['activity.tags', 'tags']);
	return [str(pick(entry, ['activity.type', 'activityType', 'activity_type', 'type'])), str(pick(entry, ['activity.name', 'activityName', 'activity_name', 'product.name'])), Array.isArray(tags) ? tags.join(' ') : str(tags)]
		.filter(Boolean)
		.join(' ');
}

/** Feature row for one customer item, or undefined if it holds nothing to segment on. */
export function segmentFeatures(json: IDataObject): number[] | undefined {
	const row = new Array<number>(SEGMENT_DIMENSIONS.length).fill(Number.NaN);
	const list = pick(json, ['bookings', 'history.bookings', 'customerHistory.bookings', 'orders']);
	const bookings = Array.isArray(list) && list.length ? (list as IDataObject[]) : [json];
	let spent = 0;
	let valued = 0;
	let party = 0;
	let parties = 0;
	let lead = 0;
	let leads = 0;
	let ppp = 0;
	let ppps = 0;
	const mix = new Array<number>(SEGMENT_DIMENSIONS.length).fill(0);
	for (const b of bookings) {
		const total = numAt(b, ['total', 'total_price', 'amount', 'price', 'value']);
		const size = numAt(b, ['partySize', 'party_size', 'quantity', 'guests']);
		if (!Number.isNaN(total)) {
			spent += total;
			valued++;
		}
		if (!Number.isNaN(size)) {
			party += size;
			parties++;
		}
		if (!Number.isNaN(total) && size > 0) {
			ppp += total / size;
			ppps++;
		}
		const l = numAt(b, ['leadTimeDays', 'lead_time_days']);
		const s = time(pick(b, ['startsAt', 'starts_at', 'booking_date']));
		const p = time(pick(b, ['purchasedAt', 'purchased_at', 'createdAt', 'created_at']));
		const d = !Number.isNaN(l) ? l : Number.isNaN(s) || Number.isNaN(p) ? Number.NaN : Math.max(0, (s - p) / DAY_MS);
		if (!Number.isNaN(d)) {
			lead += d;
			leads++;
		}
		const text = activityText(b);
		for (const [k, re] of MIX) if (re.test(text)) mix[k]++;
	}
	const totalSpent = numAt(json, ['totalSpent', 'total_spent', 'lifetimeValue']);
	row[0] = Math.log1p(!Number.isNaN(totalSpent) ? totalSpent : valued ? spent : Number.NaN);
	const count = numAt(json, ['bookingCount', 'booking_count', 'totalBookings', 'order_count']);
	row[1] = !Number.isNaN(count) ? count : Array.isArray(list) ? list.length : Number.NaN;
	const avgParty = numAt(json, ['averagePartySize', 'avg_party_size']);
	row[2] = !Number.isNaN(avgParty) ? avgParty : parties ? party / parties : Number.NaN;
	const avgLead = numAt(json, ['averageLeadDays', 'avg_lead_days']);
	row[3] = Math.log1p(!Number.isNaN(avgLead) ? avgLead : leads ? lead / leads : Number.NaN);
	row[4] = Math.log1p(ppps ? ppp / ppps : Number.NaN);
	for (const [k] of MIX) row[k] = mix[k] / bookings.length;
	const known = row.slice(0, 5).filter((v) => !Number.isNaN(v)).length;
	return known >= 2 ? row : undefined;
}

export interface Segment {
	name: string;
	id: string;
	size: number;
	/** Centroid in original units (log features converted back). */
	profile: Record<string, number>;
	traits: string[];
}

export interface SegmentationResult {
	segments: Segment[];
	/** Segment index per input row (same order as the rows given). */
	assignment: number[];
}

interface NameRule {
	name: string;
	score: (z: number[], raw: number[]) => number;
}

const RULES: NameRule[] = [
	{ name: 'Adventure Families', score: (z, r) => (r[5] >= 0.4 && (r[2] >= 3 || r[9] >= 0.3) ? 1 + z[5] + z[2] : -Infinity) },
	{ name: 'Solo Luxury Travelers', score: (z, r) => (r[2] <= 1.6 && (z[4] > 0.4 || r[10] >= 0.3) ? 1 + z[4] + z[10] : -Infinity) },
	{ name: 'Last-Minute Bookers', score: (z) => (z[3] < -0.5 ? -z[3] : -Infinity) },
	{ name: 'Loyal Regulars', score: (z) => (z[1] > 0.7 ? z[1] : -Infinity) },
	{ name: 'High-Value Groups', score: (z) => (z[0] > 0.5 && z[2] > 0.5 ? (z[0] + z[2]) / 2 : -Infinity) },
	{ name: 'Food and Wine Lovers', score: (z, r) => (r[7] >= 0.4 ? z[7] : -Infinity) },
	{ name: 'Water Adventurers', score: (z, r) => (r[6] >= 0.4 ? z[6] : -Infinity) },
	{ name: 'Culture Seekers', score: (z, r) => (r[8] >= 0.4 ? z[8] : -Infinity) },
	{ name: 'Early Planners', score: (z) => (z[3] > 0.6 ? z[3] : -Infinity) },
	{ name: 'Budget Explorers', score: (z) => (z[4] < -0.5 ? -z[4] : -Infinity) },
	{ name: 'Occasional Explorers', score: () => 0 },
];

const LOG_DIMS = new Set([0, 3, 4]);

function traits(raw: number[], z: number[]): string[] {
	const t: Array<[number, string]> = [
		[Math.abs(z[3]), z[3] < 0 ? `books about ${Math.round(Math.expm1(raw[3]))} days ahead` : `plans about ${Math.round(Math.expm1(raw[3]))} days ahead`],
		[Math.abs(z[2]), `parties of about ${Math.round(raw[2] * 10) / 10}`],
		[Math.abs(z[4]), `about $${Math.round(Math.expm1(raw[4]))} per person`],
		[Math.abs(z[1]), `${Math.round(raw[1] * 10) / 10} bookings on average`],
		[Math.abs(z[0]), `about $${Math.round(Math.expm1(raw[0]))} spent`],
	];
	const labels = ['adventure', 'water', 'food and drink', 'culture', 'family', 'luxury'];
	for (let k = 5; k <= 10; k++) if (raw[k] >= 0.3) t.push([z[k], `mostly ${labels[k - 5]} activities`]);
	return t.sort((a, b) => b[0] - a[0]).slice(0, 3).map(([, s]) => s);
}

export function segmentCustomers(rows: number[][], keys: string[], k: number, seed = 7): SegmentationResult {
	const n = rows.length;
	const d = SEGMENT_DIMENSIONS.length;
	// Stable order: by customer key, then by features.
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0) || a - b);
	const mean = new Array<number>(d).fill(0);
	const sd = new Array<number>(d).fill(0);
	for (let j = 0; j < d; j++) {
		const vals = rows.map((r) => r[j]).filter((v) => !Number.isNaN(v));
		mean[j] = vals.length ? vals.reduce((s, v) => s + v, 0) / vals.length : 0;
		sd[j] = vals.length ? Math.sqrt(vals.reduce((s, v) => s + (v - mean[j]) ** 2, 0) / vals.length) || 1 : 1;
	}
	const filled = rows.map((r) => r.map((v, j) => (Number.isNaN(v) ? mean[j] : v)));
	const z = filled.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
	const res = kmeans(order.map((i) => z[i]), k, seed);
	const clusters = res.centroids.length;
	const size = new Array<number>(clusters).fill(0);
	const rawCentroid = Array.from({ length: clusters }, () => new Array<number>(d).fill(0));
	order.forEach((i, pos) => {
		const c = res.assignment[pos];
		size[c]++;
		for (let j = 0; j < d; j++) rawCentroid[c][j] += filled[i][j];
	});
	for (let c = 0; c < clusters; c++) for (let j = 0; j < d; j++) rawCentroid[c][j] /= Math.max(1, size[c]);
	const zCentroid = rawCentroid.map((r) => r.map((v, j) => (v - mean[j]) / sd[j]));
	// Greedy unique naming: best (cluster, rule) pairs first.
	const pairs: Array<[number, number, number]> = [];
	for (let c = 0; c < clusters; c++) RULES.forEach((rule, ri) => pairs.push([rule.score(zCentroid[c], rawCentroid[c]), c, ri]));
	pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
	const names = new Array<string | undefined>(clusters);
	const used = new Set<string>();
	for (const [score, c, ri] of pairs) {
		if (score === -Infinity || names[c] || used.has(RULES[ri].name)) continue;
		names[c] = RULES[ri].name;
		used.add(RULES[ri].name);
	}
	let extra = 2;
	for (let c = 0; c < clusters; c++) if (!names[c]) names[c] = `Occasional Explorers ${extra++}`;
	const segments: Segment[] = rawCentroid.map((raw, c) => {
		const profile: Record<string, number> = {};
		SEGMENT_DIMENSIONS.forEach((name, j) => (profile[name.replace(/_log$/, '')] = Math.round((LOG_DIMS.has(j) ? Math.expm1(raw[j]) : raw[j]) * 100) / 100));
		const name = names[c] as string;
		return { name, id: name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, ''), size: size[c], profile, traits: traits(raw, zCentroid[c]) };
	});
	const assignment = new Array<number>(n);
	order.forEach((i, pos) => (assignment[i] = res.assignment[pos]));
	return { segments, assignment };
}
