import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { pick, str, time } from '../../../shared/fields';
import { parseNumber } from '../../../shared/number';
import { BLOCK_START, parseNote } from '../../../PeekPro/shared/notesBlock';
import { classify, clean, toGa4Channel } from '../../engine/channels';
import { minorDigits } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'options',
		options: [
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Campaign per Day', value: 'campaignPerDay', description: 'One row per campaign and day: the input of Anomalies' },
			{ name: 'Channel', value: 'channel' },
			{ name: 'Channel per Day', value: 'channelPerDay' },
		],
		default: 'campaign',
	},
	{
		displayName:
			'The incoming items are attributed bookings (the Attribute Booking output, with {{ $json.attribution }}, or bookings read from Peek Pro whose note holds the credit a write-back put there) and, optionally, ad spend rows: {date, campaign, channel or source/medium, spend}, e.g. from a Data Table or an ads export.',
		name: 'aggregateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Spend Rows',
		name: 'spendRows',
		type: 'json',
		// An empty JSON editor shows a red syntax mark; [] is valid and reads the same (no spend rows).
		default: '[]',
		placeholder: "e.g. {{ $('Ad spend').all().map((i) => i.json) }}",
		hint: 'Optional: spend rows from another node, when they do not arrive as items of this one',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['report'], operation: ['aggregate'] } }, properties);

interface Row {
	channel?: string;
	campaign?: string;
	date?: string;
	bookings: number;
	revenueMinor: number;
	spend: number;
	currency?: string;
	items: number[];
}

/**
 * The credit Attribute Booking wrote into the booking note's [peekpro-ai] block (Peek Pro → Write
 * Back), read back as an attribution: the daily report counts each booking as it was credited, not
 * re-attributed from data Peek does not keep (UTM).
 */
function fromNote(json: IDataObject): IDataObject | undefined {
	const note = str(pick(json, ['notes', 'operatorNotes', 'note']));
	if (!note || !note.includes(BLOCK_START)) return undefined;
	const values = parseNote(note).values;
	let credits: unknown;
	try {
		credits = JSON.parse(values['attribution.credits'] ?? '');
	} catch {
		return undefined;
	}
	if (!Array.isArray(credits)) return undefined;
	const list = credits
		.filter((c): c is [unknown, unknown, unknown] => Array.isArray(c) && c.length === 3)
		.map(([channel, campaign, cents]) => ({ channel: str(channel), campaign: str(campaign), cents: Number(cents) || 0 }));
	const total = Number(values['attribution.valueCents']);
	return { credits: list as unknown as IDataObject[], valueCents: Number.isFinite(total) ? total : list.reduce((s, c) => s + c.cents, 0), currency: values['attribution.currency'] || undefined };
}

const day = (ms: number): string | undefined => (Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10));

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const groupBy = this.getNodeParameter('groupBy', 0, 'campaign') as string;
	const perDay = groupBy.endsWith('PerDay');
	const byCampaign = groupBy.startsWith('campaign');
	const rows = new Map<string, Row>();
	const problems: IDataObject[] = [];
	let unattributed = 0;
	const row = (channel: string | undefined, campaign: string | undefined, date: string | undefined, i: number): Row => {
		const keyPart = byCampaign ? clean(campaign) || '(not set)' : channel ?? 'Unassigned';
		const key = `${keyPart}\u0000${perDay ? date ?? '' : ''}`;
		let r = rows.get(key);
		if (!r) {
			r = { ...(byCampaign ? { campaign: clean(campaign) || '(not set)' } : { channel: channel ?? 'Unassigned' }), ...(perDay ? { date } : {}), bookings: 0, revenueMinor: 0, spend: 0, items: [] };
			rows.set(key, r);
		}
		if (!r.items.includes(i)) r.items.push(i);
		return r;
	};
	let extra = this.getNodeParameter('spendRows', 0, '') as unknown;
	if (typeof extra === 'string') {
		try {
			extra = extra.trim() ? JSON.parse(extra) : [];
		} catch {
			problems.push({ item: null, field: 'spendRows', reason: 'not valid JSON' });
			extra = [];
		}
	}
	const spendRows = (Array.isArray(extra) ? extra : extra && typeof extra === 'object' ? [extra] : []) as IDataObject[];
	// Spend rows given as a parameter are paired with the first input item (they came through no input).
	const all = [...items.map((item) => (item.json ?? {}) as IDataObject), ...spendRows];
	all.forEach((json, k) => {
		const i = Math.min(k, items.length - 1);
		const label = k < items.length ? k : `spendRows[${k - items.length}]`;
		const j = json;
		const a = (j.attribution as IDataObject | undefined) ?? fromNote(j);
		if (a && Array.isArray(a.credits)) {
			const total = Number(a.valueCents) || 0;
			const date = day(time(pick(j, ['purchasedAt', 'purchased_at', 'createdAt', 'timestamp'])));
			for (const c of a.credits as IDataObject[]) {
				const cents = Number(c.cents) || 0;
				const r = row(str(c.channel), str(c.campaign), date, i);
				r.revenueMinor += cents;
				r.bookings += total > 0 ? cents / total : 1 / (a.credits as unknown[]).length;
				if (!r.currency && a.currency) r.currency = String(a.currency);
			}
			return;
		}
		const spendRaw = pick(j, ['spend', 'cost', 'amount_spent', 'amountSpent', 'metrics.cost']);
		if (spendRaw === undefined) {
			// A booking without credit (attributed in shadow mode, or before the flow existed) is counted, not an error.
			if (j.id !== undefined || j.notes !== undefined) unattributed++;
			else problems.push({ item: label, field: 'attribution / spend', reason: 'neither an attributed booking nor a spend row' });
			return;
		}
		const spend = parseNumber(spendRaw);
		if (!spend.ok) {
			problems.push({ item: label, field: 'spend', reason: spend.reason });
			return;
		}
		const campaign = str(pick(j, ['campaign', 'campaign_name', 'campaignName', 'utm_campaign']));
		const source = pick(j, ['source', 'utm_source']);
		const channel = toGa4Channel(j.channel) ?? (source !== undefined ? classify({ source, medium: pick(j, ['medium', 'utm_medium']), campaign }).channel : str(j.channel));
		const date = day(time(pick(j, ['date', 'day', 'segments.date'])));
		if (perDay && !date) {
			problems.push({ item: label, field: 'date', reason: 'a per-day report needs the spend row\'s date' });
			return;
		}
		row(channel, campaign, date, i).spend += spend.value;
	});
	const out: INodeExecutionData[] = [];
	for (const r of [...rows.values()].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || b.revenueMinor - a.revenueMinor)) {
		const revenue = r.revenueMinor / 10 ** minorDigits(r.currency);
		out.push({
			json: {
				key: (byCampaign ? r.campaign : r.channel) ?? '',
				...(byCampaign ? { campaign: r.campaign } : { channel: r.channel }),
				...(perDay ? { date: r.date ?? null } : {}),
				bookings: Math.round(r.bookings * 10_000) / 10_000,
				revenue,
				revenueMinor: r.revenueMinor,
				currency: r.currency ?? null,
				spend: Math.round(r.spend * 100) / 100,
				costPerBooking: r.bookings > 0 && r.spend > 0 ? Math.round((r.spend / r.bookings) * 100) / 100 : null,
				roas: r.spend > 0 ? Math.round((revenue / r.spend) * 100) / 100 : null,
				unattributedBookings: unattributed,
				...(problems.length ? { problems: problems.slice(0, 20) } : {}),
			},
			pairedItem: r.items.map((item) => ({ item })),
		});
	}
	return out;
}
