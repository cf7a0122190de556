import type { INodeProperties } from 'n8n-workflow';

import * as checkConflicts from './checkConflicts.operation';
import * as suggestAlternatives from './suggestAlternatives.operation';
import * as sync from './sync.operation';

export { checkConflicts, suggestAlternatives, sync };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['booking'] } },
		options: [
			{ name: 'Check Conflicts', value: 'checkConflicts', description: 'Find events that clash with a booking in its guides\' calendars', action: 'Check a booking for calendar conflicts' },
			{ name: 'Suggest Alternatives', value: 'suggestAlternatives', description: 'Free guides and free time windows for a booking', action: 'Suggest alternatives for a booking' },
			{ name: 'Sync to Event', value: 'sync', description: 'Create, update or cancel the guide\'s event for a booking', action: 'Sync a booking to a calendar event' },
		],
		default: 'sync',
	},
	...sync.description,
	...checkConflicts.description,
];
