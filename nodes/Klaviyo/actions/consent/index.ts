import type { INodeProperties } from 'n8n-workflow';

import * as subscribe from './subscribe.operation';
import * as unsubscribe from './unsubscribe.operation';

export { subscribe, unsubscribe };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['consent'] } },
		options: [
			{ name: 'Subscribe', value: 'subscribe', description: 'Subscribe profiles to marketing, only from explicit consent in the item', action: 'Subscribe profiles to marketing' },
			{ name: 'Unsubscribe', value: 'unsubscribe', description: 'Unsubscribe profiles from marketing', action: 'Unsubscribe profiles from marketing' },
		],
		default: 'subscribe',
	},
	...subscribe.description,
	...unsubscribe.description,
];
