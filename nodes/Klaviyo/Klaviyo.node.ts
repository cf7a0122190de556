import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/properties';
import { router } from './actions/router';
import { searchLists } from './methods/listSearch';

export class Klaviyo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Klaviyo (PeekPro AI)',
		name: 'klaviyo',
		icon: { light: 'file:klaviyo.svg', dark: 'file:klaviyo.dark.svg' },
		group: ['output'],
		// 1.1: Event / Custom Properties start as Key / Value fields (version 1: a JSON editor, kept for
		// its saved workflows). Both read the same parameter when set to JSON.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send booking events, profiles, list membership and consent to Klaviyo, with shadow mode and an audit record per item',
		defaults: { name: 'Klaviyo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'peekProAiKlaviyoApi', required: true }],
		properties,
	};

	methods = { listSearch: { searchLists } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
