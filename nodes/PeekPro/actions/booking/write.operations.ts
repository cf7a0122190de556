import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { seg } from '../../shared/transport';
import { requiredString, show, toItems, writeOrShadow } from '../common';
import { bookingId } from './fields';

export const addNote = {
	writes: true as const,
	description: [
		bookingId(['addNote']),
		{
			displayName: 'Note',
			name: 'note',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			displayOptions: show('booking', 'addNote'),
		},
		{
			displayName: 'Mode',
			name: 'appendOrOverwrite',
			type: 'options',
			options: [
				{ name: 'Append', value: 'append' },
				{ name: 'Overwrite', value: 'overwrite' },
			],
			default: 'append',
			displayOptions: show('booking', 'addNote'),
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
		const note = requiredString.call(this, 'note', 'Note', i);
		const appendOrOverwrite = this.getNodeParameter('appendOrOverwrite', i, 'append') as string;
		// Overwrite is idempotent (same note twice = once); append is not, so it is never retried after delivery.
		const result = await writeOrShadow.call(
			this,
			{ method: 'POST', path: `/bookings/${seg(id)}/notes`, body: { note, appendOrOverwrite }, idempotent: appendOrOverwrite === 'overwrite' },
			i,
		);
		return toItems(result.shadow ? { shadow: true, request: result.request } : { bookingId: id, appendOrOverwrite, response: result.body ?? null }, i);
	},
};

export const checkIn = {
	writes: true as const,
	description: [
		bookingId(['checkIn']),
		{
			displayName: 'Checked In',
			name: 'checkedIn',
			type: 'boolean',
			default: true,
			displayOptions: show('booking', 'checkIn'),
			description: 'Whether the booking is checked in (false undoes a check-in)',
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
		const checkedIn = this.getNodeParameter('checkedIn', i, true) as boolean;
		const result = await writeOrShadow.call(
			this,
			{ method: 'POST', path: `/bookings/${seg(id)}/checkin`, body: { checkedIn }, idempotent: true },
			i,
		);
		return toItems(result.shadow ? { shadow: true, request: result.request } : { bookingId: id, checkedIn, response: result.body ?? null }, i);
	},
};
