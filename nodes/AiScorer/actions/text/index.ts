import type { INodeProperties } from 'n8n-workflow';

import * as classify from './classify.operation';
import * as generateContent from './generateContent.operation';

export { classify, generateContent };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['text'] } },
		options: [
			{ name: 'Classify Text', value: 'classify', description: 'Referral source, abandonment reason, review sentiment or custom labels', action: 'Classify text' },
			{ name: 'Generate Content', value: 'generateContent', description: 'Subject lines and body copy for a flow, with guardrails', action: 'Generate content' },
		],
		default: 'classify',
	},
	...classify.description,
	...generateContent.description,
];
