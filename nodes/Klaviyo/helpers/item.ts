import type { IDataObject } from 'n8n-workflow';

import { parseNumber } from '../../shared/number';
import { bookingCountryOf, toE164, type FieldWarning } from '../../shared/phone';

/**
 * Reads what the node needs from an input item. Items are usually canonical bookings
 * (nodes/shared/model/canonical.ts) straight from the Peek Pro nodes, or the AI Scorer's output,
 * which keeps the booking and adds `ai_*` fields; flat `{ email, ... }` items work too.
 */
function obj(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The canonical booking in an item: the item itself, or `item.booking`. */
export function bookingOf(json: IDataObject): IDataObject | undefined {
	const nested = obj(json.booking);
	if (nested && text(nested.id)) return nested;
	if (text(json.id) && (obj(json.customer) || json.schema !== undefined || json.source !== undefined)) return json;
	return undefined;
}

export function customerOf(json: IDataObject): IDataObject {
	return obj(bookingOf(json)?.customer) ?? obj(json.customer) ?? {};
}

export interface ProfileIdentifiers {
	email?: string;
	phone_number?: string;
	external_id?: string;
}

export interface PhoneOptions {
	/** The node's Default Phone Country; the item's own country wins over it (nodes/shared/phone.ts). */
	defaultCountry?: string;
	/** Receives why a phone was left out. */
	warnings?: FieldWarning[];
}

/**
 * A parameter value wins; an empty parameter falls back to the item's customer. The phone is
 * normalized to E.164 (Klaviyo accepts no other format); one that cannot be is left out, with the
 * reason in `phone.warnings`, so the rest of the profile is still sent.
 */
export function identifiersOf(
	json: IDataObject,
	params: { email?: string; phoneNumber?: string; externalId?: string },
	phone: PhoneOptions = {},
): ProfileIdentifiers {
	const customer = customerOf(json);
	const ids: ProfileIdentifiers = {
		email: text(params.email) ?? text(customer.email) ?? text(json.email),
		phone_number: text(params.phoneNumber) ?? text(customer.phone) ?? text(json.phone_number) ?? text(json.phone),
		external_id: text(params.externalId) ?? text(customer.id) ?? text(json.external_id),
	};
	if (ids.phone_number !== undefined) {
		const normalized = toE164(ids.phone_number, bookingCountryOf(json) ?? text(phone.defaultCountry));
		if (normalized.ok) ids.phone_number = normalized.e164;
		else {
			ids.phone_number = undefined;
			phone.warnings?.push({ field: 'phone_number', reason: `The phone number was left out: it ${normalized.reason}` });
		}
		if (normalized.ok && normalized.extension) {
			phone.warnings?.push({ field: 'phone_number', reason: 'The phone extension was left out: Klaviyo stores E.164 numbers, which have none' });
		}
	}
	for (const key of Object.keys(ids) as Array<keyof ProfileIdentifiers>) if (ids[key] === undefined) delete ids[key];
	return ids;
}

/**
 * A plausible email: one "@", a local part, a dotted domain of letters, digits and hyphens, no
 * spaces. Checked by splitting, not by one large pattern, so it runs in linear time on any input.
 * Klaviyo rejects a whole bulk job over one malformed email, so such a row is left out first.
 */
export function isPlausibleEmail(email: string): boolean {
	if (email.length > 254 || /\s/.test(email)) return false;
	const at = email.indexOf('@');
	if (at < 1 || at !== email.lastIndexOf('@') || at > 64) return false;
	const labels = email.slice(at + 1).split('.');
	if (labels.length < 2 || !/^[a-z]{2,63}$/i.test(labels[labels.length - 1])) return false;
	return labels.every((l) => l.length > 0 && l.length <= 63 && /^[a-z0-9-]+$/i.test(l) && !l.startsWith('-') && !l.endsWith('-'));
}

export function hasIdentifier(ids: ProfileIdentifiers): boolean {
	return Boolean(ids.email || ids.phone_number || ids.external_id);
}

/** Key under which two items are the same Klaviyo profile within one request. */
export function profileKey(ids: ProfileIdentifiers): string {
	return [ids.email?.toLowerCase() ?? '', ids.phone_number ?? '', ids.external_id ?? ''].join('\u0001');
}

/** E.164: Klaviyo rejects any other phone format on profiles and subscriptions. */
export function isE164(phone: string): boolean {
	return /^\+[1-9]\d{6,14}$/.test(phone);
}

/** A money amount as a number: numbers as they are, text through the pack's one parser ("$298.71"). */
export function amountOf(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = parseNumber(value);
	return parsed.ok ? parsed.value : undefined;
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
	return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The AI Scorer's attributes, as Klaviyo profile/event properties: top-level `ai_*` fields and
 * the primitive fields of an `ai` object (as `ai_<name>`). Objects are skipped: Klaviyo can only
 * segment on top-level primitives.
 */
export function aiAttributesOf(json: IDataObject): IDataObject {
	const out: IDataObject = {};
	const ai = obj(json.ai);
	if (ai) for (const [k, v] of Object.entries(ai)) if (isPrimitive(v)) out[`ai_${k.replace(/^ai_/, '')}`] = v;
	for (const [k, v] of Object.entries(json)) if (k.startsWith('ai_') && (isPrimitive(v) || Array.isArray(v))) out[k] = v;
	return out;
}

/** Flat booking facts for event properties: what a Klaviyo flow or segment filters on. */
export function bookingProperties(json: IDataObject): IDataObject {
	const booking = bookingOf(json);
	if (!booking) return {};
	const activity = obj(booking.activity) ?? {};
	const total = obj(booking.total) ?? {};
	const marketing = obj(booking.marketing) ?? {};
	const props: IDataObject = {
		booking_id: text(booking.id),
		booking_display_id: text(booking.displayId),
		booking_status: text(booking.status),
		booking_event: text(booking.event),
		activity_id: text(activity.id),
		activity_name: text(activity.name),
		activity_type: text(activity.type),
		starts_at: text(booking.startsAt),
		party_size: typeof booking.partySize === 'number' ? booking.partySize : undefined,
		total_amount: amountOf(total.amount),
		currency: text(total.currency),
		utm_source: text(marketing.utmSource),
		utm_campaign: text(marketing.utmCampaign),
		channel: text(marketing.channel),
	};
	for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
	return props;
}

export function bookingIdOf(json: IDataObject): string | undefined {
	return text(bookingOf(json)?.id);
}

export function bookingEventOf(json: IDataObject): string | undefined {
	return text(bookingOf(json)?.event);
}

export function bookingValueOf(json: IDataObject): { amount?: number; currency?: string } {
	const total = obj(bookingOf(json)?.total) ?? {};
	return { amount: amountOf(total.amount), currency: text(total.currency) };
}

/** Explicit consent only: `true` or the text "true"/"yes". Anything else, including missing, is no. */
export function isExplicitConsent(value: unknown): boolean {
	if (value === true) return true;
	return typeof value === 'string' && ['true', 'yes'].includes(value.trim().toLowerCase());
}

export { obj as asObject, text as asText };
