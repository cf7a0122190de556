import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { piiSalt, Pseudonymizer } from '../../shared/pii';
import { CREDENTIAL_TYPE, klaviyoRequest, describeRequest, type DescribedRequest } from '../transport';
import { emailAnyFilter, LIMITS } from './bodies';

export interface FoundProfile {
	id: string;
	attributes: IDataObject;
}

export interface LookupResult {
	/** Lower-cased email → profile. */
	found: Map<string, FoundProfile>;
	/**
	 * Lower-cased email → the lookup request that covered it (for error items and audit), with the
	 * filter's emails pseudonymized: one page asks for up to 100 customers, and its request is
	 * shown on each of their items.
	 */
	requestOf: Map<string, DescribedRequest>;
	/** Lower-cased email → the error of a failed lookup. */
	failed: Map<string, unknown>;
}

/**
 * Resolves emails to Klaviyo profiles, 100 per `GET /api/profiles?filter=any(email,[...])`:
 * list membership calls take profile ids, never emails. A failed page fails only its emails.
 */
export async function lookupProfilesByEmail(ctx: IExecuteFunctions, emails: string[], baseUrl: string, itemIndexOf: (email: string) => number): Promise<LookupResult> {
	const unique = [...new Set(emails.map((e) => e.toLowerCase()))];
	const result: LookupResult = { found: new Map(), requestOf: new Map(), failed: new Map() };
	const pseudonyms = new Pseudonymizer(await piiSalt(ctx, CREDENTIAL_TYPE));
	for (let start = 0; start < unique.length; start += LIMITS.emailsPerLookup) {
		const page = unique.slice(start, start + LIMITS.emailsPerLookup);
		const qs = { filter: emailAnyFilter(page), 'page[size]': LIMITS.emailsPerLookup };
		const request = describeRequest(baseUrl, { method: 'GET', path: '/api/profiles', qs: { ...qs, filter: pseudonyms.redactText(qs.filter) } });
		for (const email of page) result.requestOf.set(email, request);
		try {
			const res = await klaviyoRequest.call(ctx, { method: 'GET', path: '/api/profiles', qs, rateClass: 'profiles', itemIndex: itemIndexOf(page[0]) }, baseUrl);
			const data = ((res.body ?? {}) as IDataObject).data;
			for (const profile of Array.isArray(data) ? (data as IDataObject[]) : []) {
				const attributes = (profile.attributes ?? {}) as IDataObject;
				if (typeof attributes.email === 'string' && typeof profile.id === 'string') {
					result.found.set(attributes.email.toLowerCase(), { id: profile.id, attributes });
				}
			}
		} catch (error) {
			for (const email of page) result.failed.set(email, error);
		}
	}
	return result;
}
