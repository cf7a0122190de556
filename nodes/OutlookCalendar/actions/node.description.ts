import type { INodeProperties } from 'n8n-workflow';

import * as availability from './availability';
import * as booking from './booking';
import * as event from './event';
import { mailboxProperties } from './mailbox.description';

/** The deciding choices first (authentication, rollout phase), then resource and operation. Names are stable: templates use them. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'App-Only (Service Account)', value: 'appOnly', description: 'Client credentials: one app manages many guides\' calendars' },
			{ name: 'Delegated (OAuth2)', value: 'oAuth2', description: 'A signed-in user\'s own and shared calendars' },
		],
		default: 'appOnly',
	},
	{
		displayName: 'Rollout Phase',
		name: 'rolloutPhase',
		type: 'options',
		options: [
			{ name: 'Read-Only', value: 'readOnly', description: 'Decide and output what would be written; write nothing' },
			{ name: 'One-Way', value: 'oneWay', description: 'Peek Pro → Outlook: create, update and cancel events' },
			{ name: 'Two-Way', value: 'twoWay', description: 'One-way, and also report Outlook-side changes (declined or tentative responses, moved events) without undoing them' },
		],
		default: 'readOnly',
		description: 'How far the node may act. Start read-only, compare its output with the calendars, then move on.',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Availability', value: 'availability' },
			{ name: 'Booking', value: 'booking' },
			{ name: 'Event', value: 'event' },
		],
		default: 'booking',
	},
	...booking.description,
	...availability.description,
	...event.description,
	...mailboxProperties,
];
