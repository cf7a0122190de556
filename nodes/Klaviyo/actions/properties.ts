import type { INodeProperties } from 'n8n-workflow';

import * as consent from './consent';
import * as event from './event';
import * as list from './list';
import * as profile from './profile';

/** Resource selector and every operation's parameters. Names are stable: templates use them. */
export const properties: INodeProperties[] = [
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
];
