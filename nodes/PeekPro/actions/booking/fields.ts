import type { INodeProperties } from 'n8n-workflow';

import { show } from '../common';

export const bookingId = (operation: string[]): INodeProperties => ({
	displayName: 'Booking ID',
	name: 'bookingId',
	type: 'string',
	required: true,
	default: '',
	displayOptions: show('booking', operation),
	description: 'Peek booking ID. A Peek Pro Trigger item holds it at the top level.',
	hint: 'From a Peek Pro Trigger item: {{ $json.id }}',
});
