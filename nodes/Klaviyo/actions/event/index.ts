import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as createMany from './createMany.operation';

export { create, createMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Record one event per item (Create Event)',
				action: 'Create an event',
			},
			{
				name: 'Create Many',
				value: 'createMany',
				description: "Record all items' events through Klaviyo's bulk endpoint, 1,000 per job",
				action: 'Create many events',
			},
		],
		default: 'create',
	},
	...create.description,
	...createMany.description,
];
