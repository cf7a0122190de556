import type { INodeProperties } from 'n8n-workflow';

import * as markov from './markov.operation';
import * as shapley from './shapley.operation';

export { markov, shapley };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['journeys'] } },
		options: [
			{
				name: 'Markov Chain',
				value: 'markov',
				description: 'Removal effect of each channel over a path data set, converting and non-converting journeys',
				action: 'Attribute journeys with a markov chain',
			},
			{
				name: 'Shapley Value',
				value: 'shapley',
				description: 'Each channel\'s fair share of conversions over a path data set',
				action: 'Attribute journeys with shapley values',
			},
		],
		default: 'markov',
	},
	...markov.description,
	...shapley.description,
];
