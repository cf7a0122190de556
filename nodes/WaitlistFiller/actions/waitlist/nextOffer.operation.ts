import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runWaitlist } from './engine';
import { entryHint, inputProperties, policyProperties } from './params';

const properties: INodeProperties[] = [
	{
		displayName:
			'Chooses the next candidate when an offer was declined or expired. The incoming item must carry the round state a "Plan offers" or "Next offer" item put out (field round), plus the waitlist entries; the node keeps no memory, so this works across Wait nodes and in queue mode.',
		name: 'nextNotice',
		type: 'notice',
		default: '',
	},
	...inputProperties,
	{
		displayName: 'Round Field',
		name: 'roundField',
		type: 'string',
		default: 'round',
		hint: 'Field holding the round state, e.g. round (as "Plan offers" put it out, read back from your Data Table or carried through a Wait node)',
	},
	{
		displayName: 'Declined Entry IDs',
		name: 'declinedIds',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $json.answer === 'no' ? $json.entryId : '' }}",
		hint: 'Entries that said no, comma-separated or an array; their seats go back to the round',
	},
	{
		displayName: 'Expired Entry IDs',
		name: 'expiredIds',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $now > $json.offer.expiresAt ? $json.entryId : '' }}",
		hint: 'Entries whose offer lapsed, comma-separated or an array; their seats go back to the round',
	},
	{
		displayName: 'Accepted Entry IDs',
		name: 'acceptedIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.acceptedEntryId }}',
		hint: 'Entries that took their seats, comma-separated or an array; they keep their seats',
	},
	{
		displayName: entryHint,
		name: 'entriesNotice',
		type: 'notice',
		default: '',
	},
	...policyProperties,
];

export const description = updateDisplayOptions({ show: { resource: ['waitlist'], operation: ['nextOffer'] } }, properties);

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	return await runWaitlist.call(this, items, 'nextOffer');
}
