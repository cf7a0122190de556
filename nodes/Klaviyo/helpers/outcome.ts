import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createAuditRecord, type AuditResult } from '../../shared/audit';
import { asNodeError as sharedAsNodeError, errorFields } from '../../shared/errors';
import { Pseudonymizer } from '../../shared/pii';
import type { DescribedRequest } from '../transport';
import { bookingIdOf, identifiersOf } from './item';

export const NODE_VERSION = '1';

/** What happened to one input item. Every input item gets exactly one outcome, so none is dropped. */
export type ItemOutcome =
	| { kind: 'sent'; json: IDataObject; request: DescribedRequest; many?: IDataObject[] }
	| { kind: 'shadow'; request: DescribedRequest; json?: IDataObject }
	| { kind: 'skipped'; reason: string; request?: DescribedRequest }
	| { kind: 'failed'; error: NodeApiError | NodeOperationError; request?: DescribedRequest };

export type KlaviyoError = NodeApiError | NodeOperationError;

/** Anything thrown below the operation becomes a node error stamped with its item. */
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): KlaviyoError {
	return sharedAsNodeError(ctx, error, itemIndex);
}

/** Validation failures name the parameter and say how to fix it. */
export function fieldError(ctx: IExecuteFunctions, itemIndex: number, field: string, message: string, description: string): NodeOperationError {
	const error = new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	error.context.field = field;
	return error;
}

/** A batch call failed: each of its items carries the same error, stamped with its own index. */
export function errorForItem(ctx: IExecuteFunctions, error: unknown, itemIndex: number): KlaviyoError {
	if (error instanceof NodeApiError) {
		const copy = new NodeApiError(ctx.getNode(), (error.cause ?? { message: error.message }) as JsonObject, {
			message: error.message,
			description: error.description ?? undefined,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
		copy.context = { ...error.context, itemIndex };
		return copy;
	}
	return asNodeError(ctx, error, itemIndex);
}

const RESULT: Record<ItemOutcome['kind'], AuditResult> = { sent: 'sent', shadow: 'shadow', skipped: 'skipped', failed: 'failed' };

/** The request as the audit stores it: method, URL and body (headers carry nothing worth keeping). */
function auditRequest(request: DescribedRequest | undefined): IDataObject | undefined {
	return request ? { method: request.method, url: request.url, body: request.body } : undefined;
}

/**
 * A request as an output item shows it: the URL's query pseudonymized (a lookup's filter lists the
 * emails of up to 100 customers, and a failed page's request is copied to each of their items),
 * and for error items, which go to error workflows and notifications, the body too.
 */
function shownRequest(request: DescribedRequest, p: Pseudonymizer, withBody: boolean): DescribedRequest {
	return { ...request, url: p.redactText(request.url), body: withBody && request.body ? p.redactValue(request.body) : request.body };
}

/**
 * Turns outcomes into output items (same order as the input, each paired to its input item) with an
 * audit record. Without continue-on-fail, the first failed item stops the node with its error.
 */
export function finish(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	outcomes: ItemOutcome[],
	operation: string,
	/** The Klaviyo credential's pseudonym salt (`piiSalt`). */
	salt: string,
): INodeExecutionData[] {
	const continueOnFail = ctx.continueOnFail();
	if (!continueOnFail) {
		const failed = outcomes.find((o): o is Extract<ItemOutcome, { kind: 'failed' }> => o?.kind === 'failed');
		if (failed) throw failed.error;
	}
	return items.flatMap((item, i): INodeExecutionData[] => {
		const outcome: ItemOutcome = outcomes[i] ?? {
			kind: 'failed',
			error: new NodeOperationError(ctx.getNode(), 'The item was not processed', { itemIndex: i, description: 'An earlier item failed and stopped the run' }),
		};
		const json = item.json ?? {};
		const ids = identifiersOf(json, {});
		const p = new Pseudonymizer(salt);
		p.registerPeople(json);
		const detail =
			outcome.kind === 'skipped' ? outcome.reason : outcome.kind === 'failed' ? `${outcome.error.message}${outcome.error.description ? ` — ${outcome.error.description}` : ''}` : undefined;
		const audit = createAuditRecord(ctx, {
			decision: `klaviyo.${operation}`,
			decidedBy: { kind: 'rule', id: 'klaviyo-node', version: NODE_VERSION },
			input: json,
			bookingId: bookingIdOf(json),
			customerEmail: ids.email,
			salt,
			sent: outcome.request ? { vendor: 'Klaviyo', operation, request: auditRequest(outcome.request) } : undefined,
			result: RESULT[outcome.kind],
			detail,
			shadow: outcome.kind === 'shadow',
		}) as unknown as IDataObject;

		let out: IDataObject;
		switch (outcome.kind) {
			case 'sent':
				// Get Many: one output item per record found, each paired to the item that asked.
				if (outcome.many) return outcome.many.map((record) => ({ json: { ...record, audit }, pairedItem: { item: i } }));
				out = { ...outcome.json, audit };
				break;
			case 'shadow':
				out = { shadow: true, ...(outcome.json ?? {}), request: shownRequest(outcome.request, p, false), audit };
				break;
			case 'skipped':
				out = { skipped: true, reason: outcome.reason, audit };
				break;
			case 'failed': {
				const error = outcome.error;
				// The pack's error fields, redacted: this item goes to error workflows and notifications.
				out = {
					...errorFields(error, (text) => p.redactText(text)),
					request: outcome.request ? shownRequest(outcome.request, p, true) : null,
					audit,
				};
				break;
			}
		}
		return [{ json: out, pairedItem: { item: i } }];
	});
}

/**
 * Runs `task` for each index with at most `limit` in flight. The shared token bucket, not this
 * loop, sets the pace. With `stopOnFailure`, no new task starts once one has failed (the node is
 * about to stop anyway).
 */
export async function runPool(
	indexes: number[],
	limit: number,
	task: (index: number) => Promise<ItemOutcome>,
	outcomes: ItemOutcome[],
	stopOnFailure: boolean,
): Promise<void> {
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < indexes.length) {
			const index = indexes[next++];
			const outcome = await task(index);
			outcomes[index] = outcome;
			if (outcome.kind === 'failed' && stopOnFailure) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, indexes.length)) }, worker));
}

/** Splits into chunks of at most `maxCount` entries and `maxBytes` of serialized JSON. */
export function chunk<T>(entries: T[], maxCount: number, maxBytes: number, size: (entry: T) => number): T[][] {
	const chunks: T[][] = [];
	let current: T[] = [];
	let bytes = 0;
	for (const entry of entries) {
		const s = size(entry);
		if (current.length && (current.length >= maxCount || bytes + s > maxBytes)) {
			chunks.push(current);
			current = [];
			bytes = 0;
		}
		current.push(entry);
		bytes += s;
	}
	if (current.length) chunks.push(current);
	return chunks;
}
