import type { INodeProperties } from 'n8n-workflow';

import { shadowModeProperty } from '../../shared/governance';
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

export const properties: INodeProperties[] = [
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
			{ name: 'Waitlist (Assumed Endpoint)', value: 'waitlist' },
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
];
