import type { INodeProperties } from 'n8n-workflow';

import { shadowMarkProperty } from '../../shared/governance';
import { optionsLast, withItemNotices, type ItemNotices } from '../../shared/panel';
import * as model from './model';
import * as score from './score';
import * as text from './text';

/**
 * What each operation reads from the incoming item (shown under the Operation selector). The field
 * names are the canonical booking's (Peek Pro Trigger output); MODELS.md lists every alias accepted.
 */
const NEEDS: ItemNotices = {
	model: {
		train: 'All items train one model: each a past booking with its outcome as true/false, e.g. noShow set to {{ $json.status === "no_show" }} in an Edit Fields node before this one',
	},
	score: {
		cartAbandonment: 'Each item is a cart or abandoned booking: total, startsAt, checkoutStep, e.g. {{ $json.total.amount }} (Peek Pro Trigger output)',
		customerValue: 'Each item is a customer with their bookings (array with purchasedAt and total), e.g. {{ $json.bookings }}, or bookingCount and lastBookingAt',
		nextBestActivity: 'Each item is a booking with activity.id or activity.name, e.g. {{ $json.activity.name }}; the catalogue comes from a parameter below',
		noShow: 'Each item is a booking: startsAt, purchasedAt, partySize and total, e.g. {{ $json.startsAt }} (Peek Pro Trigger output)',
		segment: 'All items are segmented together: each a customer with their bookings (total, partySize, startsAt, purchasedAt), e.g. {{ $json.bookings }}',
	},
	text: {
		classify: 'The item must give the text to classify, e.g. Text {{ $json.reviewText }}',
		generateContent: 'Reads from the item only customer.firstName, activity.name, startsAt, partySize, notes and ai_* fields, e.g. {{ $json.activity.name }}',
	},
};

/** Every parameter of the node; the node class holds the rest of the description. */
export const properties: INodeProperties[] = optionsLast(withItemNotices([
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
	shadowMarkProperty,
], NEEDS));
