import type { IDataObject, IHttpRequestMethods, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { credentialKey, vendorRequest, type RequestContext, type VendorResponse } from '../../shared/transport/request';

export const PEEK_CREDENTIAL = 'peekProAiPeekProApi';
export const PEEK_VENDOR = 'Peek Pro';
export const DEFAULT_PEEK_BASE_URL = 'https://n8n.peeklabs.com/n8n/api/v1';

/**
 * Peek publishes no rate limit; these keep one credential's calls (many items, several
 * executions in one process) polite and below what its connector has handled in practice.
 */
const RATE = { burst: 10, perSecond: 5 };
/**
 * Verify-by-fetch reads run inside the webhook response path, one per delivery: a separate, larger
 * bucket so a burst of bookings is not answered seconds late (and actions do not starve it).
 */
const VERIFY_RATE = { burst: 50, perSecond: 25 };

export interface PeekCall {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: unknown;
	itemIndex?: number;
	/** Overrides the credential's base URL (the documented-assumptions endpoints). */
	baseUrl?: string;
	idempotent?: boolean;
	timeoutMs?: number;
	maxRetries?: number;
	/** Rate-limit class: `verify` for the trigger's verify-by-fetch reads. */
	rateClass?: 'default' | 'verify';
}

export async function peekBaseUrl(this: RequestContext): Promise<string> {
	const credentials = await this.getCredentials(PEEK_CREDENTIAL);
	const base = typeof credentials.baseUrl === 'string' && credentials.baseUrl.trim() ? credentials.baseUrl : DEFAULT_PEEK_BASE_URL;
	return base.trim().replace(/\/+$/, '');
}

/** Every Peek call goes through the pack's one transport (retries, rate limit, NodeApiError). */
export async function peekRequest<T = unknown>(this: RequestContext, call: PeekCall): Promise<VendorResponse<T>> {
	const baseUrl = call.baseUrl ?? (await peekBaseUrl.call(this));
	const qs: IDataObject = {};
	for (const [k, v] of Object.entries(call.qs ?? {})) if (v !== undefined && v !== '' && v !== null) qs[k] = v;
	return (await vendorRequest.call(this, {
		vendor: PEEK_VENDOR,
		credentialType: PEEK_CREDENTIAL,
		method: call.method,
		baseUrl,
		url: call.path,
		qs: Object.keys(qs).length ? qs : undefined,
		body: call.body,
		idempotent: call.idempotent,
		timeoutMs: call.timeoutMs,
		itemIndex: call.itemIndex,
		rateLimit:
			call.rateClass === 'verify'
				? { key: `peek-verify:${credentialKey(this, PEEK_CREDENTIAL)}`, ...VERIFY_RATE }
				: { key: `peek:${credentialKey(this, PEEK_CREDENTIAL)}`, ...RATE },
		retry: call.maxRetries !== undefined ? { maxRetries: call.maxRetries } : undefined,
	})) as VendorResponse<T>;
}

/** Path segment from a user-supplied id: encoded, so an id can never change the path. */
export function seg(id: string): string {
	return encodeURIComponent(id.trim());
}

/**
 * Peek list endpoints return a bare array, or an object holding one under a common key. Returns the
 * list and a next-page cursor/URL when the body names one.
 */
export function listFrom(body: unknown, keys: string[] = []): { items: IDataObject[]; next?: string } {
	if (Array.isArray(body)) return { items: body as IDataObject[] };
	if (!body || typeof body !== 'object') return { items: [] };
	const o = body as IDataObject;
	for (const k of [...keys, 'data', 'results', 'items', 'bookings', 'timeslots', 'products', 'users', 'guests']) {
		if (Array.isArray(o[k])) {
			const next = o.nextCursor ?? o.next_cursor ?? o.next ?? (o.meta as IDataObject | undefined)?.nextCursor ?? (o.links as IDataObject | undefined)?.next;
			return { items: o[k] as IDataObject[], next: typeof next === 'string' && next ? next : undefined };
		}
	}
	return { items: [o] };
}

/** Rethrow helper: n8n errors pass through unchanged, anything else is wrapped once. */
export function toNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}
