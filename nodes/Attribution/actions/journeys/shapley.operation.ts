import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { EXACT_LIMIT, shapleyAttribution, type ShapleyValueFunction } from '../../engine/shapley';
import { allPaired } from '../common';
import { journeyNotice, pathFieldsProperty, problemsSummary, readPathSet } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Worth of a Channel Set',
		name: 'valueFunction',
		type: 'options',
		options: [
			{ name: 'Conversions', value: 'conversions', description: 'Conversions of journeys that used only channels in the set' },
			{ name: 'Conversion Rate', value: 'conversionRate', description: 'Conversion rate of journeys that used only channels in the set' },
		],
		default: 'conversions',
	},
	journeyNotice,
	pathFieldsProperty,
	{
		displayName: 'Options',
		name: 'shapleyOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Samples Above 15 Channels',
				name: 'samples',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 2000,
				description: `Up to ${EXACT_LIMIT} channels the values are exact; above, they are estimated from this many random channel orders (the output carries each standard error)`,
			},
			{ displayName: 'Seed', name: 'seed', type: 'number', default: 1, description: 'Seed of the sampling, so a re-run gives the same estimate' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['journeys'], operation: ['shapley'] } }, properties);

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const fn = this.getNodeParameter('valueFunction', 0, 'conversions') as ShapleyValueFunction;
	const opts = this.getNodeParameter('shapleyOptions', 0, {}) as { samples?: number; seed?: number };
	const set = readPathSet(this, items);
	if (!set.rows.length) {
		throw new NodeOperationError(this.getNode(), 'No usable journey in the input', { description: `Every row was skipped: ${JSON.stringify(set.problems.slice(0, 3))}` });
	}
	const result = shapleyAttribution(set, fn, opts);
	const paired = allPaired(items);
	return result.channels.map((c) => ({
		json: {
			...c,
			model: 'shapley',
			method: result.method,
			valueFunction: result.valueFunction,
			...(result.samples ? { samples: result.samples } : {}),
			grandValue: result.grandValue,
			...problemsSummary(set),
		},
		pairedItem: paired,
	}));
}
