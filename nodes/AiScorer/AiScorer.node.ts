import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/node.description';
import { router } from './actions/router';

export class AiScorer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AI Scorer',
		name: 'aiScorer',
		icon: { light: 'file:aiScorer.svg', dark: 'file:aiScorer.dark.svg' },
		group: ['transform'],
		// 1.1: Text operations put Backend first, Generate Content's guardrails in one collection and the
		// LLM settings inside Options. Version 1 keeps its layout for its saved workflows; Score and Model
		// are the same in both.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Local, trainable scores for tour bookings (no-show, cart recovery, customer value, next activity, segments) and PII-safe LLM copy and classification',
		defaults: { name: 'AI Scorer' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'peekProAiOpenAiApi',
				required: true,
				displayOptions: { show: { resource: ['text'], backend: ['llm'] } },
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
