import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { failureItems, graphCodeOf, type Failure } from '../../helpers/output';
import * as remove from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

const show = (operation: string[]) => ({
	show: { resource: ['event'], operation },
});

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an event',
				action: 'Delete an event',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an event by ID',
				action: 'Get an event',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the events of a mailbox in a time range',
				action: 'Get many events',
			},
		],
		default: 'get',
	},
	{
		displayName: 'Mailbox',
		name: 'mailbox',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.mailbox }}',
		description: "User principal name or email of the calendar's owner",
		displayOptions: show(['get', 'getMany', 'delete']),
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.eventId }}',
		displayOptions: show(['get', 'delete']),
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $now.toISO() }}',
		displayOptions: show(['getMany']),
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $now.plus({ days: 7 }).toISO() }}',
		displayOptions: show(['getMany']),
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show(['getMany']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: {
			show: { resource: ['event'], operation: ['getMany'], returnAll: [false] },
		},
	},
];

type One = (ctx: IExecuteFunctions, i: number, json: IDataObject) => Promise<IDataObject[]>;

const operations: Record<string, One> = {
	get: get.execute,
	getMany: getMany.execute,
	delete: remove.execute,
};

/** Plain event operations for custom flows, one Graph call (or page run) per item. */
export async function executeOperation(this: IExecuteFunctions, items: INodeExecutionData[], operation: string): Promise<INodeExecutionData[][]> {
	const out: INodeExecutionData[] = [];
	const failures: Failure[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			for (const json of await operations[operation](this, i, items[i].json)) out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			const code = graphCodeOf(error);
			failures.push({
				itemIndex: i,
				graphCode: code,
				message: `${(error as Error).message}${code ? ` [${code}]` : ''}`,
				description: (error as { description?: string }).description,
			});
		}
	}
	return [[...out, ...failureItems(this, items, failures, out.length)], []];
}

export const executeGet = async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await executeOperation.call(this, items, 'get');
};
export const executeGetMany = async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await executeOperation.call(this, items, 'getMany');
};
export const executeDelete = async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
	return await executeOperation.call(this, items, 'delete');
};
