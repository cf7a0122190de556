import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getChanged from './getChanged.operation';
import * as getHistory from './getHistory.operation';
import { get, getForTimeslot, getGuests, getMany } from './read.operations';
import { addNote, checkIn } from './write.operations';
import * as writeBack from './writeBack.operation';

export { addNote, checkIn, create, get, getChanged, getForTimeslot, getGuests, getHistory, getMany, writeBack };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['booking'] } },
		options: [
			{ name: 'Add Note', value: 'addNote', action: 'Append or overwrite a booking note' },
			{ name: 'Check In', value: 'checkIn', action: 'Check a booking in or out' },
			{ name: 'Create (via Your Proxy)', value: 'create', action: 'Create a booking through your proxy', description: 'Peek publishes no booking-creation endpoint: needs a proxy URL in the credential' },
			{ name: 'Get', value: 'get', action: 'Get a booking' },
			{ name: 'Get Changed Since', value: 'getChanged', action: 'Get bookings changed since a time', description: 'For reconciliation: bookings purchased since a time, plus those with an activity around now, each with a revision' },
			{ name: 'Get Customer History', value: 'getHistory', action: 'Get the booking history of a guest' },
			{ name: 'Get for Timeslot', value: 'getForTimeslot', action: 'Get bookings for a timeslot' },
			{ name: 'Get Guests', value: 'getGuests', action: 'Get the guests of a booking' },
			{ name: 'Get Many', value: 'getMany', action: 'Get bookings in a date range' },
			{ name: 'Write Back Structured Data', value: 'writeBack', action: 'Write structured data into the booking note' },
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
	...getChanged.description,
	...getForTimeslot.description,
	...getGuests.description,
	...addNote.description,
	...checkIn.description,
	...writeBack.description,
	...getHistory.description,
	...create.description,
];
