import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { pick, str, time } from '../../../shared/fields';
import { parseNumber } from '../../../shared/number';
import { findAnomalies, type DailyRow } from '../../engine/report';

const properties: INodeProperties[] = [
	{
		displayName:
			'The incoming items are one row per campaign and day: date, key (or campaign), spend, bookings and revenue, as Aggregate Report → Campaign per Day puts them out. Baseline: median and median absolute deviation of the previous days. Example row: {{ $json.date }} = 2026-06-01, {{ $json.key }} = summer_tours, {{ $json.spend }} = 120.',
		name: 'anomaliesNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'anomalyOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{ displayName: 'High ROAS', name: 'highRoas', type: 'number', default: 3, description: 'A campaign whose usual (median) ROAS is at least this is watched for drops' },
			{ displayName: 'Latest Day Only', name: 'latestDayOnly', type: 'boolean', default: true, description: 'Whether to report only the most recent day (daily runs); off reports every day with enough history' },
			{ displayName: 'Minimum History Days', name: 'minHistoryDays', type: 'number', typeOptions: { minValue: 3 }, default: 7 },
			{ displayName: 'Robust Z Threshold', name: 'zThreshold', type: 'number', typeOptions: { minValue: 0.5 }, default: 3.5, description: 'How many robust standard deviations (1.4826 × MAD) from the median count as anomalous; 3.5 is Iglewicz and Hoaglin\'s cut-off' },
			{ displayName: 'Window Days', name: 'windowDays', type: 'number', typeOptions: { minValue: 3 }, default: 28, description: 'Days before the day under test that form its baseline' },
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['report'], operation: ['anomalies'] } }, properties);

function amount(v: unknown): number {
	if (v === undefined || v === null || v === '') return 0;
	const p = parseNumber(v);
	return p.ok ? p.value : Number.NaN;
}

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const o = this.getNodeParameter('anomalyOptions', 0, {}) as { highRoas?: number; latestDayOnly?: boolean; minHistoryDays?: number; zThreshold?: number; windowDays?: number };
	const rows: DailyRow[] = [];
	const index = new Map<string, number>();
	const skipped: IDataObject[] = [];
	items.forEach((item, i) => {
		const j = (item.json ?? {}) as IDataObject;
		const ms = time(pick(j, ['date', 'day']));
		const key = str(pick(j, ['key', 'campaign', 'campaign_name', 'channel']));
		const spend = amount(pick(j, ['spend', 'cost']));
		const bookings = amount(pick(j, ['bookings', 'conversions']));
		const revenue = amount(pick(j, ['revenue', 'attributedRevenue', 'conversion_value']));
		const bad = Number.isNaN(ms) ? 'date' : !key ? 'key' : Number.isNaN(spend) ? 'spend' : Number.isNaN(bookings) ? 'bookings' : Number.isNaN(revenue) ? 'revenue' : undefined;
		if (bad) {
			skipped.push({ item: i, field: bad, reason: `missing or unreadable ${bad}` });
			return;
		}
		const date = new Date(ms).toISOString().slice(0, 10);
		rows.push({ date, key: key as string, spend, bookings, revenue });
		index.set(`${key}\u0000${date}`, i);
	});
	const latest = rows.reduce((m, r) => (r.date > m ? r.date : m), '');
	const anomalies = findAnomalies(
		rows,
		{ windowDays: o.windowDays ?? 28, minHistoryDays: o.minHistoryDays ?? 7, zThreshold: o.zThreshold ?? 3.5, highRoas: o.highRoas ?? 3 },
		o.latestDayOnly === false ? undefined : latest,
	);
	return anomalies.map((a) => ({
		json: {
			...a,
			baseline: 'median and 1.4826 × median absolute deviation of the window before the day (robust z-score)',
			...(skipped.length ? { skippedRows: skipped.slice(0, 20) } : {}),
		} as IDataObject,
		pairedItem: { item: index.get(`${a.key}\u0000${a.date}`) ?? 0 },
	}));
}
