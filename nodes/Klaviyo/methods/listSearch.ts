import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { quoteFilterValue } from '../helpers/bodies';
import { baseUrlOf, klaviyoRequest } from '../transport';

/** Lists for the List parameter, one page (10) at a time; a search term matches a whole name. */
export async function searchLists(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const baseUrl = await baseUrlOf(this);
	const next = paginationToken && paginationToken.startsWith(`${baseUrl}/`) ? paginationToken : undefined;
	const res = await klaviyoRequest.call(
		this,
		next
			? { method: 'GET', path: next, rateClass: 'lists' }
			: { method: 'GET', path: '/api/lists', qs: { 'page[size]': 10, ...(filter ? { filter: `equals(name,${quoteFilterValue(filter)})` } : {}) }, rateClass: 'lists' },
		baseUrl,
	);
	const body = (res.body ?? {}) as IDataObject;
	const results = ((Array.isArray(body.data) ? body.data : []) as IDataObject[]).map((list) => ({
		name: String((list.attributes as IDataObject | undefined)?.name ?? list.id),
		value: String(list.id),
	}));
	const link = (body.links as IDataObject | undefined)?.next;
	return { results, paginationToken: typeof link === 'string' ? link : undefined };
}
