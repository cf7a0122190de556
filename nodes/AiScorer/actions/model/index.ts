import type { INodeProperties } from 'n8n-workflow';

import * as train from './train.operation';

export { train };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [{ name: 'Train', value: 'train', description: 'Fit a model on historical items and report held-out quality', action: 'Train a model' }],
		default: 'train',
	},
	...train.description,
];
