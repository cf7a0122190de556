import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peekRequest, seg } from '../../shared/transport';
import { getList, requiredString, returnAllAndLimit, show, toItems, writeOrShadow } from '../common';

const timeslotId = (operation: string[]): INodeProperties => ({
	displayName: 'Timeslot ID',
	name: 'timeslotId',
	type: 'string',
	required: true,
	default: '',
	displayOptions: show('timeslot', operation),
});

function dateOnly(value: string): string {
	// Peek's timeslot list takes a calendar date; n8n date pickers give a date-time.
	const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
	return m ? m[1] : value;
}

export const getMany = {
	description: [
		{
			displayName: 'Product ID',
			name: 'productId',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show('timeslot', 'getMany'),
		},
		{
			displayName: 'Date',
			name: 'date',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: show('timeslot', 'getMany'),
			description: 'Day whose timeslots to return (operator\'s local date)',
		},
		{
			displayName: 'Bookings Filter',
			name: 'filterBookings',
			type: 'options',
			options: [
				{ name: 'All Timeslots', value: 'all' },
				{ name: 'With Bookings', value: 'withBookings' },
				{ name: 'Without Bookings', value: 'withoutBookings' },
			],
			default: 'all',
			displayOptions: show('timeslot', 'getMany'),
		},
		...returnAllAndLimit('timeslot', 'getMany'),
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const qs: IDataObject = {
			date: dateOnly(requiredString.call(this, 'date', 'Date', i)),
			productId: requiredString.call(this, 'productId', 'Product ID', i),
			filterBookings: this.getNodeParameter('filterBookings', i, 'all') as string,
		};
		return toItems(await getList.call(this, { method: 'GET', path: '/timeslots', qs }, i, ['timeslots']), i);
	},
};

export const get = {
	description: [timeslotId(['get'])],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'timeslotId', 'Timeslot ID', i);
		const res = await peekRequest.call(this, { method: 'GET', path: `/timeslots/${seg(id)}`, itemIndex: i });
		return toItems(res.body, i);
	},
};

export const setStatus = {
	writes: true as const,
	description: [
		timeslotId(['setStatus']),
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Bookable', value: 'BOOKABLE' },
				{ name: 'Blocked', value: 'BLOCKED' },
				{ name: 'Call to Book', value: 'CALL_TO_BOOK' },
			],
			default: 'BOOKABLE',
			displayOptions: show('timeslot', 'setStatus'),
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'timeslotId', 'Timeslot ID', i);
		const status = this.getNodeParameter('status', i) as string;
		const result = await writeOrShadow.call(this, { method: 'POST', path: `/timeslots/${seg(id)}`, body: { status }, idempotent: true }, i);
		return toItems(result.shadow ? { shadow: true, request: result.request } : (result.body ?? { timeslotId: id, status }), i);
	},
};

export const setNotes = {
	writes: true as const,
	description: [
		timeslotId(['setNotes']),
		{
			displayName: 'Notes',
			name: 'notes',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			displayOptions: show('timeslot', 'setNotes'),
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'timeslotId', 'Timeslot ID', i);
		const notes = requiredString.call(this, 'notes', 'Notes', i);
		const result = await writeOrShadow.call(this, { method: 'POST', path: `/timeslots/${seg(id)}`, body: { notes }, idempotent: true }, i);
		return toItems(result.shadow ? { shadow: true, request: result.request } : (result.body ?? { timeslotId: id, notes }), i);
	},
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['timeslot'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a timeslot' },
			{ name: 'Get Many', value: 'getMany', action: 'Get timeslots for a date and product' },
			{ name: 'Set Notes', value: 'setNotes', action: 'Set notes on a timeslot' },
			{ name: 'Set Status', value: 'setStatus', action: 'Set the availability status of a timeslot' },
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...setStatus.description,
	...setNotes.description,
];
