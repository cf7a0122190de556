import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { piiSalt, Pseudonymizer } from '../pii';
import { bucketFor, type RateLimitSpec } from './rateLimiter';
import {
	DEFAULT_RETRY_POLICY,
	networkErrorCode,
	nextDelayMs,
	parseRetryAfter,
	shouldRetry,
	type RetryPolicy,
} from './retry';
import { parseVendorError } from './vendorError';

/** Every n8n context that can make authenticated requests. */
export type RequestContext =
	| IExecuteFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions;

export interface VendorRequest {
	/** Display name used in error messages, e.g. "Klaviyo". */
	vendor: string;
	/** The package's own credential type name. */
	credentialType: string;
	method: IHttpRequestMethods;
	/** Absolute URL, or a path joined to `baseUrl`. */
	url: string;
	baseUrl?: string;
	qs?: IDataObject;
	body?: unknown;
	headers?: Record<string, string>;
	/**
	 * Whether sending the request twice has the effect of sending it once. Defaults to true for
	 * GET/HEAD/PUT/DELETE and false for POST/PATCH; set true for a POST that carries an
	 * idempotency key (Klaviyo `unique_id`, Graph `transactionId`).
	 */
	idempotent?: boolean;
	/** Per-attempt timeout. Default 30 s. */
	timeoutMs?: number;
	rateLimit?: RateLimitSpec;
	retry?: Partial<RetryPolicy>;
	/** Item the request is made for, stamped on the error. */
	itemIndex?: number;
	/** Parse the response body as JSON (default true). */
	json?: boolean;
}

export interface VendorResponse<T = unknown> {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: T;
	/** Attempts made, including the successful one. */
	attempts: number;
}

/** Injected in unit tests so retry timing can be asserted without waiting. */
export interface TransportClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
}

const realClock: TransportClock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms), random: Math.random };
let clock: TransportClock = realClock;

export function setTransportClock(next: TransportClock | undefined): void {
	clock = next ?? realClock;
}

/** The transport's clock, for callers that wait between their own attempts (Graph `$batch` members). */
export async function transportSleep(ms: number): Promise<void> {
	await clock.sleep(ms);
}

export function transportNow(): number {
	return clock.now();
}

const IDEMPOTENT_METHODS = new Set<IHttpRequestMethods>(['GET', 'HEAD', 'PUT', 'DELETE']);

