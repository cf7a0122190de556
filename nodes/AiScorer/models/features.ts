import type { IDataObject } from 'n8n-workflow';

import { DAY_MS, localDayHour, num, numAt, pick, str, time } from '../../shared/fields';

/**
 * Feature extraction for the tabular models. Score and Train use the same extractor, so a model
 * trained on historical items sees exactly the features it is later scored with. Each feature also
 * says, in a marketer's words, what its value means (for the reasons attached to every score).
 */
export type TaskId = 'noShow' | 'cartAbandonment' | 'rebook';

export interface FeatureSpec {
	name: string;
	/** A short phrase for the value, e.g. "booked 2 days ahead". */
	describe: (value: number) => string;
}

export interface TaskSpec {
	id: TaskId;
	modelId: string;
	/** What the probability is of. */
	target: string;
	defaultLabelField: string;
	features: FeatureSpec[];
	/** Fills `out` (length = features.length); NaN marks a missing value. `asOf` = reference time in ms. */
	extract: (json: IDataObject, out: Float64Array, asOf: number, options?: ExtractOptions) => void;
}

/**
 * The scale survey scores are on, chosen by the operator (the AI Scorer's Satisfaction Scale): a 5
 * is a top mark in stars and a detractor in NPS, so the scale is never guessed from the number.
 */
export type SatisfactionScale = 'stars' | 'nps' | 'percent';

export const SATISFACTION_SCALES: Record<SatisfactionScale, { min: number; max: number; toSentiment: (score: number) => number }> = {
	// 3 stars is neutral; 1 and 5 are the ends.
	stars: { min: 1, max: 5, toSentiment: (s) => (s - 3) / 2 },
	// NPS: 9–10 promoters, 7–8 passives, 0–6 detractors; 7 is neutral, 10 the top.
	nps: { min: 0, max: 10, toSentiment: (s) => Math.max(-1, Math.min(1, (s - 7) / 3)) },
	// 0–100 (CSAT percent): 70 is neutral, 100 the top, 40 and below fully negative.
	percent: { min: 0, max: 100, toSentiment: (s) => Math.max(-1, Math.min(1, (s - 70) / 30)) },
};

