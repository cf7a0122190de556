import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError, type ItemOutcome } from '../../helpers/outcome';
import { baseUrlOf, describeRequest, klaviyoRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: 'e.g. equals(name,"VIP guests")',
		description: 'Klaviyo filter on name or ID (equals, any) or created/updated (greater-than)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['list'], operation: ['getMany'] } }, properties);

/** Page size is capped at 10 at this revision, so pages are followed through `links.next`. */
export async function fetchLists(this: IExecuteFunctions, baseUrl: string, opts: { filter?: string; max: number; itemIndex: number }): Promise<IDataObject[]> {
	const lists: IDataObject[] = [];
	let path = '/api/lists';
	let qs: IDataObject | undefined = { 'page[size]': 10, ...(opts.filter ? { filter: opts.filter } : {}) };
	while (lists.length < opts.max) {
		const res = await klaviyoRequest.call(this, { method: 'GET', path, qs, rateClass: 'lists', itemIndex: opts.itemIndex }, baseUrl);
		const body = (res.body ?? {}) as IDataObject;
		for (const list of (Array.isArray(body.data) ? body.data : []) as IDataObject[]) {
			lists.push({ id: list.id, ...((list.attributes as IDataObject) ?? {}) });
		}
		const next = (body.links as IDataObject | undefined)?.next;
		// Only follow links on the same host: the API key must never be sent elsewhere.
		if (typeof next !== 'string' || !next.startsWith(`${baseUrl}/`)) break;
		path = next;
		qs = undefined;
	}
	return lists.slice(0, opts.max);
}

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	for (let i = 0; i < items.length; i++) {
		const filter = (this.getNodeParameter('filter', i, '') as string).trim();
		const max = (this.getNodeParameter('returnAll', i, false) as boolean) ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', i, 50) as number);
		const request = describeRequest(baseUrl, { method: 'GET', path: '/api/lists', qs: { 'page[size]': 10, ...(filter ? { filter } : {}) } });
		try {
			const lists = await fetchLists.call(this, baseUrl, { filter, max, itemIndex: i });
			outcomes[i] = { kind: 'sent', request, json: {}, many: lists };
		} catch (error) {
			outcomes[i] = { kind: 'failed', error: asNodeError(this, error, i), request };
			if (!this.continueOnFail()) return outcomes;
		}
	}
	return outcomes;
}
