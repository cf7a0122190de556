import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Booking } from '../../../shared/model/canonical';
import { normalizePeekRecord } from '../../shared/normalize';
import { revisionOf } from '../../shared/verify';
import { getList, requiredString, show, toItems } from '../common';

/**
 * Bookings that may have changed since a time: the reconciliation read that catches what a missed
 * webhook would have said (Peek sends each webhook once, PEEK.md §2).
 *
 * Peek's automation API has no "updated since" filter (PEEK.md §1: only `start`/`end` by purchase or
 * activity date), so this reads two windows and merges them by booking id:
 * - bookings **purchased** since `since` (new bookings, and everything done to them since);
 * - bookings whose **activity** falls in a window around now (default 1 day back, 30 ahead), which is
 *   where changes to older bookings happen (cancellations of upcoming trips, check-ins, no-shows).
 * A change to a booking purchased before `since` whose activity is outside the window is not seen:
 * the documented limit. When Peek's record has `updatedAt`, unchanged bookings are dropped here;
 * otherwise every booking read is output with a `revision` (a hash of the fields that matter) and the
 * caller keeps only new revisions (n8n's Remove Duplicates keyed on `changeKey`).
 */

const DAY_MS = 86_400_000;

export const description: INodeProperties[] = [
	{
		displayName: 'Changed Since',
		name: 'since',
		type: 'dateTime',
		required: true,
		default: '',
		displayOptions: show('booking', 'getChanged'),
		description: 'The last reconciliation run (the watermark). Bookings purchased since then are read, plus those with an activity in the window below.',
	},
	{
		displayName: 'Options',
		name: 'changedOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show('booking', 'getChanged'),
		options: [
			{
				displayName: 'Activity Days Back',
				name: 'activityDaysBack',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 0 },
				description: 'Also read bookings whose activity was up to this many days ago (check-ins, no-shows). 0 with Activity Days Ahead 0 reads purchases only.',
			},
			{
				displayName: 'Activity Days Ahead',
				name: 'activityDaysAhead',
				type: 'number',
				default: 30,
				typeOptions: { minValue: 0 },
				description: 'Also read bookings whose activity is up to this many days ahead (cancellations and changes of upcoming trips)',
			},
		],
	},
];

/** The event a changed booking stands for, from Peek's record alone. */
export function eventForChange(booking: Booking, sinceMs: number): string {
	switch (booking.status) {
		case 'cancelled':
			return 'booking.cancelled';
		case 'no_show':
			return 'booking.no_show';
		case 'checked_in':
			return 'booking.checked_in';
		case 'checked_out':
			return 'booking.checked_out';
		case 'pending':
			return 'cart.abandoned';
		default: {
			const purchased = booking.purchasedAt ? Date.parse(booking.purchasedAt) : NaN;
			return !Number.isNaN(purchased) && purchased >= sinceMs ? 'booking.created' : 'booking.updated';
		}
	}
}

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const sinceText = requiredString.call(this, 'since', 'Changed Since', i);
	const sinceMs = Date.parse(sinceText);
	if (Number.isNaN(sinceMs)) {
		throw new NodeOperationError(this.getNode(), `Changed Since is not a date-time: "${sinceText.slice(0, 40)}" [item ${i}]`, {
			description: 'Set Changed Since (parameter since) to an ISO-8601 time, e.g. the last run kept in workflow static data.',
			itemIndex: i,
		});
	}
	const options = this.getNodeParameter('changedOptions', i, {}) as IDataObject;
	const back = Math.max(0, Number(options.activityDaysBack ?? 1));
	const ahead = Math.max(0, Number(options.activityDaysAhead ?? 30));
	const nowMs = Date.now();
	const windows: Array<{ searchBy: string; start: string; end: string }> = [
		{ searchBy: 'purchaseDate', start: new Date(sinceMs).toISOString(), end: new Date(nowMs).toISOString() },
	];
	if (back > 0 || ahead > 0) {
		windows.push({ searchBy: 'activityDate', start: new Date(nowMs - back * DAY_MS).toISOString(), end: new Date(nowMs + ahead * DAY_MS).toISOString() });
	}
	const found = new Map<string, { booking: Booking; raw: unknown; foundBy: string[] }>();
	for (const w of windows) {
		for (const raw of await getList.call(this, { method: 'GET', path: '/bookings', qs: w }, i, ['bookings'])) {
			const booking = normalizePeekRecord(raw);
			if (!booking) continue;
			const seen = found.get(booking.id);
			if (seen) seen.foundBy.push(w.searchBy);
			else found.set(booking.id, { booking, raw, foundBy: [w.searchBy] });
		}
	}
	const out: IDataObject[] = [];
	for (const { booking, raw, foundBy } of found.values()) {
		const updated = booking.updatedAt ? Date.parse(booking.updatedAt) : NaN;
		const purchased = booking.purchasedAt ? Date.parse(booking.purchasedAt) : NaN;
		// Definitely unchanged: Peek says when it last changed, and that is before the watermark.
		if (!Number.isNaN(updated) && updated < sinceMs && !(purchased >= sinceMs)) continue;
		const revision = revisionOf(booking);
		out.push({
			...(booking as IDataObject),
			event: eventForChange(booking, sinceMs),
			revision,
			changeKey: `${booking.id}:${revision}`,
			foundBy,
			raw: raw as IDataObject,
		});
	}
	return toItems(out, i);
}
