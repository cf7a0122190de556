import type { INodeProperties } from 'n8n-workflow';

import * as nextOffer from './nextOffer.operation';
import { approvalRulesProperty, optionsProperty } from './params';
import * as planOffers from './planOffers.operation';

export { nextOffer, planOffers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['waitlist'] } },
		options: [
			{
				name: 'Plan Offers',
				value: 'planOffers',
				description: 'Choose who gets an offer for a slot\'s freed seats',
				action: 'Plan offers for freed seats',
			},
			{
				name: 'Next Offer',
				value: 'nextOffer',
				description: 'Choose the next candidate after an offer was declined or expired',
				action: 'Choose the next offer in a round',
			},
		],
		default: 'planOffers',
	},
	...planOffers.description,
	...nextOffer.description,
	// Shared by both operations, once, at the end: the Options collection is the last parameter.
	approvalRulesProperty,
	optionsProperty,
];
