import type { INodeProperties } from 'n8n-workflow';

import * as normalize from './normalize.operation';

export { normalize };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['touchpoint'] } },
		options: [
			{
				name: 'Normalize',
				value: 'normalize',
				description: 'Clean UTM, click ID and referrer data and classify each touch into a GA4 channel',
				action: 'Normalize touchpoints into GA4 channels',
			},
		],
		default: 'normalize',
	},
	...normalize.description,
];
