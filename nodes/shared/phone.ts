import type { IDataObject } from 'n8n-workflow';

import { getCountries, parsePhoneNumberFromString, type CountryCode } from './vendor/phone';

/**
 * Phone numbers as guests type them ("+1 (403) 555-0142", "403-555-0199", "0044 20 7946 0958",
 * "(403) 555-0142 ext 2") → E.164, the only format Klaviyo (and most messaging APIs) accept.
 * Every node that sends a phone anywhere goes through `toE164`.
 *
 * Default country, for numbers written without a country code: the booking's own country
 * (customer.country, then the booking's or order's country fields) wins over the node's
 * *Default Phone Country* setting, because the guest wrote the number the way it is dialled where
 * they live; the setting is the fallback for bookings that carry no country.
 *
 * A number that cannot be normalized is never an error: the caller leaves it out of the vendor
 * request and records `{ field, reason }` on the item.
 */

export type PhoneResult = { ok: true; e164: string; extension?: string; country?: string } | { ok: false; reason: string };

export interface FieldWarning {
	field: string;
	reason: string;
}

/** Longer text is a note, not a number; libphonenumber itself stops at 250 characters. */
const MAX_PHONE_LENGTH = 64;

let byName: Map<string, CountryCode> | undefined;
const ALIASES: Record<string, CountryCode> = { USA: 'US', UK: 'GB', 'GREAT BRITAIN': 'GB', ENGLAND: 'GB', SCOTLAND: 'GB', WALES: 'GB' };

function countryNames(): Map<string, CountryCode> {
	if (byName) return byName;
	byName = new Map();
	const countries = getCountries();
	let names: Intl.DisplayNames | undefined;
	try {
		names = new Intl.DisplayNames(['en'], { type: 'region' });
	} catch {
		names = undefined;
	}
	for (const code of countries) {
		byName.set(code, code);
		const name = names?.of(code);
		if (name) byName.set(name.toUpperCase(), code);
	}
	for (const [alias, code] of Object.entries(ALIASES)) byName.set(alias, code);
	return byName;
}

/** An ISO 3166 alpha-2 code from a code ("ca", "CA") or an English country name ("Canada", "USA"). */
export function countryCodeOf(value: unknown): CountryCode | undefined {
	if (typeof value !== 'string') return undefined;
	const key = value.trim().toUpperCase();
	if (!key || key.length > 60) return undefined;
	return countryNames().get(key);
}

function obj(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/**
 * The country a booking or order says its guest is in: the customer's, then the booking's, then a
 * Shopify order's billing / shipping address or the customer's default address.
 */
export function bookingCountryOf(json: IDataObject): CountryCode | undefined {
	const booking = obj(json.booking) ?? json;
	const customer = obj(booking.customer) ?? obj(json.customer) ?? {};
	const candidates: unknown[] = [
		customer.country,
		customer.countryCode,
		customer.country_code,
		obj(customer.address)?.country,
		obj(customer.default_address)?.country_code,
		booking.country,
		booking.countryCode,
		obj(booking.billing_address)?.country_code,
		obj(booking.shipping_address)?.country_code,
		json.country,
	];
	for (const c of candidates) {
		const code = countryCodeOf(c);
		if (code) return code;
	}
	return undefined;
}

/**
 * Normalizes a phone number to E.164. `defaultCountry` (a code or English name) is used only for
 * numbers written without a country code. "00" before a country code is read as "+" (the
 * international prefix of most of the world) when the default country's own reading fails.
 */
export function toE164(input: unknown, defaultCountry?: string): PhoneResult {
	if (typeof input === 'number' && Number.isFinite(input)) input = String(input);
	if (typeof input !== 'string' || input.trim() === '') return { ok: false, reason: 'no phone number' };
	const text = input.trim();
	// Reasons never repeat the number: they travel on output items and audit rows.
	if (text.length > MAX_PHONE_LENGTH) return { ok: false, reason: `is longer than ${MAX_PHONE_LENGTH} characters: a note, not a phone number` };
	const country = countryCodeOf(defaultCountry);
	const attempts: Array<[string, CountryCode | undefined]> = [[text, country]];
	if (text.startsWith('00')) attempts.push([`+${text.slice(2)}`, undefined]);
	let possible = false;
	for (const [candidate, c] of attempts) {
		const parsed = parsePhoneNumberFromString(candidate, c ? { defaultCountry: c } : undefined);
		if (!parsed) continue;
		if (parsed.isValid()) {
			return { ok: true, e164: parsed.number, ...(parsed.ext ? { extension: parsed.ext } : {}), ...(parsed.country ? { country: parsed.country } : {}) };
		}
		possible ||= parsed.isPossible();
	}
	if (!/\d/.test(text)) return { ok: false, reason: 'has no digits: not a phone number' };
	if (!text.startsWith('+') && !text.startsWith('00') && !country) {
		return { ok: false, reason: 'has no country code and neither the booking nor the node names a default country' };
	}
	return {
		ok: false,
		reason: possible
			? `is not a valid number${country && !text.startsWith('+') ? ` in ${country}` : ''} (no such area or network code)`
			: `is not a phone number${country && !text.startsWith('+') ? ` in ${country}` : ''} (wrong number of digits or not a number at all)`,
	};
}
