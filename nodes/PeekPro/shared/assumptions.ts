import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../shared/transport/request';
import { PEEK_CREDENTIAL, peekBaseUrl, peekRequest } from './transport';

/**
 * DOCUMENTED ASSUMPTIONS: endpoints Peek has not published.
 *
 * Peek's automation API (contracts/PEEK.md §1) has no waitlist and no booking-creation endpoint.
 * The waitlist flow needs both, so they live here and nowhere else: one module to change when
 * Peek publishes them, or to point at an operator's own proxy through the credential's
 * "Proxy Base URL for Unpublished Endpoints" (empty = the normal base URL).
 *
 * Assumed, REST-style, JSON, same `x-api-key` auth:
 * - `GET  {assumed}/waitlists?productId=&date=` → array of entries (or `{data: [...]}`)
 * - `DELETE {assumed}/waitlists/{entryId}` → removes an entry
 * - `POST {assumed}/bookings` `{externalId, productId, timeslotId, quantity, customer{name,email,phone}, notes}`
 *   → the created booking. `externalId` is the idempotency key: the call is retried only because
 *   a repeat with the same `externalId` must not create a second booking.
 *
 * Every output item of these operations is marked `assumedEndpoint: true` so a flow (and its audit
 * trail) can tell a published call from an assumed one.
 */
export const ASSUMED_ENDPOINTS = {
	listWaitlist: { method: 'GET', path: '/waitlists' },
	removeWaitlistEntry: { method: 'DELETE', path: '/waitlists/{entryId}' },
	createBooking: { method: 'POST', path: '/bookings' },
} as const;

export async function assumedBaseUrl(this: RequestContext): Promise<string> {
	const credentials = await this.getCredentials(PEEK_CREDENTIAL);
	const configured = typeof credentials.assumedBaseUrl === 'string' ? credentials.assumedBaseUrl.trim() : '';
	return configured ? configured.replace(/\/+$/, '') : await peekBaseUrl.call(this);
}

export async function listWaitlist(this: RequestContext, qs: IDataObject, itemIndex: number): Promise<unknown> {
	const baseUrl = await assumedBaseUrl.call(this);
	return (await peekRequest.call(this, { method: 'GET', path: ASSUMED_ENDPOINTS.listWaitlist.path, qs, itemIndex, baseUrl })).body;
}
