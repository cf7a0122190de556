import type { INodeProperties } from 'n8n-workflow';

import { shadowModeProperty } from '../../shared/governance';
import * as model from './model';
import * as score from './score';
import * as text from './text';

/** Every parameter of the node; the node class holds the rest of the description. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Score', value: 'score', description: 'Local models: no account, no network' },
			{ name: 'Text', value: 'text', description: 'Copy and classification, by LLM or local rules' },
			{ name: 'Model', value: 'model', description: 'Train the local models on your own history' },
		],
		default: 'score',
	},
	...score.description,
	...text.description,
	...model.description,
	shadowModeProperty,
];
