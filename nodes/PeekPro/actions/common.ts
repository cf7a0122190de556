import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemIsShadow } from '../../shared/governance';
import { VERSION_1, VERSION_1_1_ON } from '../../shared/panel';
import { normalizePeekRecord } from '../shared/normalize';
import { listFrom, peekBaseUrl, peekRequest, type PeekCall } from '../shared/transport';

export type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

export interface Operation {
	description: INodeProperties[];
	execute: OperationExecute;
	/** Declared on every operation that changes anything in Peek: it gets the Shadow Mode switch. */
	writes?: true;
}

/**
 * Shadow mode is decided by HTTP method, here and only here: GET reads, every other method writes.
 * `writeOrShadow` is the way every operation sends, and the router additionally runs shadow items
 * with a context that refuses any non-GET request, so an operation that forgot to declare `writes`
 * still cannot send in shadow mode.
 */
export function isWriteMethod(method: string): boolean {
	return method.toUpperCase() !== 'GET';
}

export function isShadowItem(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return (ctx.getNodeParameter('shadowMode', itemIndex, false) as boolean) || itemIsShadow(ctx.getInputData()[itemIndex]?.json);
}

/**
 * The execution context for a shadow item: identical, except that its HTTP helpers refuse every
 * non-GET request. Reads still run, so a shadow item shows real data and the exact request.
 */
export function readOnlyContext(ctx: IExecuteFunctions): IExecuteFunctions {
	const refuse = (method: unknown) => {
		throw new NodeOperationError(ctx.getNode(), `Shadow mode: a ${String(method)} request to Peek was refused`, {
			description: 'In shadow mode the Peek Pro node sends nothing that writes. Report this: the operation should output the request instead.',
		});
	};
	// n8n's request helpers read the execution context from `this` (the transport calls them with
	// `.call(ctx, …)`), so the guard calls them on the real context (not this proxy, which class
	// internals may not accept): bound to the helpers object, every GET in shadow mode failed inside
	// the real n8n with "this.getNode is not a function".
	const guard = (send: (...args: unknown[]) => unknown, optionsAt: number) =>
		function (...args: unknown[]) {
			const method = (args[optionsAt] as { method?: string } | undefined)?.method ?? 'GET';
			if (isWriteMethod(method)) refuse(method);
			return send.apply(ctx, args);
		};
	const helpers = new Proxy(ctx.helpers, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target) as unknown;
			if (typeof value !== 'function') return value;
			if (prop === 'httpRequestWithAuthentication' || prop === 'requestWithAuthentication') return guard(value as (...a: unknown[]) => unknown, 1);
			if (prop === 'httpRequest' || prop === 'request') return guard(value as (...a: unknown[]) => unknown, 0);
			return value.bind(target);
		},
	});
	return new Proxy(ctx, {
		get(target, prop) {
			if (prop === 'helpers') return helpers;
			const value = Reflect.get(target, prop, target) as unknown;
			return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
		},
	});
}

export function show(resource: string, operation: string | string[]) {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

/** Peek Pro 1.1 renamed the operation value getAll to n8n's getMany; version 1 keeps its own list. */

/**
 * The Operation selector of a resource that had a getAll: version 1 lists getAll (so saved workflows
 * stay valid in the editor), 1.1 and later list getMany. Same options, same order, same default.
 */
export function operationBy(resource: string, options: Array<{ name: string; value: string; action: string }>): INodeProperties[] {
	const base = { displayName: 'Operation', name: 'operation', type: 'options' as const, noDataExpression: true };
	const legacy = options.map((o) => (o.value === 'getMany' ? { ...o, value: 'getAll' } : o));
	return [
		{ ...base, displayOptions: { show: { resource: [resource], ...VERSION_1 } }, options: legacy, default: 'getAll' },
		{ ...base, displayOptions: { show: { resource: [resource], ...VERSION_1_1_ON } }, options, default: 'getMany' },
	];
}

export function toItems(data: unknown, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(data) ? data : [data ?? {}];
	return list.map((json) => ({
		json: (json && typeof json === 'object' ? json : { value: json }) as IDataObject,
		pairedItem: { item: itemIndex },
	}));
}

export function requiredString(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `${label} is empty [item ${itemIndex}]`, {
			description: `Set the "${label}" field (parameter ${name}).`,
			itemIndex,
		});
	}
	return value;
}

export function returnAllAndLimit(resource: string, operation: string | string[]): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			displayOptions: show(resource, operation),
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			displayOptions: { show: { ...show(resource, operation).show, returnAll: [false] } },
			description: 'Max number of results to return',
		},
	];
}

export function outputParam(resource: string, operation: string | string[]): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Canonical Booking', value: 'canonical', description: 'The pack\'s booking shape, with Peek\'s object in "raw"' },
			{ name: 'Raw Peek Object', value: 'raw', description: 'Exactly what Peek returned' },
		],
		default: 'canonical',
		displayOptions: show(resource, operation),
	};
}

const MAX_PAGES = 50;

/**
 * Reads a list endpoint. Peek's lists are unpaged today; when a body names a next cursor or URL
 * it is followed (up to 50 pages) so a future paged API does not silently truncate results.
 */
export async function getList(this: IExecuteFunctions, call: PeekCall, itemIndex: number, keys: string[] = []): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const out: IDataObject[] = [];
	let next: PeekCall | undefined = { ...call, itemIndex };
	for (let page = 0; next && page < MAX_PAGES && out.length < limit; page++) {
		const res = await peekRequest.call(this, next);
		const { items, next: cursor } = listFrom(res.body, keys);
		out.push(...items);
		if (!cursor) break;
		if (/^https?:\/\//i.test(cursor)) {
			const base = await peekBaseUrl.call(this);
			// Never follow a next link off the configured host (it would carry the API key).
			if (new URL(cursor).host !== new URL(base).host) break;
			next = { method: 'GET', path: cursor, itemIndex };
		} else {
			next = { ...call, itemIndex, qs: { ...(call.qs ?? {}), cursor } };
		}
	}
	return Number.isFinite(limit) ? out.slice(0, limit) : out;
}

export function asBookingOutput(this: IExecuteFunctions, record: unknown, itemIndex: number): IDataObject {
	const output = this.getNodeParameter('output', itemIndex, 'canonical') as string;
	if (output === 'raw') return (record ?? {}) as IDataObject;
	const booking = normalizePeekRecord(record);
	if (!booking) return { raw: record as IDataObject, normalized: false };
	return { ...booking, raw: record as IDataObject } as IDataObject;
}

/** Shadow mode: the exact request that would have been sent, instead of sending it. */
export async function writeOrShadow(this: IExecuteFunctions, call: PeekCall, itemIndex: number): Promise<{ shadow: boolean; body: unknown; request: IDataObject }> {
	const base = call.baseUrl ?? (await peekBaseUrl.call(this));
	const request: IDataObject = { method: call.method, url: `${base}${call.path}`, body: (call.body ?? null) as IDataObject };
	if (isWriteMethod(call.method) && isShadowItem(this, itemIndex)) return { shadow: true, body: undefined, request };
	const res = await peekRequest.call(this, { ...call, itemIndex });
	return { shadow: false, body: res.body, request };
}
