/**
 * Retry policy for vendor HTTP calls, kept free of n8n types so it can be unit-tested exactly.
 *
 * Shape follows n8n's Microsoft Dataverse transport: retry throttling and gateway errors with
 * exponential backoff and jitter, let the vendor's `Retry-After` override the backoff, and never
 * retry a non-idempotent call once it may have reached the vendor (a duplicate booking note, event or
 * list membership is worse than a visible error).
 */

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** First backoff step; doubles each retry. */
	baseDelayMs: number;
	/** Upper bound for computed backoff. */
	maxDelayMs: number;
	/** Upper bound for a vendor-supplied Retry-After (a vendor asking for an hour fails the item instead). */
	maxRetryAfterMs: number;
	/** HTTP statuses worth another attempt. */
	retryStatuses: number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	retryStatuses: [429, 502, 503, 504],
};

/** Socket-level failures that are transient. */
const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Failures that happen before the request can have reached the vendor: safe to retry any method. */
const PRE_DELIVERY_NETWORK_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Parses `Retry-After` (delta-seconds or an HTTP-date) into milliseconds from `now`.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(exp / 2 + random() * (exp / 2));
}

/** Delay before the next attempt: the vendor's Retry-After (plus a little jitter) wins over backoff. */
export function nextDelayMs(
	attempt: number,
	retryAfterMs: number | undefined,
	policy: RetryPolicy,
	random: () => number,
): number {
	if (retryAfterMs !== undefined) {
		return Math.min(policy.maxRetryAfterMs, retryAfterMs) + Math.round(random() * 100);
	}
	return backoffDelayMs(attempt, policy, random);
}

/** Walks an error and the causes n8n and axios wrap around it, looking for a socket error code. */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string' && /timeout of \d+ms exceeded|socket hang up/i.test(message)) {
			return message.includes('hang up') ? 'ECONNRESET' : 'ETIMEDOUT';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export type AttemptOutcome =
	| { kind: 'status'; status: number }
	| { kind: 'network'; code: string };

/**
 * Whether another attempt may be made. A non-idempotent call (POST without an idempotency key) is
 * retried only when the vendor provably did not process it: 429 (rejected by the rate limiter) or a
 * connection that was never established.
 */
export function shouldRetry(outcome: AttemptOutcome, idempotent: boolean, policy: RetryPolicy): boolean {
	if (outcome.kind === 'status') {
		if (!policy.retryStatuses.includes(outcome.status)) return false;
		return idempotent || outcome.status === 429;
	}
	return idempotent || PRE_DELIVERY_NETWORK_CODES.has(outcome.code);
}
