import type { INodeProperties } from 'n8n-workflow';

import * as availability from './availability';
import * as booking from './booking';
import * as event from './event';
import { optionsLast, withItemNotices, type ItemNotices } from '../../shared/panel';
import { mailboxProperties } from './mailbox.description';

/** What the plain event operations need from the incoming item (the booking and availability operations carry their own notices). */
const NEEDS: ItemNotices = {
	event: {
		delete: 'The item must give the mailbox and the event ID, e.g. Mailbox {{ $json.mailbox }} and Event ID {{ $json.eventId }} (Sync to Event output)',
		get: 'The item must give the mailbox and the event ID, e.g. Mailbox {{ $json.mailbox }} and Event ID {{ $json.eventId }} (Sync to Event output)',
		getMany: 'The item must give the mailbox, e.g. {{ $json.mailbox }}; From and To bound the calendar view, e.g. {{ $now.toISO() }}',
	},
};

/**
 * The deciding choices first (authentication, rollout phase), then resource and operation; the mailbox
 * settings shared by every operation come before Options, which n8n puts last. Names are stable:
 * templates use them.
 */
export const properties: INodeProperties[] = optionsLast(withItemNotices([
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
], NEEDS));
