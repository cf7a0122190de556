import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ASSUMED_ENDPOINTS, assumedBaseUrl } from '../../shared/assumptions';
import { asBookingOutput, requiredString, show, toItems, writeOrShadow } from '../common';

/** Writes to Peek: gets the Shadow Mode switch (see actions/common.ts). */
export const writes = true;

export const description: INodeProperties[] = [
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('booking', 'create'),
		description: 'Stable unique ID from your side (e.g. the waitlist entry ID); a repeat with the same ID must not create a second booking',
	},
	{ displayName: 'Product ID', name: 'productId', type: 'string', required: true, default: '', displayOptions: show('booking', 'create') },
	{ displayName: 'Timeslot ID', name: 'timeslotId', type: 'string', required: true, default: '', displayOptions: show('booking', 'create') },
	{ displayName: 'Quantity', name: 'quantity', type: 'number', default: 1, typeOptions: { minValue: 1 }, displayOptions: show('booking', 'create') },
	{ displayName: 'Customer Name', name: 'customerName', type: 'string', required: true, default: '', displayOptions: show('booking', 'create') },
	{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', displayOptions: show('booking', 'create') },
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '', displayOptions: show('booking', 'create') },
	{ displayName: 'Notes', name: 'notes', type: 'string', default: '', displayOptions: show('booking', 'create') },
	outputParamForCreate(),
];

function outputParamForCreate(): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Canonical Booking', value: 'canonical' },
			{ name: 'Raw Peek Object', value: 'raw' },
		],
		default: 'canonical',
		displayOptions: show('booking', 'create'),
	};
}

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const body = {
		externalId: requiredString.call(this, 'externalId', 'External ID', i),
		productId: requiredString.call(this, 'productId', 'Product ID', i),
		timeslotId: requiredString.call(this, 'timeslotId', 'Timeslot ID', i),
		quantity: this.getNodeParameter('quantity', i, 1) as number,
		customer: {
			name: requiredString.call(this, 'customerName', 'Customer Name', i),
			email: (this.getNodeParameter('email', i, '') as string) || undefined,
			phone: (this.getNodeParameter('phone', i, '') as string) || undefined,
		},
		notes: (this.getNodeParameter('notes', i, '') as string) || undefined,
	};
	// Through writeOrShadow like every write: shadow mode outputs the full request (URL included).
	// externalId is the idempotency key, so the POST may be retried (shared/assumptions.ts).
	const baseUrl = await assumedBaseUrl.call(this);
	const { method, path } = ASSUMED_ENDPOINTS.createBooking;
	const result = await writeOrShadow.call(this, { method, path, body, baseUrl, idempotent: true }, i);
	if (result.shadow) return toItems({ shadow: true, assumedEndpoint: true, request: result.request }, i);
	return toItems({ ...asBookingOutput.call(this, result.body, i), assumedEndpoint: true }, i);
}
