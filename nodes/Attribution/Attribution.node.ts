import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/node.description';
import { router } from './actions/router';

export class Attribution implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Attribution',
		name: 'attribution',
		icon: { light: 'file:attribution.svg', dark: 'file:attribution.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Credit per channel and campaign for every booking: GA4 channels from messy UTM data, heuristic, Markov and Shapley models, ROAS and anomalies',
		defaults: { name: 'Attribution' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
