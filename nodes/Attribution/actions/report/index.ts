import type { INodeProperties } from 'n8n-workflow';

import * as aggregate from './aggregate.operation';
import * as anomalies from './anomalies.operation';

export { aggregate, anomalies };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{
				name: 'Aggregate',
				value: 'aggregate',
				description: 'Credit, bookings, revenue, cost per booking and ROAS per channel or campaign',
				action: 'Aggregate attribution into a report',
			},
			{
				name: 'Find Anomalies',
				value: 'anomalies',
				description: 'Spend spikes without bookings and drops of high-ROAS campaigns, with the evidence',
				action: 'Find anomalies in daily spend and bookings',
			},
		],
		default: 'aggregate',
	},
	...aggregate.description,
	...anomalies.description,
];
