import type { INodeProperties } from 'n8n-workflow';

import * as waitlist from './waitlist';

/**
 * Every parameter of the node. The governance mode comes first because it decides what every output
 * item means; it defaults to shadow so an unedited node marks everything as "would have" (the pack's
 * Peek Pro and Klaviyo nodes send nothing for items marked shadow).
 */
export const properties: INodeProperties[] = [
	{
		displayName: 'Governance Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Shadow',
				value: 'shadow',
				description: 'Decide and mark every item shadow: true, so nothing downstream sends; read what would have happened',
			},
			{
				name: 'Assisted',
				value: 'assisted',
				description: 'Every offer goes to "Needs approval"',
			},
			{
				name: 'Autonomous',
				value: 'autonomous',
				description: 'Offers go to "Promote now" unless an approval rule holds them',
			},
		],
		default: 'shadow',
		hint: 'Shadow first, then assisted while you check its choices, then autonomous with approval rules',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Waitlist', value: 'waitlist' }],
		default: 'waitlist',
	},
	...waitlist.description,
];
