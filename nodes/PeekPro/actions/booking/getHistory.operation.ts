import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Booking } from '../../../shared/model/canonical';
import { normalizePeekRecord } from '../../shared/normalize';
import { getList, requiredString, show, toItems } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Guest Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		displayOptions: show('booking', 'getHistory'),
	},
	{
		displayName: 'Look Back (Days)',
		name: 'lookbackDays',
		type: 'number',
		default: 1095,
		typeOptions: { minValue: 1 },
		displayOptions: show('booking', 'getHistory'),
		description: 'How far back to read bookings, by purchase date',
	},
	{
		displayName: 'Include Bookings',
		name: 'includeBookings',
		type: 'boolean',
		default: true,
		displayOptions: show('booking', 'getHistory'),
		description: 'Whether to include every canonical booking, not only the summary',
	},
];

/** One summary item per guest: what the AI scorer and the marketing flows need about a customer. */
export function summarizeHistory(email: string, bookings: Booking[]): IDataObject {
	const sorted = bookings.slice().sort((a, b) => String(a.purchasedAt ?? a.startsAt ?? '').localeCompare(String(b.purchasedAt ?? b.startsAt ?? '')));
	const counted = sorted.filter((b) => b.status !== 'cancelled' && b.status !== 'expired');
	const currencies = new Set(counted.map((b) => b.total?.currency).filter(Boolean));
	const spent = counted.reduce((sum, b) => sum + (b.total?.amount ?? 0), 0);
	const when = (b: Booking | undefined) => b?.purchasedAt ?? b?.startsAt;
	return {
		email,
		bookingCount: sorted.length,
		completedOrUpcomingCount: counted.length,
		cancelledCount: sorted.filter((b) => b.status === 'cancelled').length,
		noShowCount: sorted.filter((b) => b.status === 'no_show').length,
		totalSpent: { amount: Math.round(spent * 100) / 100, currency: currencies.size === 1 ? [...currencies][0] : undefined },
		firstBookingAt: when(sorted[0]) ?? null,
		lastBookingAt: when(sorted[sorted.length - 1]) ?? null,
		activities: [...new Set(sorted.map((b) => b.activity.name).filter(Boolean))] as string[],
		isRepeatCustomer: counted.length > 1,
	};
}

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const email = requiredString.call(this, 'email', 'Guest Email', i).toLowerCase();
	const days = this.getNodeParameter('lookbackDays', i, 1095) as number;
	const end = new Date();
	const start = new Date(end.getTime() - days * 86_400_000);
	const list = await getList.call(
		this,
		{ method: 'GET', path: '/bookings', qs: { start: start.toISOString(), end: end.toISOString(), searchBy: 'purchaseDate', email } },
		i,
		['bookings'],
	);
	const bookings = list
		.map((b) => normalizePeekRecord(b))
		.filter((b): b is Booking => !!b && (!b.customer.email || b.customer.email.toLowerCase() === email));
	const summary = summarizeHistory(email, bookings);
	if (this.getNodeParameter('includeBookings', i, true) as boolean) summary.bookings = bookings as unknown as IDataObject[];
	return toItems(summary, i);
}
