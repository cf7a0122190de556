import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runWaitlist } from './engine';
import { entryHint, inputProperties, policyProperties } from './params';

const properties: INodeProperties[] = [
	{
		displayName:
			'Plans the offers for freed seats; it sends nothing itself. Wire "Promote now" to a seat hold and an offer message, "Needs approval" to an approval step, "No action" to your log. Each item carries round: store it (e.g. in a Data Table) and pass it back in with the next event for the same slot, so no entry is ever offered twice.',
		name: 'planNotice',
		type: 'notice',
		default: '',
	},
	...inputProperties,
	{
		displayName: 'Freed Seats',
		name: 'freedSeats',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $('Peek Pro Trigger').item.json.partySize }}",
		hint: 'Seats the cancellation or no-show scan freed in this slot, e.g. {{ $(\'Peek Pro Trigger\').item.json.partySize }}. Empty reads the item\'s freedSeats field; when neither is a number the slot goes to "No action" (capacity unknown).',
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $('Peek Pro Trigger').item.json.eventId }}",
		hint: 'Id of the cancellation or scan that freed the seats, e.g. {{ $(\'Peek Pro Trigger\').item.json.eventId }}. With a round passed back in, a new event adds its seats and a repeated one adds nothing. Empty: Freed Seats is read as the slot\'s total freed so far.',
	},
	{
		displayName: entryHint,
		name: 'entriesNotice',
		type: 'notice',
		default: '',
	},
	...policyProperties,
	{
		displayName: 'Allow Overbooking',
		name: 'allowOverbooking',
		type: 'boolean',
		default: false,
		description: 'Whether to offer extra seats against the predicted no-shows of the slot\'s confirmed bookings, within a cap on the risk of more guests than seats',
	},
	{
		displayName: 'Max Probability of More Guests Than Seats',
		name: 'maxOverflowProbability',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 0.5, numberPrecision: 3 },
		default: 0.05,
		displayOptions: { show: { allowOverbooking: [true] } },
		description: 'Extra seats k are allowed while P(fewer than k confirmed seats no-show) stays at or below this',
	},
	{
		displayName: 'Confirmed Bookings',
		name: 'confirmedBookings',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $('Peek Pro').all().map(i => i.json) }}",
		displayOptions: { show: { allowOverbooking: [true] } },
		hint: 'The slot\'s confirmed bookings with partySize and noShowRisk (e.g. the AI Scorer\'s ai_no_show_probability), as an expression returning an array. Empty reads the item\'s confirmedBookings field.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['waitlist'], operation: ['planOffers'] } }, properties);

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	return await runWaitlist.call(this, items, 'planOffers');
}
