import type { INodeProperties } from 'n8n-workflow';

import * as read from './read.operation';

export { read };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['availability'] } },
		options: [{ name: 'Read', value: 'read', description: 'Busy and out-of-office blocks of guides, shaped for Peek Pro timeslot status', action: 'Read guide availability' }],
		default: 'read',
	},
	...read.description,
];
