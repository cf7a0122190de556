import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { failureItems, graphCodeOf, writesNothing, type Failure } from '../../helpers/output';
import { graphRequest, mailboxPath, type GraphRequest } from '../../transport';

const show = (operation: string[]) => ({ show: { resource: ['event'], operation } });

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: 'Delete an event', action: 'Delete an event' },
			{ name: 'Get', value: 'get', description: 'Get an event by ID', action: 'Get an event' },
			{ name: 'Get Many', value: 'getMany', description: 'Get the events of a mailbox in a time range', action: 'Get many events' },
		],
		default: 'get',
	},
	{ displayName: 'Mailbox', name: 'mailbox', type: 'string', required: true, default: '', placeholder: 'e.g. {{ $json.mailbox }}', description: 'User principal name or email of the calendar\'s owner', displayOptions: show(['get', 'getMany', 'delete']) },
	{ displayName: 'Event ID', name: 'eventId', type: 'string', required: true, default: '', placeholder: 'e.g. {{ $json.eventId }}', displayOptions: show(['get', 'delete']) },
	{ displayName: 'From', name: 'from', type: 'dateTime', required: true, default: '', placeholder: 'e.g. {{ $now.toISO() }}', displayOptions: show(['getMany']) },
	{ displayName: 'To', name: 'to', type: 'dateTime', required: true, default: '', placeholder: 'e.g. {{ $now.plus({ days: 7 }).toISO() }}', displayOptions: show(['getMany']) },
	{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, description: 'Whether to return all results or only up to a given limit', displayOptions: show(['getMany']) },
	{ displayName: 'Limit', name: 'limit', type: 'number', typeOptions: { minValue: 1 }, default: 50, description: 'Max number of results to return', displayOptions: { show: { resource: ['event'], operation: ['getMany'], returnAll: [false] } } },
];

type One = (ctx: IExecuteFunctions, i: number, json: IDataObject) => Promise<IDataObject[]>;

const get: One = async (ctx, i) => {
	const mailbox = ctx.getNodeParameter('mailbox', i) as string;
	const id = ctx.getNodeParameter('eventId', i) as string;
	const res = await graphRequest.call<IExecuteFunctions, [GraphRequest], Promise<{ body: IDataObject }>>(ctx, { method: 'GET', path: `${mailboxPath(mailbox)}/events/${encodeURIComponent(id)}`, itemIndex: i });
	return [res.body];
};

const getMany: One = async (ctx, i) => {
	const mailbox = ctx.getNodeParameter('mailbox', i) as string;
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', i, 50) as number);
	const qs: IDataObject = { startDateTime: ctx.getNodeParameter('from', i) as string, endDateTime: ctx.getNodeParameter('to', i) as string, $top: Math.min(100, limit) };
	const events: IDataObject[] = [];
	let path: string | undefined = `${mailboxPath(mailbox)}/calendarView`;
	while (path && events.length < limit) {
		const res: { body: IDataObject } = await graphRequest.call<IExecuteFunctions, [GraphRequest], Promise<{ body: IDataObject }>>(ctx, { method: 'GET', path, qs: path.startsWith('http') ? undefined : qs, itemIndex: i });
		events.push(...(((res.body.value as IDataObject[] | undefined) ?? []) as IDataObject[]));
		path = typeof res.body['@odata.nextLink'] === 'string' ? (res.body['@odata.nextLink'] as string) : undefined;
	}
	return events.slice(0, limit);
};

const remove: One = async (ctx, i, json) => {
	const mailbox = ctx.getNodeParameter('mailbox', i) as string;
	const id = ctx.getNodeParameter('eventId', i) as string;
	const path = `${mailboxPath(mailbox)}/events/${encodeURIComponent(id)}`;
	if (writesNothing(ctx, json)) return [{ eventId: id, deleted: false, shadow: true, request: { method: 'DELETE', url: path, body: null } }];
	await graphRequest.call(ctx, { method: 'DELETE', path, itemIndex: i });
	return [{ eventId: id, deleted: true }];
};

const operations: Record<string, One> = { get, getMany, delete: remove };

/** Plain event operations for custom flows, one Graph call (or page run) per item. */
export async function executeOperation(this: IExecuteFunctions, items: INodeExecutionData[], operation: string): Promise<INodeExecutionData[][]> {
	const out: INodeExecutionData[] = [];
	const failures: Failure[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			for (const json of await operations[operation](this, i, items[i].json)) out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			const code = graphCodeOf(error);
			failures.push({ itemIndex: i, graphCode: code, message: `${(error as Error).message}${code ? ` [${code}]` : ''}`, description: (error as { description?: string }).description });
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
