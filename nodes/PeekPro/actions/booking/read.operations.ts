import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peekRequest, seg } from '../../shared/transport';
import { asBookingOutput, getList, outputParam, requiredString, returnAllAndLimit, show, toItems } from '../common';
import { bookingId } from './fields';

export const get = {
	description: [bookingId(['get']), outputParam('booking', 'get')] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
		const res = await peekRequest.call(this, { method: 'GET', path: `/bookings/${seg(id)}`, itemIndex: i });
		return toItems(asBookingOutput.call(this, res.body, i), i);
	},
};

export const getMany = {
	description: [
		{
			displayName: 'Search By',
			name: 'searchBy',
			type: 'options',
			options: [
				{ name: 'Activity Date', value: 'activityDate' },
				{ name: 'Purchase Date', value: 'purchaseDate' },
			],
			default: 'activityDate',
			displayOptions: show('booking', 'getMany'),
		},
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: show('booking', 'getMany'),
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: show('booking', 'getMany'),
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add filter',
			default: {},
			displayOptions: show('booking', 'getMany'),
			options: [
				{ displayName: 'Product ID', name: 'productId', type: 'string', default: '' },
				{ displayName: 'Guest Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			],
		},
		...returnAllAndLimit('booking', 'getMany'),
		outputParam('booking', 'getMany'),
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const qs: IDataObject = {
			start: requiredString.call(this, 'start', 'Start', i),
			end: requiredString.call(this, 'end', 'End', i),
			searchBy: this.getNodeParameter('searchBy', i, 'activityDate') as string,
			productId: filters.productId,
			email: filters.email,
		};
		const list = await getList.call(this, { method: 'GET', path: '/bookings', qs }, i, ['bookings']);
		return toItems(list.map((b) => asBookingOutput.call(this, b, i)), i);
	},
};

export const getForTimeslot = {
	description: [
		{
			displayName: 'Timeslot ID',
			name: 'timeslotId',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show('booking', 'getForTimeslot'),
		},
		...returnAllAndLimit('booking', 'getForTimeslot'),
		outputParam('booking', 'getForTimeslot'),
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const timeslotId = requiredString.call(this, 'timeslotId', 'Timeslot ID', i);
		const list = await getList.call(this, { method: 'GET', path: '/bookings', qs: { timeslotId } }, i, ['bookings']);
		return toItems(list.map((b) => asBookingOutput.call(this, b, i)), i);
	},
};

export const getGuests = {
	description: [bookingId(['getGuests'])] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
		const res = await peekRequest.call(this, { method: 'GET', path: `/bookings/${seg(id)}/guests`, itemIndex: i });
		const body = res.body as IDataObject | IDataObject[];
		const guests = Array.isArray(body) ? body : ((body?.guests ?? body?.data ?? []) as IDataObject[]);
		return toItems(guests.map((g) => ({ ...g, bookingId: id })), i);
	},
};
