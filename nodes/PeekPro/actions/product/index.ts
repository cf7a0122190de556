import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a product' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many products' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