function joinUrl(baseUrl: string | undefined, url: string): string {
	if (/^https?:\/\//i.test(url) || !baseUrl) return url;
	return `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

interface FullResponse {
	statusCode: number;
	headers?: Record<string, string | string[] | undefined>;
	body: unknown;
}

function headerValue(headers: FullResponse['headers'], name: string): unknown {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key ? headers[key] : undefined;
}

/**
 * The one HTTP transport every node in this pack uses.
 *
 * - Auth comes from the credential through `httpRequestWithAuthentication` (secrets never touch node code).
 * - HTTP status errors are returned, not thrown, by n8n (`ignoreHttpStatusErrors`), so status, headers
 *   and the vendor's error body are all available to the retry and error logic below.
 * - Retries: 429/502/503/504 and transient socket errors, exponential backoff with jitter, `Retry-After`
 *   honoured (and fed back into the rate limiter); non-idempotent calls retried only before delivery.
 * - The final failure is wrapped once in a `NodeApiError` carrying the vendor's message, code and the
 *   failing field.
 */
export async function vendorRequest<T = unknown>(this: RequestContext, req: VendorRequest): Promise<VendorResponse<T>> {
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...req.retry };
	const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(req.method);
	const url = joinUrl(req.baseUrl, req.url);
	const options: IHttpRequestOptions = {
		method: req.method,
		url,
		qs: req.qs,
		headers: { accept: 'application/json', ...req.headers },
		json: req.json ?? true,
		timeout: req.timeoutMs ?? 30_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (req.body !== undefined) options.body = req.body as IDataObject;

	for (let attempt = 0; ; attempt++) {
		if (req.rateLimit) {
			const wait = bucketFor(req.rateLimit, clock.now()).reserve(clock.now());
			if (wait > 0) await clock.sleep(wait);
		}

		let response: FullResponse | undefined;
		let thrown: unknown;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				req.credentialType,
				options,
			)) as FullResponse;
		} catch (error) {
			thrown = error;
		}

		if (response && response.statusCode >= 200 && response.statusCode < 400) {
			if (req.rateLimit) bucketFor(req.rateLimit, clock.now()).recordThrottled(false);
			return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body as T, attempts: attempt + 1 };
		}

		if (response) {
			const retryAfterMs = parseRetryAfter(headerValue(response.headers, 'retry-after'), clock.now());
			if (req.rateLimit) {
				const bucket = bucketFor(req.rateLimit, clock.now());
				const throttled = response.statusCode === 429;
				if (throttled) bucket.refund(clock.now());
				if (bucket.recordThrottled(throttled)) bucket.block(clock.now(), retryAfterMs ?? policy.baseDelayMs);
			}
			if (attempt < policy.maxRetries && shouldRetry({ kind: 'status', status: response.statusCode }, idempotent, policy)) {
				await clock.sleep(nextDelayMs(attempt, retryAfterMs, policy, clock.random));
				continue;
			}
			throw vendorHttpError(this, req, response, attempt + 1, await errorPseudonymizer(this, req));
		}

		const code = networkErrorCode(thrown);
		if (code && attempt < policy.maxRetries && shouldRetry({ kind: 'network', code }, idempotent, policy)) {
			await clock.sleep(nextDelayMs(attempt, undefined, policy, clock.random));
			continue;
		}
		throw vendorNetworkError(this, req, thrown, code, attempt + 1, await errorPseudonymizer(this, req));
	}
}

/**
 * Errors travel further than the node (error workflows, notifications, other customers' error
 * items when a batch fails), so the URL, the vendor's message and its echoed body are
 * pseudonymized with the credential's salt before they are put into one: a lookup URL or a
 * "not a valid email: …" message would otherwise carry customers' emails and phones.
 */
async function errorPseudonymizer(ctx: RequestContext, req: VendorRequest): Promise<Pseudonymizer> {
	return new Pseudonymizer(await piiSalt(ctx, req.credentialType, req.itemIndex));
}

function describeRequest(req: VendorRequest, p: Pseudonymizer): string {
	return `${req.method} ${p.redactText(req.url)}`;
}

function vendorHttpError(ctx: RequestContext, req: VendorRequest, response: FullResponse, attempts: number, p: Pseudonymizer): NodeApiError {
	const info = parseVendorError(response.body);
	const status = response.statusCode;
	const vendorMessage = p.redactText(info.message ?? `HTTP ${status}`);
	const fieldPart = info.field ? ` (field ${info.field})` : '';
	const body = typeof response.body === 'string' ? p.redactText(response.body) : p.redactValue(response.body ?? null);
	const error = new NodeApiError(
		ctx.getNode(),
		{ httpCode: String(status), body: body as JsonObject, request: describeRequest(req, p) } as unknown as JsonObject,
		{
			message: `${req.vendor} rejected the request: ${vendorMessage}${fieldPart}`,
			description: [
				`${describeRequest(req, p)} answered ${status}${attempts > 1 ? ` after ${attempts} attempts` : ''}.`,
				info.code ? `Vendor code: ${info.code}.` : '',
				info.all.length > 1 ? `Other errors: ${info.all.slice(1).map((e) => `${p.redactText(e.message ?? '')}${e.field ? ` (${e.field})` : ''}`).join('; ')}` : '',
			]
				.filter(Boolean)
				.join(' '),
			httpCode: String(status),
			itemIndex: req.itemIndex,
		},
	);
	error.context = {
		...(error.context ?? {}),
		vendor: req.vendor,
		field: info.field,
		vendorCode: info.code,
		attempts,
		request: describeRequest(req, p),
	};
	return error;
}

function vendorNetworkError(ctx: RequestContext, req: VendorRequest, thrown: unknown, code: string | undefined, attempts: number, p: Pseudonymizer): NodeApiError {
	const message = p.redactText(thrown instanceof Error ? thrown.message : String(thrown));
	const error = new NodeApiError(ctx.getNode(), { message, networkCode: code ?? null } as JsonObject, {
		message: `${req.vendor} could not be reached: ${code ?? message}`,
		description: `${describeRequest(req, p)} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${message}`,
		itemIndex: req.itemIndex,
	});
	error.context = { ...(error.context ?? {}), vendor: req.vendor, networkCode: code, attempts, request: describeRequest(req, p) };
	return error;
}

/** The credential id for rate-limit keys: buckets are per credential, not per node. */
export function credentialKey(ctx: RequestContext, credentialType: string): string {
	return ctx.getNode().credentials?.[credentialType]?.id ?? 'default';
}
