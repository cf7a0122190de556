import type { INodeProperties } from 'n8n-workflow';

import { shadowModeProperty } from '../../shared/governance';
import { optionsLast, withItemNotices, type ItemNotices } from '../../shared/panel';
import * as account from './account';
import * as booking from './booking';
import * as dailyNote from './dailyNote';
import * as product from './product';
import * as timeslot from './timeslot';
import * as user from './user';
import * as waitlist from './waitlist';

const RESOURCES: Record<string, object> = { account, booking, dailyNote, product, timeslot, user, waitlist };

/**
 * Operations that write to Peek, read from the operations themselves (each write declares
 * `writes: true`), not from a hand list: they get the pack's shadow-mode switch.
 */
export const WRITE_OPERATIONS: Record<string, string[]> = Object.fromEntries(
	Object.entries(RESOURCES)
		.map(([resource, ops]) => [resource, Object.entries(ops).filter(([, op]) => (op as { writes?: unknown } | undefined)?.writes === true).map(([name]) => name)] as const)
		.filter(([, ops]) => ops.length > 0),
);

/** What each operation needs from the incoming item (shown under the Operation selector). */
const NEEDS: ItemNotices = {
	account: { getCurrent: 'Needs nothing from the incoming item: returns the account of the credential, once per item' },
	booking: {
		addNote: 'The item must give a booking ID and the note text, e.g. Booking ID {{ $json.id }} (Peek Pro Trigger output)',
		checkIn: 'The item must give a booking ID, e.g. {{ $json.id }} (Peek Pro Trigger output) or {{ $json.bookingId }}',
		create: 'Calls your proxy, not Peek (set its URL in the credential). The item must give product, timeslot, customer name and email or phone, e.g. Email {{ $json.customer.email }}',
		get: 'The item must give a booking ID, e.g. {{ $json.id }} (Peek Pro Trigger output) or {{ $json.bookingId }}',
		getChanged: 'Runs once per item. Map Changed Since from the item, e.g. {{ $json.since }}, to read only what changed since the last run',
		getForTimeslot: 'The item must give a timeslot ID, e.g. {{ $json.timeslotId }} (Peek Pro Trigger output)',
		getGuests: 'The item must give a booking ID, e.g. {{ $json.id }} (Peek Pro Trigger output) or {{ $json.bookingId }}',
		getHistory: 'The item must give the guest\'s email, e.g. {{ $json.customer.email }} (Peek Pro Trigger output)',
		getMany: 'Runs once per item. Map Start and End from the item to search per item, e.g. {{ $json.startsAt }}',
		writeBack: 'The item must give a booking ID and the values to keep, e.g. ai.score = {{ $json.ai_no_show_probability }}',
	},
	dailyNote: {
		get: 'Needs nothing from the incoming item: returns today\'s daily note, once per item',
		set: 'The item can give the note text, e.g. Note {{ $json.summary }}; it replaces the whole daily note for today',
	},
	product: {
		get: 'The item must give a product ID, e.g. {{ $json.activity.id }} (Peek Pro Trigger output)',
		getMany: 'Needs nothing from the incoming item: returns your products, once per item',
	},
	timeslot: {
		get: 'The item must give a timeslot ID, e.g. {{ $json.timeslotId }} (Peek Pro Trigger output)',
		getMany: 'The item must give a product ID and a date, e.g. {{ $json.activity.id }} and {{ $json.startsAt }}',
		setNotes: 'The item must give a timeslot ID and the notes, e.g. Timeslot ID {{ $json.timeslotId }}',
		setStatus: 'The item must give a timeslot ID, e.g. {{ $json.timeslotId }} (Peek Pro Trigger output)',
	},
	user: {
		get: 'The item must give a user ID, e.g. {{ $json.guides[0].id }} (Peek Pro Trigger output)',
		getMany: 'Needs nothing from the incoming item: returns the users of your account, once per item',
	},
	waitlist: {
		getMany: 'Calls your proxy, not Peek (set its URL in the credential). The item can give a product ID and a date, e.g. {{ $json.activity.id }} and {{ $json.startsAt }}',
		remove: 'Calls your proxy, not Peek (set its URL in the credential). The item must give a waitlist entry ID, e.g. {{ $json.entryId }}',
	},
};

export const properties: INodeProperties[] = optionsLast(withItemNotices([
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Booking', value: 'booking' },
			{ name: 'Daily Note', value: 'dailyNote' },
			{ name: 'Product', value: 'product' },
			{ name: 'Timeslot', value: 'timeslot' },
			{ name: 'User', value: 'user' },
			{ name: 'Waitlist (via Your Proxy)', value: 'waitlist', description: 'Peek publishes no waitlist endpoint: needs a proxy URL in the credential' },
		],
		default: 'booking',
	},
	...account.description,
	...booking.description,
	...dailyNote.description,
	...product.description,
	...timeslot.description,
	...user.description,
	...waitlist.description,
	...Object.entries(WRITE_OPERATIONS).map(([resource, operation]) => ({
		...shadowModeProperty,
		displayOptions: { show: { resource: [resource], operation } },
	})),
], NEEDS));
