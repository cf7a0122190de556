import type { INodeProperties } from 'n8n-workflow';

import * as attribute from './attribute.operation';

export { attribute };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['booking'] } },
		options: [
			{
				name: 'Attribute',
				value: 'attribute',
				description: 'Split a booking\'s value over its touchpoints, to the cent',
				action: 'Attribute a booking to its touchpoints',
			},
		],
		default: 'attribute',
	},
	...attribute.description,
];
