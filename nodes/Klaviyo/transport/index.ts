import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions } from 'n8n-workflow';

import { processesSharing } from '../../shared/transport/rateLimiter';
import { credentialKey, vendorRequest, type VendorResponse } from '../../shared/transport/request';
import type { RetryPolicy } from '../../shared/transport/retry';

/** The revision of the vendored spec (test/contracts/); every request body is validated against it. */
export const KLAVIYO_REVISION = '2026-07-15';
export const JSON_API = 'application/vnd.api+json';
export const CREDENTIAL_TYPE = 'peekProAiKlaviyoApi';
export const DEFAULT_BASE_URL = 'https://a.klaviyo.com';

/**
 * Klaviyo's per-endpoint limits at the pinned revision (`x-klaviyo-ratelimit` in the spec):
 * XL 350/s + 3500/min, L 75/s + 750/min, M 10/s + 150/min. Limits are per account, so buckets are
 * keyed by credential.
 */
export type RateClass = 'events' | 'bulkEvents' | 'profiles' | 'bulkImport' | 'lists' | 'listMembers' | 'subscriptions';

export const RATE_LIMITS: Record<RateClass, { burstPerSecond: number; perMinute: number }> = {
	events: { burstPerSecond: 350, perMinute: 3500 },
	bulkEvents: { burstPerSecond: 10, perMinute: 150 },
	profiles: { burstPerSecond: 75, perMinute: 750 },
	bulkImport: { burstPerSecond: 10, perMinute: 150 },
	lists: { burstPerSecond: 75, perMinute: 750 },
	listMembers: { burstPerSecond: 10, perMinute: 150 },
	subscriptions: { burstPerSecond: 75, perMinute: 750 },
};

/**
 * One token bucket has to respect two fixed windows. Any 60 s span lets a bucket pass
 * `capacity + 60 × refill` requests, so the capacity is the 2 % of the minute's budget that the
 * refill (98 % of the steady rate) leaves over; that also keeps every 1 s span far below the burst.
 */
export function bucketSpec(rateClass: RateClass, sharingProcesses = 1): { burst: number; perSecond: number } {
	// Buckets live in one process; n8n queue mode runs several workers on the same account, so each
	// takes an equal share of Klaviyo's limits (the credential's "Processes Sharing This Key").
	const share = processesSharing(sharingProcesses);
	const burstPerSecond = RATE_LIMITS[rateClass].burstPerSecond / share;
	const perMinute = RATE_LIMITS[rateClass].perMinute / share;
	const perSecond = (perMinute / 60) * 0.98;
	const burst = Math.max(1, Math.min(burstPerSecond, Math.floor(perMinute - perSecond * 60)));
	return { burst, perSecond };
}

export interface KlaviyoRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL (`/api/events`) or an absolute `links.next` URL. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	rateClass: RateClass;
	/** True when sending twice equals sending once (events with `unique_id`, list membership). */
	idempotent?: boolean;
	itemIndex?: number;
	timeoutMs?: number;
}

/** The request as a reviewer (shadow mode, audit, error items) sees it: no API key. */
export interface DescribedRequest extends IDataObject {
	method: string;
	url: string;
	headers: IDataObject;
	body: IDataObject | null;
}

export type KlaviyoContext = IExecuteFunctions | ILoadOptionsFunctions;

export function klaviyoHeaders(hasBody: boolean): Record<string, string> {
	const headers: Record<string, string> = { revision: KLAVIYO_REVISION, accept: JSON_API };
	if (hasBody) headers['content-type'] = JSON_API;
	return headers;
}

export async function baseUrlOf(ctx: KlaviyoContext): Promise<string> {
	return (await accountSettings(ctx)).baseUrl;
}

/** The credential's base URL and how many n8n processes share its rate limits (queue mode). */
export async function accountSettings(ctx: KlaviyoContext): Promise<{ baseUrl: string; sharingProcesses: number }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const base = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl : DEFAULT_BASE_URL;
	return { baseUrl: base.trim().replace(/\/+$/, ''), sharingProcesses: processesSharing(credentials.sharingProcesses) };
}

function urlWithQuery(url: string, qs: IDataObject | undefined): string {
	const entries = Object.entries(qs ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
	if (!entries.length) return url;
	const query = entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
	return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

export function describeRequest(baseUrl: string, req: Pick<KlaviyoRequest, 'method' | 'path' | 'qs' | 'body'>): DescribedRequest {
	const url = /^https?:\/\//i.test(req.path) ? req.path : `${baseUrl}${req.path}`;
	return {
		method: req.method,
		url: urlWithQuery(url, req.qs),
		headers: klaviyoHeaders(req.body !== undefined),
		body: req.body ?? null,
	};
}

/**
 * Every Klaviyo call goes through the shared transport (retries, Retry-After, NodeApiError with
 * the JSON:API `source.pointer`), with Klaviyo's headers and the endpoint class's token bucket.
 * 500 is retried only for idempotent calls: Klaviyo may have processed the request before failing.
 */
export async function klaviyoRequest<T = IDataObject>(this: KlaviyoContext, req: KlaviyoRequest, baseUrl?: string): Promise<VendorResponse<T>> {
	const account = await accountSettings(this);
	const base = baseUrl ?? account.baseUrl;
	const retry: Partial<RetryPolicy> | undefined = req.idempotent ? { retryStatuses: [429, 500, 502, 503, 504] } : undefined;
	return await vendorRequest.call<KlaviyoContext, Parameters<typeof vendorRequest>, Promise<VendorResponse<T>>>(this, {
		vendor: 'Klaviyo',
		credentialType: CREDENTIAL_TYPE,
		method: req.method,
		baseUrl: base,
		url: req.path,
		qs: req.qs,
		body: req.body,
		headers: klaviyoHeaders(req.body !== undefined),
		idempotent: req.idempotent,
		timeoutMs: req.timeoutMs,
		itemIndex: req.itemIndex,
		rateLimit: { key: `klaviyo:${credentialKey(this, CREDENTIAL_TYPE)}:${req.rateClass}`, ...bucketSpec(req.rateClass, account.sharingProcesses) },
		retry,
	});
}
