import type { INodeProperties } from 'n8n-workflow';

import * as cartAbandonment from './cartAbandonment.operation';
import * as customerValue from './customerValue.operation';
import * as nextBestActivity from './nextBestActivity.operation';
import * as noShow from './noShow.operation';
import * as segment from './segment.operation';

export { cartAbandonment, customerValue, nextBestActivity, noShow, segment };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['score'] } },
		options: [
			{ name: 'Predict No-Show', value: 'noShow', description: 'Probability that a booking no-shows or cancels late', action: 'Predict the risk that a guest does not show up' },
			{ name: 'Recommend Next Activity', value: 'nextBestActivity', description: 'Top related add-ons or tours with a reason each', action: 'Recommend a next activity' },
			{ name: 'Score Cart Abandonment', value: 'cartAbandonment', description: 'Probability to convert and the recommended recovery', action: 'Score cart abandonment' },
			{ name: 'Score Customer Value', value: 'customerValue', description: 'Rebook likelihood, churn risk and predicted value', action: 'Score customer value' },
			{ name: 'Segment Customers', value: 'segment', description: 'Named, stable segments across all input customers', action: 'Segment customers' },
		],
		default: 'noShow',
	},
	...noShow.description,
	...cartAbandonment.description,
	...customerValue.description,
	...nextBestActivity.description,
	...segment.description,
];