export interface ExtractOptions {
	satisfactionScale?: SatisfactionScale;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const money = (n: number) => `$${Math.round(n)}`;
const yesNo = (v: number, yes: string, no: string) => (v >= 0.5 ? yes : no);

function bookingRoot(json: IDataObject): IDataObject {
	const b = json.booking;
	return b && typeof b === 'object' && !Array.isArray(b) ? (b as IDataObject) : json;
}

const LEAD = ['leadTimeDays', 'lead_time_days', 'booking.leadTimeDays'];
const STARTS = ['startsAt', 'starts_at', 'booking_date', 'activityDate', 'activity_date', 'start_time', 'startTime', 'timeslot.startsAt'];
const PURCHASED = ['purchasedAt', 'purchased_at', 'createdAt', 'created_at', 'bookedAt', 'booked_at'];
const PARTY = ['partySize', 'party_size', 'quantity', 'guests', 'participants'];
const TOTAL = ['total', 'total_price', 'totalPrice', 'amount', 'price', 'cart_value', 'cartValue', 'value'];
const CHANNEL = ['marketing.channel', 'channel', 'source', 'sales_channel', 'salesChannel'];

function leadDays(b: IDataObject, json: IDataObject): number {
	const explicit = numAt(json, LEAD);
	if (!Number.isNaN(explicit)) return Math.max(0, explicit);
	const s = time(pick(b, STARTS));
	const p = time(pick(b, PURCHASED));
	return Number.isNaN(s) || Number.isNaN(p) ? Number.NaN : Math.max(0, (s - p) / DAY_MS);
}

const historyPaths = new Map<string, string[]>();

/** A customer-history count, at the root or under customerHistory / history / customer. */
function history(json: IDataObject, b: IDataObject, keys: string[]): number {
	const id = keys.join('|');
	let paths = historyPaths.get(id);
	if (!paths) {
		paths = [];
		for (const k of keys) paths.push(k, `customerHistory.${k}`, `history.${k}`, `customer.${k}`, `booking.customer.${k}`);
		historyPaths.set(id, paths);
	}
	const v = pick(json, paths);
	return num(v !== undefined || b === json ? v : pick(b, paths));
}

const RESELLER = /resell|ota|viator|getyourguide|expedia|tripadvisor|klook|partner|agent|affiliate|marketplace/i;
const PAID = /cpc|ppc|paid|display|social|ads?$|facebook|instagram|tiktok|google/i;

const noShow: TaskSpec = {
	id: 'noShow',
	modelId: 'peekpro.no_show',
	target: 'the booking ends as a no-show or late cancellation',
	defaultLabelField: 'noShow',
	features: [
		{ name: 'lead_time_days_log', describe: (v) => `booked ${plural(Math.round(Math.expm1(v)), 'day')} ahead` },
		{ name: 'party_size', describe: (v) => (v <= 1 ? 'solo booking' : `party of ${v}`) },
		{ name: 'price_per_person_log', describe: (v) => `${money(Math.expm1(v))} per person` },
		{ name: 'weekend', describe: (v) => yesNo(v, 'weekend activity', 'weekday activity') },
		{ name: 'start_hour', describe: (v) => `starts at ${Math.round(v)}:00` },
		{ name: 'first_time', describe: (v) => yesNo(v, 'first-time customer', 'repeat customer') },
		{ name: 'prior_no_shows', describe: (v) => (v > 0 ? plural(v, 'earlier no-show') : 'no earlier no-shows') },
		{ name: 'prior_cancellations', describe: (v) => (v > 0 ? plural(v, 'earlier cancellation') : 'no earlier cancellations') },
		{ name: 'opened_confirmation', describe: (v) => yesNo(v, 'opened the confirmation', 'has not opened the confirmation') },
		{ name: 'weather_risk', describe: (v) => (v >= 0.5 ? 'bad weather forecast' : v >= 0.25 ? 'some weather risk' : 'good weather forecast') },
		{ name: 'reseller_channel', describe: (v) => yesNo(v, 'booked through a reseller', 'booked directly') },
		{ name: 'balance_due', describe: (v) => yesNo(v, 'balance still due', 'paid in full') },
	],
	extract(json, out) {
		const b = bookingRoot(json);
		out[0] = Math.log1p(leadDays(b, json));
		const party = numAt(b, PARTY);
		out[1] = party;
		const total = numAt(b, TOTAL);
		out[2] = Number.isNaN(total) ? Number.NaN : Math.log1p(Math.max(0, total) / Math.max(1, Number.isNaN(party) ? 1 : party));
		const dh = localDayHour(pick(b, STARTS));
		out[3] = dh ? (dh.day === 0 || dh.day === 6 ? 1 : 0) : Number.NaN;
		out[4] = dh ? dh.hour : Number.NaN;
		const prior = history(json, b, ['priorBookings', 'prior_bookings', 'previousBookings', 'bookingsCount', 'bookings_count']);
		const firstTime = num(pick(json, ['isFirstTime', 'is_first_time', 'firstTime', 'first_time', 'customer.isFirstTime']));
		out[5] = !Number.isNaN(firstTime) ? firstTime : Number.isNaN(prior) ? Number.NaN : prior > 0 ? 0 : 1;
		out[6] = history(json, b, ['priorNoShows', 'prior_no_shows', 'noShows', 'no_shows']);
		out[7] = history(json, b, ['priorCancellations', 'prior_cancellations', 'cancellations']);
		out[8] = num(pick(json, ['openedConfirmation', 'opened_confirmation', 'engagement.openedConfirmation', 'engagement.opened_confirmation']));
		const w = numAt(json, ['weatherRisk', 'weather_risk', 'weather.risk']);
		out[9] = Number.isNaN(w) ? w : w > 1 ? w / 100 : w;
		const channel = str(pick(b, CHANNEL));
		out[10] = channel === undefined ? Number.NaN : RESELLER.test(channel) ? 1 : 0;
		const balance = numAt(b, ['balance', 'balance_due', 'balanceDue', 'amountDue']);
		out[11] = Number.isNaN(balance) ? Number.NaN : balance > 0.005 ? 1 : 0;
	},
};

const cartAbandonment: TaskSpec = {
	id: 'cartAbandonment',
	modelId: 'peekpro.cart_conversion',
	target: 'the abandoned cart converts into a booking',
	defaultLabelField: 'converted',
	features: [
		{ name: 'cart_value_log', describe: (v) => `cart of ${money(Math.expm1(v))}` },
		{ name: 'party_size', describe: (v) => (v <= 1 ? 'one guest' : `${v} guests`) },
		{ name: 'days_until_activity_log', describe: (v) => `activity in ${plural(Math.round(Math.expm1(v)), 'day')}` },
		{ name: 'returning_customer', describe: (v) => yesNo(v, 'returning customer', 'new customer') },
		{ name: 'mobile', describe: (v) => yesNo(v, 'on mobile', 'on desktop') },
		{ name: 'reached_payment', describe: (v) => yesNo(v, 'reached the payment step', 'left before payment') },
		{ name: 'minutes_since_activity_log', describe: (v) => `last active ${plural(Math.round(Math.expm1(v)), 'minute')} ago` },
		{ name: 'sessions', describe: (v) => plural(v, 'visit') },
		{ name: 'promo_code', describe: (v) => yesNo(v, 'tried a promo code', 'no promo code') },
		{ name: 'paid_channel', describe: (v) => yesNo(v, 'came from paid or social ads', 'came from search, email or direct') },
	],
	extract(json, out, asOf) {
		const c = (json.cart && typeof json.cart === 'object' ? json.cart : bookingRoot(json)) as IDataObject;
		out[0] = Math.log1p(Math.max(0, numAt(c, TOTAL)));
		out[1] = numAt(c, [...PARTY, 'items_count', 'itemCount']);
		const starts = time(pick(c, STARTS));
		const updated = time(pick(c, ['updatedAt', 'updated_at', 'abandonedAt', 'abandoned_at', 'createdAt', 'created_at']));
		const explicitDays = numAt(json, ['daysUntilActivity', 'days_until_activity']);
		out[2] = !Number.isNaN(explicitDays)
			? Math.log1p(Math.max(0, explicitDays))
			: Number.isNaN(starts) ? Number.NaN : Math.log1p(Math.max(0, (starts - (Number.isNaN(updated) ? asOf : updated)) / DAY_MS));
		const prior = history(json, c, ['priorBookings', 'prior_bookings', 'order_count', 'orderCount', 'ordersCount']);
		const returning = num(pick(json, ['returningCustomer', 'returning_customer', 'isReturning']));
		out[3] = !Number.isNaN(returning) ? returning : Number.isNaN(prior) ? Number.NaN : prior > 0 ? 1 : 0;
		const device = str(pick(json, ['device', 'session.device', 'session_data.device', 'deviceType']));
		out[4] = device === undefined ? Number.NaN : /mobile|phone|ios|android/i.test(device) ? 1 : 0;
		const step = str(pick(json, ['checkoutStep', 'checkout_step', 'session.checkoutStep', 'session_data.checkout_step']));
		const reached = num(pick(json, ['reachedPayment', 'reached_payment']));
		out[5] = !Number.isNaN(reached) ? reached : step === undefined ? Number.NaN : /pay|billing|review/i.test(step) ? 1 : 0;
		const minutes = numAt(json, ['minutesSinceActivity', 'minutes_since_activity']);
		out[6] = !Number.isNaN(minutes)
			? Math.log1p(Math.max(0, minutes))
			: Number.isNaN(updated) ? Number.NaN : Math.log1p(Math.max(0, (asOf - updated) / 60000));
		out[7] = numAt(json, ['sessions', 'session.count', 'session_data.sessions', 'visits']);
		const promo = pick(json, ['promoCode', 'promo_code', 'discount_code', 'marketing.promoCodes']);
		out[8] = promo === undefined ? 0 : Array.isArray(promo) ? (promo.length ? 1 : 0) : 1;
		const medium = str(pick(json, ['marketing.utmMedium', 'utm_medium', 'utmMedium', 'marketing.utmSource', 'utm_source']));
		out[9] = medium === undefined ? Number.NaN : PAID.test(medium) ? 1 : 0;
	},
};

export interface PurchaseHistory {
	/** Bookings so far (first one included). */
	count: number;
	firstMs: number;
	lastMs: number;
	averageValue: number;
}

/** Booking history from a `bookings` array or from aggregate fields. */
export function purchaseHistory(json: IDataObject, asOf: number): PurchaseHistory {
	const list = pick(json, ['bookings', 'history.bookings', 'customerHistory.bookings', 'orders']);
	if (Array.isArray(list) && list.length) {
		let first = Infinity;
		let last = -Infinity;
		let sum = 0;
		let valued = 0;
		let count = 0;
		for (const entry of list as IDataObject[]) {
			const t = time(pick(entry, [...PURCHASED, ...STARTS, 'date']));
			if (Number.isNaN(t) || t > asOf) continue;
			count++;
			first = Math.min(first, t);
			last = Math.max(last, t);
			const v = numAt(entry, TOTAL);
			if (!Number.isNaN(v)) {
				sum += v;
				valued++;
			}
		}
		if (count) return { count, firstMs: first, lastMs: last, averageValue: valued ? sum / valued : Number.NaN };
	}
	const count = numAt(json, ['bookingCount', 'booking_count', 'totalBookings', 'total_bookings', 'order_count', 'orderCount', 'frequency']);
	const recency = numAt(json, ['recencyDays', 'recency_days', 'daysSinceLastBooking']);
	const tenure = numAt(json, ['tenureDays', 'tenure_days', 'daysSinceFirstBooking']);
	let lastMs = time(pick(json, ['lastBookingAt', 'last_booking_at', 'lastBookingDate']));
	let firstMs = time(pick(json, ['firstBookingAt', 'first_booking_at', 'firstBookingDate']));
	if (Number.isNaN(lastMs) && !Number.isNaN(recency)) lastMs = asOf - recency * DAY_MS;
	if (Number.isNaN(firstMs) && !Number.isNaN(tenure)) firstMs = asOf - tenure * DAY_MS;
	const spent = numAt(json, ['totalSpent', 'total_spent', 'lifetimeValue', 'historical_lifetime_value', 'monetary']);
	const avg = numAt(json, ['averageBookingValue', 'average_booking_value', 'avgOrderValue']);
	const n = Number.isNaN(count) ? Number.NaN : count;
	return {
		count: n,
		firstMs: Number.isNaN(firstMs) ? lastMs : firstMs,
		lastMs,
		averageValue: !Number.isNaN(avg) ? avg : !Number.isNaN(spent) && n > 0 ? spent / n : Number.NaN,
	};
}

/**
 * Satisfaction in [-1, 1] from a survey score on the chosen scale, or from review text. A score
 * outside the scale's range (a 9 on a 1–5 scale) is not read at all: the review text, if any, decides.
 */
export function satisfaction(json: IDataObject, scale: SatisfactionScale = 'stars'): number {
	const score = numAt(json, ['surveyScore', 'survey_score', 'nps', 'rating', 'reviewRating', 'review_rating', 'csat']);
	const range = SATISFACTION_SCALES[scale] ?? SATISFACTION_SCALES.stars;
	if (!Number.isNaN(score) && score >= range.min && score <= range.max) return range.toSentiment(score);
	const text = str(pick(json, ['reviewText', 'review_text', 'review', 'feedback', 'surveyComment']));
	return text ? lexiconSentiment(text) : Number.NaN;
}

const POSITIVE = /\b(amazing|awesome|great|excellent|fantastic|loved?|wonderful|best|fun|perfect|beautiful|friendly|recommend|incredible|memorable|enjoyed|outstanding|superb|good)\b/gi;
const NEGATIVE = /\b(bad|terrible|awful|worst|disappoint\w*|rude|late|cancel\w*|boring|dirty|unsafe|waste|poor|horrible|never again|refund|overpriced|crowded|cold|wet|sick)\b/gi;

/** A small lexicon score: enough to separate praise from complaints without sending text anywhere. */
export function lexiconSentiment(text: string): number {
	const pos = (text.match(POSITIVE) ?? []).length;
	const neg = (text.match(NEGATIVE) ?? []).length;
	const negated = (text.match(/\b(not|never|no|wasn't|isn't|didn't)\s+(\w+\s+)?(great|good|fun|amazing|worth)\b/gi) ?? []).length;
	const p = pos - negated;
	const q = neg + negated;
	if (p + q === 0) return 0;
	return Math.max(-1, Math.min(1, (p - q) / (p + q)));
}

const rebook: TaskSpec = {
	id: 'rebook',
	modelId: 'peekpro.rebook',
	target: 'the customer books again within the horizon',
	defaultLabelField: 'rebooked',
	features: [
		{ name: 'recency_days_log', describe: (v) => `last booked ${plural(Math.round(Math.expm1(v)), 'day')} ago` },
		{ name: 'frequency', describe: (v) => (v <= 1 ? 'one booking so far' : `${v} bookings so far`) },
		{ name: 'tenure_days_log', describe: (v) => `customer for ${plural(Math.round(Math.expm1(v)), 'day')}` },
		{ name: 'monetary_log', describe: (v) => `spends about ${money(Math.expm1(v))} per booking` },
		{ name: 'satisfaction', describe: (v) => (v >= 0.3 ? 'happy with past tours' : v <= -0.3 ? 'unhappy with past tours' : 'neutral feedback') },
		{ name: 'opened_recent_email', describe: (v) => yesNo(v, 'opens our emails', 'has not opened recent emails') },
		{ name: 'party_size', describe: (v) => (v <= 1 ? 'travels solo' : `books for ${Math.round(v)}`) },
	],
	extract(json, out, asOf, options) {
		const ref = time(pick(json, ['asOf', 'as_of'])) || asOf;
		const h = purchaseHistory(json, Number.isNaN(ref) ? asOf : ref);
		const at = Number.isNaN(ref) ? asOf : ref;
		out[0] = Number.isNaN(h.lastMs) ? Number.NaN : Math.log1p(Math.max(0, (at - h.lastMs) / DAY_MS));
		out[1] = h.count;
		out[2] = Number.isNaN(h.firstMs) ? Number.NaN : Math.log1p(Math.max(0, (at - h.firstMs) / DAY_MS));
		out[3] = Number.isNaN(h.averageValue) ? Number.NaN : Math.log1p(Math.max(0, h.averageValue));
		out[4] = satisfaction(json, options?.satisfactionScale);
		out[5] = num(pick(json, ['openedRecentEmail', 'opened_recent_email', 'engagement.openedRecentEmail', 'emailEngaged']));
		out[6] = numAt(json, ['averagePartySize', 'avg_party_size', 'partySize', 'party_size']);
	},
};

export const TASKS: Record<TaskId, TaskSpec> = { noShow, cartAbandonment, rebook };
