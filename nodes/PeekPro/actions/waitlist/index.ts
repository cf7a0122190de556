import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ASSUMED_ENDPOINTS, assumedBaseUrl, listWaitlist } from '../../shared/assumptions';
import { listFrom, seg } from '../../shared/transport';
import { requiredString, show, toItems, writeOrShadow, type Operation } from '../common';

/** Waitlist operations call endpoints Peek has not published: see shared/assumptions.ts. */
export const getMany = {
	description: [
		{
			displayName: 'Product ID',
			name: 'productId',
			type: 'string',
			default: '',
			displayOptions: show('waitlist', 'getMany'),
		},
		{
			displayName: 'Date',
			name: 'date',
			type: 'dateTime',
			default: '',
			displayOptions: show('waitlist', 'getMany'),
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const qs: IDataObject = {
			productId: this.getNodeParameter('productId', i, '') as string,
			date: String(this.getNodeParameter('date', i, '') ?? '').slice(0, 10),
		};
		const { items } = listFrom(await listWaitlist.call(this, qs, i), ['entries', 'waitlist']);
		return toItems(items.map((e) => ({ ...e, assumedEndpoint: true })), i);
	},
};

export const remove: Operation = {
	writes: true,
	description: [
		{
			displayName: 'Entry ID',
			name: 'entryId',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show('waitlist', 'remove'),
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'entryId', 'Entry ID', i);
		// A DELETE: through writeOrShadow like every write, so shadow mode outputs it instead of sending.
		const baseUrl = await assumedBaseUrl.call(this);
		const path = ASSUMED_ENDPOINTS.removeWaitlistEntry.path.replace('{entryId}', seg(id));
		const result = await writeOrShadow.call(this, { method: ASSUMED_ENDPOINTS.removeWaitlistEntry.method, path, baseUrl }, i);
		return toItems(result.shadow ? { shadow: true, entryId: id, assumedEndpoint: true, request: result.request } : { entryId: id, deleted: true, assumedEndpoint: true }, i);
	},
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['waitlist'] } },
		options: [
			{ name: 'Get Many', value: 'getMany', action: 'Get waitlist entries' },
			{ name: 'Remove', value: 'remove', action: 'Remove a waitlist entry' },
		],
		default: 'getMany',
	},
	...getMany.description,
	...remove.description,
];
