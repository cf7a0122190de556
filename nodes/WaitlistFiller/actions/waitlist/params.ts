import type { INodeProperties } from 'n8n-workflow';

/** Parameters both operations share; each operation adds its own and the Options collection last. */

export const OPERATIONS = ['planOffers', 'nextOffer'];

const both = { show: { resource: ['waitlist'], operation: OPERATIONS } };

export const inputProperties: INodeProperties[] = [
	{
		displayName: 'Input Shape',
		name: 'inputShape',
		type: 'options',
		noDataExpression: true,
		displayOptions: both,
		options: [
			{
				name: 'One Item per Waitlist Entry',
				value: 'entryItems',
				description: 'What a Data Table "Get" or Peek Pro "Waitlist → Get many" outputs; items with the same slot key are decided together',
			},
			{
				name: 'One Item per Slot',
				value: 'slotItems',
				description: 'Each item holds the slot and its entries in an array field (e.g. after an Aggregate node)',
			},
		],
		default: 'entryItems',
	},
	{
		displayName: 'Slot Key',
		name: 'slotKey',
		type: 'string',
		default: '={{ $json.timeslotId }}',
		required: true,
		displayOptions: both,
		hint: 'The slot an item belongs to, e.g. {{ $json.timeslotId }} or {{ $json.productId + "@" + $json.startsAt }}. Items with the same key are one slot.',
	},
	{
		displayName: 'Entries Field',
		name: 'entriesField',
		type: 'string',
		default: 'entries',
		displayOptions: { show: { ...both.show, inputShape: ['slotItems'] } },
		hint: 'Name of the array field holding the slot\'s waitlist entries, e.g. entries',
	},
];

export const entryHint =
	'Each waitlist entry needs an id, a party size ("2", "2 adults" and "two" are read) and an email or phone; createdAt orders the queue. Optional: flexible, timeslotId (the slot asked for), alreadyBooked, acceptanceProbability and noShowRisk (0-1, e.g. from the AI Scorer), bookingValue.';

export const policyProperties: INodeProperties[] = [
	{
		displayName: 'Ranking Policy',
		name: 'ranking',
		type: 'options',
		noDataExpression: true,
		displayOptions: both,
		options: [
			{
				name: 'First In, First Out',
				value: 'fifo',
				description: 'Longest waiting first; an entry is passed over only when its party does not fit the seats left',
			},
			{
				name: 'Score-Ranked',
				value: 'score',
				description: 'The set of entries with the most expected filled seats (party size × acceptance probability); ties go to the longest waiting',
			},
			{
				name: 'Hybrid',
				value: 'hybrid',
				description: 'Like score-ranked, with acceptance rounded into bands: within a band, longest waiting first',
			},
		],
		default: 'fifo',
		hint: 'Score-ranked and hybrid read acceptanceProbability (0-1) from each entry, e.g. set by the AI Scorer; entries without it count with the default acceptance in Options',
	},
	{
		displayName: 'Band Width',
		name: 'bandWidth',
		type: 'number',
		typeOptions: { minValue: 0.05, maxValue: 1, numberPrecision: 2 },
		default: 0.2,
		displayOptions: { show: { ...both.show, ranking: ['hybrid'] } },
		description: 'Width of an acceptance band: 0.2 makes bands 0-0.2, 0.2-0.4, … and entries in one band are taken in waiting order',
	},
	{
		displayName: 'Max Promotions per Slot',
		name: 'maxPromotions',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 3,
		displayOptions: both,
		description: 'Open offers a slot may have at once; offers still pending from earlier in the round count against it',
	},
];

export const approvalRulesProperty: INodeProperties = {
	displayName: 'Approval Rules',
	name: 'approvalRules',
	type: 'collection',
	placeholder: 'Add rule',
	default: {},
	displayOptions: { show: { resource: ['waitlist'], operation: OPERATIONS, mode: ['autonomous', 'shadow'] } },
	description: 'When an offer goes to "Needs approval" instead of "Promote now"',
	options: [
		{
			displayName: 'Blackout Slots',
			name: 'blackout',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2026-07-04, slot_123',
			description: 'Slot keys or dates (YYYY-MM-DD), comma-separated, whose offers always need approval',
		},
		{
			displayName: 'Confidence Threshold',
			name: 'confidenceThreshold',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.7,
			description: 'Offers below this confidence need approval. Confidence is the lowest of the entry\'s acceptance probability, 1 − its no-show risk and, for overbooked seats, 1 − P(more guests than seats).',
		},
		{
			displayName: 'Max Booking Value',
			name: 'maxBookingValue',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Offers for a booking worth more than this (the entry\'s bookingValue) need approval; 0 means no limit',
		},
		{
			displayName: 'Max Party Size',
			name: 'maxPartySize',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 6,
			description: 'Offers to larger parties need approval; 0 means no limit',
		},
	],
};

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: both,
	options: [
		{
			displayName: 'As Of',
			name: 'asOf',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2026-07-01T09:00:00Z',
			description: 'Time the offers start (ISO-8601), for the expiry; empty means now. Set it to the event time to make re-runs identical.',
		},
		{
			displayName: 'Default Acceptance Probability',
			name: 'defaultAcceptance',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.5,
			description: 'Acceptance assumed for an entry without acceptanceProbability (score-ranked and hybrid)',
		},
		{
			displayName: 'Default No-Show Risk',
			name: 'defaultNoShowRisk',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.1,
			description: 'No-show risk assumed for a confirmed booking without noShowRisk (overbooking arithmetic)',
		},
		{
			displayName: 'Offer Window (Minutes)',
			name: 'offerWindowMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'How long an offer holds the seats; each output item carries offer.expiresAt for a Wait node',
		},
	],
};
