import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { get, pick, str, time } from '../../../shared/fields';
import { classify, CLASSIFIER_ID, CLASSIFIER_VERSION, type RawTouch } from '../../engine/channels';
import { dataError, perItem } from '../common';

const properties: INodeProperties[] = [
	{
		displayName:
			'The incoming item is a booking, usually the Peek Pro Trigger\'s output: its UTM fields (marketing.utmSource, or utm_source under marketing_data), click IDs (gclid, fbclid, …), affiliate ID, promo codes and referral URL; optionally a touchpoint history array, e.g. {{ $json.touchpoints }} from GA4 or your CRM.',
		name: 'normalizeNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Unverified Marketing Data',
		name: 'unverifiedData',
		type: 'options',
		options: [
			{ name: 'Ignore', value: 'ignore', description: 'Use UTM data only from Peek\'s record or an HMAC-authenticated delivery' },
			{ name: 'Use (I Accept the Risk)', value: 'use', description: 'Also use the UTM data the trigger kept apart as unverified; the output says so' },
		],
		default: 'ignore',
		hint: 'Peek does not store UTM data, so a delivery\'s UTM fields cannot be checked by re-reading the booking. Sign deliveries with HMAC to trust them, or opt in here.',
	},
	{
		displayName: 'Touchpoint History',
		name: 'history',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.touchpoints }}',
		hint: 'Earlier touches of this customer: an array of {timestamp, source, medium, campaign, referrer}. Empty: the booking\'s own marketing data is the only touch.',
	},
	{
		displayName: 'Options',
		name: 'normalizeOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Booking Touch',
				name: 'includeBookingTouch',
				type: 'boolean',
				default: true,
				description: 'Whether the booking\'s own UTM data counts as the last touch of the journey',
			},
			{
				displayName: 'Influencer Codes',
				name: 'influencerCodes',
				type: 'string',
				default: '',
				placeholder: 'e.g. JESS10, HIKEWITHSAM',
				description: 'Promo codes that belong to influencers or affiliates (comma-separated, any case): a booking with one and no click data is Affiliates. Other promo codes name no channel.',
			},
			{
				displayName: 'Lookback Days',
				name: 'lookbackDays',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 90,
				description: 'Touches older than this many days before the booking are dropped (GA4\'s default lookback for acquisition is 90 days)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['touchpoint'], operation: ['normalize'] } }, properties);

const CLICK_ID_KEYS = ['gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id'];

type Trust = 'peek' | 'hmac' | 'optIn' | 'input' | 'none';

/** Where marketing fields are read from, and how far they can be trusted. */
function marketingSources(json: IDataObject, useUnverified: boolean): { sources: Array<{ obj: unknown; trust: Trust }>; trust: Trust; detail: string; ignored: string[] } {
	const verification = json.verification as IDataObject | undefined;
	const unverified = json.unverified as IDataObject | undefined;
	const own = [json.marketing, json.marketing_data, json];
	const unverifiedObjs = [unverified?.marketing, (unverified?.raw as IDataObject | undefined)?.marketing_data, get(unverified, 'raw.data.marketing_data'), unverified?.marketing_data];
	const ignoredFields = (): string[] => ((verification?.unverifiedFields as string[] | undefined) ?? []).filter((f) => /^(marketing|extra\.marketing)/.test(f));
	if (!verification) {
		return { sources: own.map((obj) => ({ obj, trust: 'input' as Trust })), trust: 'input', detail: 'The item is not a Peek Pro Trigger delivery: its marketing fields are taken as given.', ignored: [] };
	}
	if (verification.deliveryTrusted === true) {
		return { sources: own.map((obj) => ({ obj, trust: 'hmac' as Trust })), trust: 'hmac', detail: 'The delivery was HMAC-authenticated, so its marketing fields are trusted.', ignored: [] };
	}
	if (verification.bookingFrom === 'peek') {
		if (useUnverified) {
			return {
				sources: [...own.map((obj) => ({ obj, trust: 'peek' as Trust })), ...unverifiedObjs.map((obj) => ({ obj, trust: 'optIn' as Trust }))],
				trust: 'optIn',
				detail: 'Marketing fields the delivery carried could not be verified; used because the node is set to use unverified data.',
				ignored: [],
			};
		}
		const ignored = ignoredFields();
		return {
			sources: own.map((obj) => ({ obj, trust: 'peek' as Trust })),
			trust: 'peek',
			detail: ignored.length ? `Only Peek's own record is used; the delivery's unverified ${ignored.join(', ')} ${ignored.length > 1 ? 'were' : 'was'} ignored (sign deliveries with HMAC, or opt in).` : 'Only Peek\'s own record is used.',
			ignored,
		};
	}
	// Verify-by-fetch off and no HMAC: the whole booking is the delivery's claim.
	if (useUnverified) return { sources: own.map((obj) => ({ obj, trust: 'optIn' as Trust })), trust: 'optIn', detail: 'The delivery was not verified; its marketing fields are used because the node is set to use unverified data.', ignored: [] };
	return { sources: [], trust: 'none', detail: 'The delivery was not verified (no fetch, no HMAC), so its marketing fields are ignored.', ignored: ['marketing'] };
}

const FIELD_PATHS: Record<string, string[]> = {
	// Not plain `source`: a canonical booking's `source` names the API it was read from.
	source: ['utmSource', 'utm_source'],
	medium: ['utmMedium', 'utm_medium'],
	campaign: ['utmCampaign', 'utm_campaign'],
	term: ['utmTerm', 'utm_term'],
	content: ['utmContent', 'utm_content'],
	referrer: ['referralUrl', 'referral_url', 'referrer', 'referer'],
	affiliateId: ['affiliateId', 'affiliate_id'],
	promoCode: ['promoCodes', 'promo_codes', 'promoCode', 'promo_code', 'influencerCode', 'influencer_code', 'couponCode', 'coupon_code'],
};

function firstOf(sources: Array<{ obj: unknown; trust: Trust }>, paths: string[]): { value: unknown; trust: Trust } | undefined {
	for (const s of sources) {
		if (!s.obj || typeof s.obj !== 'object') continue;
		let v = pick(s.obj, paths);
		if (Array.isArray(v)) v = v.find((x) => typeof x === 'string' && x.trim());
		if (v !== undefined && (typeof v === 'string' || typeof v === 'number')) return { value: v, trust: s.trust };
	}
	return undefined;
}

/** Click ids from the marketing fields or the query string of the landing page URL. */
function clickIds(sources: Array<{ obj: unknown; trust: Trust }>, urls: unknown[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of CLICK_ID_KEYS) {
		const hit = firstOf(sources, [key]);
		if (hit) out[key] = String(hit.value);
	}
	for (const u of urls) {
		if (typeof u !== 'string' || u.length > 4000) continue;
		const q = u.indexOf('?');
		if (q < 0) continue;
		for (const part of u.slice(q + 1).split('&')) {
			const eq = part.indexOf('=');
			const k = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
			if (CLICK_ID_KEYS.includes(k) && !out[k] && eq > 0) out[k] = part.slice(eq + 1);
		}
	}
	return out;
}

function historyOf(value: unknown): unknown[] {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value === 'string') {
		try {
			return historyOf(JSON.parse(value));
		} catch {
			throw dataError('Touchpoint History is text that is not JSON', 'history', 'Give an array, e.g. {{ $json.touchpoints }}.');
		}
	}
	if (Array.isArray(value)) return value;
	// A single touch, or an object keyed by id, where an array was expected.
	if (typeof value === 'object') {
		const o = value as IDataObject;
		return 'source' in o || 'medium' in o || 'referrer' in o || 'timestamp' in o ? [o] : Object.values(o);
	}
	throw dataError('Touchpoint History is not a list of touches', 'history', 'Give an array, e.g. {{ $json.touchpoints }}.');
}

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return perItem(this, items, (i, json) => {
		const useUnverified = this.getNodeParameter('unverifiedData', i, 'ignore') === 'use';
		const opts = this.getNodeParameter('normalizeOptions', i, {}) as { includeBookingTouch?: boolean; lookbackDays?: number; influencerCodes?: string };
		const influencer = new Set(String(opts.influencerCodes ?? '').split(',').map((c) => c.trim().toLowerCase()).filter(Boolean));
		const bookedAtRaw = pick(json, ['purchasedAt', 'purchased_at', 'createdAt', 'timestamp', 'data.timestamp']);
		const bookedAt = time(bookedAtRaw);
		const touches: IDataObject[] = [];
		const problems: IDataObject[] = [];

		const history = historyOf(this.getNodeParameter('history', i, '') as unknown);
		history.forEach((h, k) => {
			if (!h || typeof h !== 'object') {
				problems.push({ field: `history[${k}]`, reason: 'not an object' });
				return;
			}
			const o = h as IDataObject;
			const at = time(pick(o, ['timestamp', 'occurredAt', 'at', 'time', 'date', 'event_timestamp']));
			const c = classify({
				source: pick(o, ['source', 'utm_source', 'utmSource', 'session_source']),
				medium: pick(o, ['medium', 'utm_medium', 'utmMedium', 'session_medium']),
				campaign: pick(o, ['campaign', 'utm_campaign', 'utmCampaign', 'session_campaign_name']),
				referrer: pick(o, ['referrer', 'referer', 'page_referrer', 'referralUrl']),
				clickIds: Object.fromEntries(CLICK_ID_KEYS.map((key) => [key, o[key]])),
			});
			if (Number.isNaN(at)) problems.push({ field: `history[${k}].timestamp`, reason: 'missing or not a date; the touch is kept without a time' });
			touches.push({ at: Number.isNaN(at) ? null : new Date(at).toISOString(), from: 'history', trust: 'history', ...c });
		});

		const m = marketingSources(json, useUnverified);
		if (opts.includeBookingTouch !== false) {
			const fields: Record<string, { value: unknown; trust: Trust } | undefined> = {};
			for (const [k, paths] of Object.entries(FIELD_PATHS)) fields[k] = firstOf(m.sources, paths);
			const raw: RawTouch = {
				source: fields.source?.value,
				medium: fields.medium?.value,
				campaign: fields.campaign?.value,
				referrer: fields.referrer?.value,
				affiliateId: fields.affiliateId?.value,
				promoCode: fields.promoCode?.value,
				influencerCode: influencer.has(String(fields.promoCode?.value ?? '').trim().toLowerCase()),
				// Click ids in the landing page's query string count; in the referrer's they describe how the
				// referring page was reached, not this visit.
				clickIds: clickIds(m.sources, [pick(json, ['landingPage', 'landing_page', 'marketing.landingPage', 'marketing_data.landing_page'])]),
			};
			const c = classify(raw);
			const used = [...new Set(Object.values(fields).filter(Boolean).map((f) => (f as { trust: Trust }).trust))];
			touches.push({
				at: Number.isNaN(bookedAt) ? null : new Date(bookedAt).toISOString(),
				from: 'booking',
				trust: used.includes('optIn') ? 'optIn' : used[0] ?? m.trust,
				...c,
				...(raw.promoCode ? { promoCode: String(raw.promoCode) } : {}),
				...(raw.affiliateId ? { affiliateId: String(raw.affiliateId) } : {}),
			});
		}
		const lookback = (opts.lookbackDays ?? 90) * 86_400_000;
		const kept = touches.filter((t) => {
			if (Number.isNaN(bookedAt) || !t.at) return true;
			const ms = Date.parse(t.at as string);
			return ms <= bookedAt + 60_000 && bookedAt - ms <= lookback;
		});
		// Oldest first; touches without a time keep their order, history before the booking's own.
		kept.sort((a, b) => (a.at && b.at ? Date.parse(a.at as string) - Date.parse(b.at as string) : 0));
		const unresolved = kept.filter((t) => t.unresolved).length;
		return {
			json: {
				...json,
				touchpoints: kept,
				marketingTrust: { trust: m.trust, detail: m.detail, ...(m.ignored.length ? { ignoredFields: m.ignored } : {}) },
				touchpointSummary: {
					classifier: `${CLASSIFIER_ID}@${CLASSIFIER_VERSION}`,
					touches: kept.length,
					dropped: touches.length - kept.length,
					unresolved,
					...(problems.length ? { problems } : {}),
					bookingId: str(pick(json, ['id', 'bookingId', 'booking_id'])),
				},
			},
			pairedItem: { item: i },
		};
	});
}
