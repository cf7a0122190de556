import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { processesSharing, shareOf } from '../../shared/transport/rateLimiter';
import { credentialKey, transportNow, transportSleep, vendorRequest, type VendorResponse } from '../../shared/transport/request';
import { DEFAULT_RETRY_POLICY, nextDelayMs, parseRetryAfter } from '../../shared/transport/retry';
import { parseVendorError } from '../../shared/transport/vendorError';

export const DELEGATED_CREDENTIAL_TYPE = 'peekProAiMicrosoftGraphOAuth2Api';
export const APP_ONLY_CREDENTIAL_TYPE = 'peekProAiMicrosoftGraphAppOnlyApi';
export const DEFAULT_BASE_URL = 'https://graph.microsoft.com/v1.0';
/** Graph's JSON batching limit (concepts/json-batching.md). */
export const BATCH_LIMIT = 20;
/** getSchedule answers for at most this many schedules per call in this node (Graph's documented 20 for app-only). */
export const SCHEDULE_LIMIT = 20;

/**
 * Outlook's documented per-mailbox limit is 10,000 requests per 10 minutes and 4 concurrent requests
 * per mailbox; the app-wide limit is higher. The node keeps to 15 requests/s with a burst of 20 per
 * credential, far inside both for one mailbox, and lets `Retry-After` slow it further when Graph says so.
 */
export const GRAPH_RATE = { burst: 20, perSecond: 15 };

/**
 * This process's bucket for one credential: in queue mode the credential's "Processes Sharing This
 * Key" (the workers that run Outlook Calendar nodes with it) each keep 1/N, so the fleet stays at
 * GRAPH_RATE together (the buckets are per process; README, "Rate limits across workers").
 */
export function graphBucket(sharingProcesses = 1): { burst: number; perSecond: number } {
	return shareOf(GRAPH_RATE, sharingProcesses);
}

export type GraphContext = IExecuteFunctions | ILoadOptionsFunctions;

export function credentialTypeOf(ctx: GraphContext): string {
	const auth = ctx.getNodeParameter('authentication', 0, 'appOnly') as string;
	return auth === 'oAuth2' ? DELEGATED_CREDENTIAL_TYPE : APP_ONLY_CREDENTIAL_TYPE;
}

/** The credential's Graph base URL and how many n8n processes share its rate limit (queue mode). */
export async function accountSettings(ctx: GraphContext): Promise<{ baseUrl: string; sharingProcesses: number }> {
	const credentials = await ctx.getCredentials(credentialTypeOf(ctx));
	const base = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() !== '' ? credentials.baseUrl : DEFAULT_BASE_URL;
	return { baseUrl: base.trim().replace(/\/+$/, ''), sharingProcesses: processesSharing(credentials.sharingProcesses) };
}

export async function baseUrlOf(ctx: GraphContext): Promise<string> {
	return (await accountSettings(ctx)).baseUrl;
}

export interface GraphRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. `/users/a@b.c/events`, or an absolute `@odata.nextLink`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	headers?: Record<string, string>;
	/** A POST made safe to repeat (create with `transactionId`). */
	idempotent?: boolean;
	itemIndex?: number;
}

/** Ids stay the same when an event moves between folders (docs: outlook-immutable-id). */
export const IMMUTABLE_ID = 'IdType="ImmutableId"';

export function mailboxPath(mailbox: string): string {
	return `/users/${encodeURIComponent(mailbox)}`;
}

/**
 * Every Graph call goes through the pack's one transport: credentials applied by n8n, 429/503/504
 * retried with Graph's `Retry-After`, one token bucket per credential.
 */
export async function graphRequest<T = IDataObject>(this: GraphContext, req: GraphRequest, baseUrl?: string): Promise<VendorResponse<T>> {
	const credentialType = credentialTypeOf(this);
	const account = await accountSettings(this);
	const base = baseUrl ?? account.baseUrl;
	const headers: Record<string, string> = { Prefer: IMMUTABLE_ID, ...req.headers };
	if (req.body !== undefined) headers['Content-Type'] = 'application/json';
	return await vendorRequest.call<GraphContext, Parameters<typeof vendorRequest>, Promise<VendorResponse<T>>>(this, {
		vendor: 'Microsoft Graph',
		credentialType,
		method: req.method,
		baseUrl: base,
		url: req.path,
		qs: req.qs,
		body: req.body,
		headers,
		idempotent: req.idempotent,
		itemIndex: req.itemIndex,
		rateLimit: { key: `graph:${credentialKey(this, credentialType)}`, ...graphBucket(account.sharingProcesses) },
	});
}

export interface BatchPart {
	method: IHttpRequestMethods;
	/** Relative to the version root: `/users/x/events`. */
	url: string;
	body?: IDataObject;
	headers?: Record<string, string>;
	/** Safe to resend after a 429/503/504 inside the batch. */
	idempotent?: boolean;
}

