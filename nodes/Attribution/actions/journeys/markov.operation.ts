import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { markovAttribution } from '../../engine/markov';
import { allPaired } from '../common';
import { journeyNotice, pathFieldsProperty, problemsSummary, readPathSet } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Order',
		name: 'order',
		type: 'options',
		options: [
			{ name: '1 (Next Channel Depends on the Current One)', value: 1 },
			{ name: '2 (on the Last Two)', value: 2 },
			{ name: '3 (on the Last Three)', value: 3 },
		],
		default: 1,
	},
	journeyNotice,
	pathFieldsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['journeys'], operation: ['markov'] } }, properties);

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const order = Number(this.getNodeParameter('order', 0, 1));
	const set = readPathSet(this, items);
	if (!set.rows.length) {
		throw new NodeOperationError(this.getNode(), 'No usable journey in the input', { description: `Every row was skipped: ${JSON.stringify(set.problems.slice(0, 3))}` });
	}
	const result = markovAttribution(set, order);
	const paired = allPaired(items);
	return result.channels.map((c) => ({
		json: {
			channel: c.channel,
			removalEffect: c.removalEffect,
			share: c.share,
			conversions: c.conversions,
			value: c.value,
			model: 'markov',
			order: result.order,
			method: result.method,
			states: result.states,
			conversionProbability: result.conversionProbability,
			totalConversions: result.totalConversions,
			totalNulls: result.totalNulls,
			...problemsSummary(set),
		},
		pairedItem: paired,
	}));
}
