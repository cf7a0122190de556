import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { claimHandled, handledKey } from '../../../PeekProTrigger/dedupe';
import type { Verification } from '../../../shared/model/canonical';
import { normalizeEventName } from '../../shared/events';
import { derivedEvents, normalizePeekRecord } from '../../shared/normalize';
import { peekRequest, seg } from '../../shared/transport';
import { decideEvent, revisionOf } from '../../shared/verify';
import { asBookingOutput, getList, outputParam, requiredString, returnAllAndLimit, show, toItems } from '../common';
import { bookingId } from './fields';

export const get = {
	description: [
		bookingId(['get']),
		outputParam('booking', 'get'),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: show('booking', 'get'),
			options: [
				{
					displayName: 'Check Claimed Event',
					name: 'claimedEvent',
					type: 'string',
					default: '',
					placeholder: '={{ $json.claimedEvent }}',
					description:
						'Re-verify a delivery from the Peek Pro Trigger\'s Verify Later output: the event it claimed is checked against the booking read now (as the trigger does), and the output gets "event", "eventCheck" and "verification". A claim the record contradicts gets no "event" and eventCheck "contradicted". The input item\'s "unverified" part is carried over, still apart.',
				},
				{
					displayName: 'Claimed Event Was Inferred',
					name: 'eventInferred',
					type: 'boolean',
					default: false,
					description:
						'Whether the delivery named no event (an app-platform booking webhook): the event is then derived from the record, created or updated',
				},
			],
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
		const res = await peekRequest.call(this, { method: 'GET', path: `/bookings/${seg(id)}`, itemIndex: i });
		const out = asBookingOutput.call(this, res.body, i);
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const claimed = normalizeEventName(options.claimedEvent);
		if (!claimed && !options.eventInferred) return toItems(out, i);
		const json = reverified(out, res.body, claimed ?? 'booking.updated', options.eventInferred === true, this.getInputData()[i]?.json ?? {});
		// A booking event the trigger (or reconciliation) already handled for this workflow is not
		// handed on again: it keeps its booking but loses its event (eventCheck "alreadyHandled").
		const booking = normalizePeekRecord(res.body);
		const key = booking && typeof json.event === 'string' ? handledKey(booking.id, json.event, revisionOf(booking)) : undefined;
		if (key && claimHandled(this.getWorkflow().id ?? '', key, this.getWorkflowStaticData('global'))) {
			json.eventCheck = 'alreadyHandled';
			json.handledEvent = json.event;
			delete json.event;
		}
		return toItems(json, i);
	},
};

/**
 * A Verify Later item, verified now: Peek's record, the event checked against it, the delivery's
 * unverified part carried over apart. Created vs updated for an unnamed event uses the trigger's
 * "seen before" from the Verify Later item (`seenBefore`).
 */
function reverified(out: IDataObject, body: unknown, claimed: string, inferred: boolean, input: IDataObject): IDataObject {
	const booking = normalizePeekRecord(body);
	const carried = input.unverified && typeof input.unverified === 'object' ? (input.unverified as IDataObject) : undefined;
	const trace = {
		deliveredEvent: claimed,
		eventInferred: inferred,
		deliveryId: input.deliveryId,
		eventId: input.eventId,
		receivedAt: input.receivedAt,
		reverifiedAt: new Date().toISOString(),
		unverified: carried,
	};
	if (!booking) return { ...out, ...trace, eventCheck: 'unchecked', verification: { method: 'none', methods: [], bookingFrom: 'none', deliveryTrusted: false, verified: false } satisfies Verification };
	const decision = decideEvent(claimed, inferred, booking, { fromRecord: true, seenBefore: input.seenBefore === true, nowMs: Date.now() });
	const json: IDataObject = {
		...out,
		event: decision.event,
		/** Life-cycle events the record reveals beyond the event (as the trigger's derived events). */
		lifecycleEvents: decision.event ? derivedEvents(decision.event, booking) : [],
		...trace,
		eventCheck: decision.check,
		eventCheckReason: decision.reason,
		verification: { method: 'fetched', methods: ['fetch'], bookingFrom: 'peek', deliveryTrusted: false, verified: true } satisfies Verification,
	};
	for (const k of Object.keys(json)) if (json[k] === undefined) delete json[k];
	return json;
}

export const getMany = {
	description: [
		{
			displayName: 'Search By',
			name: 'searchBy',
			type: 'options',
			options: [
				{ name: 'Activity Date', value: 'activityDate' },
				{ name: 'Purchase Date', value: 'purchaseDate' },
			],
			default: 'activityDate',
			displayOptions: show('booking', 'getMany'),
		},
		{
			displayName: 'Start',
			name: 'start',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: show('booking', 'getMany'),
		},
		{
			displayName: 'End',
			name: 'end',
			type: 'dateTime',
			required: true,
			default: '',
			displayOptions: show('booking', 'getMany'),
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add filter',
			default: {},
			displayOptions: show('booking', 'getMany'),
			options: [
				{ displayName: 'Product ID', name: 'productId', type: 'string', default: '' },
				{ displayName: 'Guest Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			],
		},
		...returnAllAndLimit('booking', 'getMany'),
		outputParam('booking', 'getMany'),
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const qs: IDataObject = {
			start: requiredString.call(this, 'start', 'Start', i),
			end: requiredString.call(this, 'end', 'End', i),
			searchBy: this.getNodeParameter('searchBy', i, 'activityDate') as string,
			productId: filters.productId,
			email: filters.email,
		};
		const list = await getList.call(this, { method: 'GET', path: '/bookings', qs }, i, ['bookings']);
		return toItems(list.map((b) => asBookingOutput.call(this, b, i)), i);
	},
};

export const getForTimeslot = {
	description: [
		{
			displayName: 'Timeslot ID',
			name: 'timeslotId',
			type: 'string',
			required: true,
			default: '',
			displayOptions: show('booking', 'getForTimeslot'),
		},
		...returnAllAndLimit('booking', 'getForTimeslot'),
		outputParam('booking', 'getForTimeslot'),
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const timeslotId = requiredString.call(this, 'timeslotId', 'Timeslot ID', i);
		const list = await getList.call(this, { method: 'GET', path: '/bookings', qs: { timeslotId } }, i, ['bookings']);
		return toItems(list.map((b) => asBookingOutput.call(this, b, i)), i);
	},
};

export const getGuests = {
	description: [bookingId(['getGuests'])] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
		const res = await peekRequest.call(this, { method: 'GET', path: `/bookings/${seg(id)}/guests`, itemIndex: i });
		const body = res.body as IDataObject | IDataObject[];
		const guests = Array.isArray(body) ? body : ((body?.guests ?? body?.data ?? []) as IDataObject[]);
		return toItems(guests.map((g) => ({ ...g, bookingId: id })), i);
	},
};
