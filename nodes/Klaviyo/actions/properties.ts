import type { INodeProperties } from 'n8n-workflow';

import { optionsLast, withItemNotices, type ItemNotices } from '../../shared/panel';

import * as consent from './consent';
import * as event from './event';
import * as list from './list';
import * as profile from './profile';

/**
 * What each operation needs from the incoming item. Empty identifier fields are read from the item
 * (a canonical booking's customer, or flat email / phone keys): said here, not in a tooltip.
 */
const NEEDS: ItemNotices = {
	consent: {
		subscribe: 'The item must carry an email or phone and explicit consent, e.g. {{ $json.customer.emailMarketingConsent }} (Peek Pro Trigger output); items without consent are skipped',
		unsubscribe: 'The item must carry an email or phone, e.g. {{ $json.customer.email }}; empty fields are read from the item\'s customer',
	},
	event: {
		create: 'The item must carry an email, phone or external ID, e.g. {{ $json.customer.email }}; empty fields are read from the item\'s customer',
		createMany: 'Each item must carry an email, phone or external ID, e.g. {{ $json.customer.email }}; empty fields are read from the item\'s customer',
	},
	list: {
		addProfiles: 'The item must carry an email (or a Klaviyo profile ID), e.g. {{ $json.customer.email }}',
		getMany: 'Needs nothing from the incoming item: returns your Klaviyo lists, once per item',
		removeProfiles: 'The item must carry an email (or a Klaviyo profile ID), e.g. {{ $json.customer.email }}',
	},
	profile: {
		bulkImport: 'Each item must carry an email, phone or external ID, e.g. {{ $json.customer.email }}; empty fields are read from the item\'s customer',
		getByEmail: 'The item must give an email, e.g. {{ $json.customer.email }} (Peek Pro Trigger output)',
		upsert: 'The item must carry an email, phone or external ID, e.g. {{ $json.customer.email }}; empty fields are read from the item\'s customer',
	},
};

/** Resource selector and every operation's parameters. Names are stable: templates use them. */
export const properties: INodeProperties[] = optionsLast(withItemNotices([
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Consent', value: 'consent' },
			{ name: 'Event', value: 'event' },
			{ name: 'List', value: 'list' },
			{ name: 'Profile', value: 'profile' },
		],
		default: 'event',
	},
	...event.description,
	...profile.description,
	...list.description,
	...consent.description,
], NEEDS));