export interface BatchResult {
	status: number;
	body: IDataObject;
	headers: Record<string, string>;
}

/** Outlook runs at most 4 requests per mailbox concurrently, inside a batch too (json-batching.md). */
export const MAILBOX_CONCURRENCY = 4;

function mailboxOf(url: string): string {
	return (/^\/users\/([^/?]+)/.exec(url)?.[1] ?? '').toLowerCase();
}

/**
 * Packs members into batches of at most 20 with at most 4 for one mailbox, in order: a batch full
 * of one guide's requests would have all but 4 answered 429 by Outlook and cost another round trip.
 */
export function packBatches(parts: BatchPart[]): Array<Array<{ part: BatchPart; index: number }>> {
	const batches: Array<{ members: Array<{ part: BatchPart; index: number }>; perMailbox: Map<string, number> }> = [];
	let firstOpen = 0;
	parts.forEach((part, index) => {
		const mailbox = mailboxOf(part.url);
		for (let b = firstOpen; ; b++) {
			if (b === batches.length) batches.push({ members: [], perMailbox: new Map() });
			const batch = batches[b];
			const used = batch.perMailbox.get(mailbox) ?? 0;
			if (batch.members.length < BATCH_LIMIT && (!mailbox || used < MAILBOX_CONCURRENCY)) {
				batch.members.push({ part, index });
				batch.perMailbox.set(mailbox, used + 1);
				break;
			}
		}
		while (firstOpen < batches.length && batches[firstOpen].members.length >= BATCH_LIMIT) firstOpen++;
	});
	return batches.map((b) => b.members);
}

/** Read-only calls and writes with an idempotency key are resent; the rest only when Graph throttled before doing anything. */
const BATCH_RETRY_STATUSES = new Set([429, 503, 504]);

/**
 * `$batch` with per-request retries: Graph answers a batch 200 while single members carry 429 and
 * their own `Retry-After`; those members are sent again (alone with the others still pending) until
 * they succeed or the retry budget runs out. A 429 means Graph did not run the request, so every
 * member may be resent after one; 503/504 only if the member is idempotent.
 */
export async function graphBatch(this: GraphContext, parts: BatchPart[], baseUrl?: string): Promise<BatchResult[]> {
	const base = baseUrl ?? (await baseUrlOf(this));
	const results: BatchResult[] = new Array(parts.length);
	for (const batch of packBatches(parts)) {
		let pending = batch;
		for (let attempt = 0; pending.length; attempt++) {
			const requests = pending.map(({ part, index }) => {
				const headers: Record<string, string> = { Prefer: IMMUTABLE_ID, ...part.headers };
				const entry: IDataObject = { id: String(index), method: part.method, url: part.url };
				if (part.body !== undefined) {
					headers['Content-Type'] = 'application/json';
					entry.body = part.body;
				}
				entry.headers = headers;
				return entry;
			});
			const response = await graphRequest.call(this, { method: 'POST', path: '/$batch', body: { requests }, idempotent: pending.every((p) => p.part.idempotent ?? p.part.method !== 'POST') }, base);
			const answers = new Map<string, IDataObject>();
			for (const r of ((response.body as IDataObject).responses as IDataObject[] | undefined) ?? []) answers.set(String(r.id), r);
			const retry: typeof pending = [];
			let waitMs = 0;
			for (const p of pending) {
				const answer = answers.get(String(p.index));
				const status = Number(answer?.status ?? 0);
				const headers = (answer?.headers ?? {}) as Record<string, string>;
				const retryable = BATCH_RETRY_STATUSES.has(status) && (status === 429 || (p.part.idempotent ?? p.part.method !== 'POST'));
				if (!answer || (retryable && attempt < DEFAULT_RETRY_POLICY.maxRetries + 2)) {
					retry.push(p);
					const after = parseRetryAfter(headers['Retry-After'] ?? headers['retry-after'], transportNow());
					waitMs = Math.max(waitMs, nextDelayMs(attempt, after, DEFAULT_RETRY_POLICY, () => 0.5));
					continue;
				}
				results[p.index] = { status, body: (answer.body ?? {}) as IDataObject, headers };
			}
			pending = retry;
			if (pending.length) await transportSleep(waitMs);
		}
	}
	return results;
}

/** A failed batch member as the NodeApiError a single call would have thrown. */
export function batchError(ctx: GraphContext, result: BatchResult, what: string, itemIndex?: number): NodeApiError {
	const info = parseVendorError(result.body);
	const error = new NodeApiError(ctx.getNode(), (result.body ?? {}) as JsonObject, {
		message: `Microsoft Graph rejected the request: ${info.message ?? `HTTP ${result.status}`}`,
		description: `${what} answered ${result.status}.${info.code ? ` Graph code: ${info.code}.` : ''}`,
		httpCode: String(result.status),
		itemIndex,
	});
	error.context = { ...(error.context ?? {}), vendor: 'Microsoft Graph', vendorCode: info.code };
	return error;
}
