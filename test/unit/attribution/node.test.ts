import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { Attribution } from '../../../nodes/Attribution/Attribution.node';
import { createFakeContext, type FakeContextOptions } from '../../helpers/n8nContext';

async function run(parameters: FakeContextOptions['parameters'], items: IDataObject[], extra: Partial<FakeContextOptions> = {}): Promise<INodeExecutionData[]> {
	const ctx = createFakeContext({ parameters, items: items.map((json) => ({ json })), ...extra });
	const [out] = await new Attribution().execute.call(ctx as unknown as IExecuteFunctions);
	return out;
}

/** A booking as the Peek Pro Trigger emits it after verify-by-fetch, with the delivery's UTM kept apart. */
function fetchedBooking(extra: IDataObject = {}): IDataObject {
	return {
		id: 'b_1234',
		displayId: '1234',
		source: 'peek_automation_api',
		status: 'confirmed',
		purchasedAt: '2026-06-15T12:00:00Z',
		total: { amount: 450, currency: 'USD' },
		customer: { email: 'ada@example.com', firstName: 'Ada' },
		marketing: { promoCodes: [] },
		verification: { method: 'fetched', methods: ['fetch'], bookingFrom: 'peek', deliveryTrusted: false, verified: true, unverifiedFields: ['marketing.utmSource', 'marketing.utmMedium', 'marketing.utmCampaign'] },
		unverified: { marketing: { utmSource: 'facebook', utmMedium: 'paid_social', utmCampaign: 'Summer Adventures' } },
		...extra,
	};
}

const normalize = (params: IDataObject = {}) => ({ resource: 'touchpoint', operation: 'normalize', unverifiedData: 'ignore', history: '', normalizeOptions: {}, ...params });

describe('Normalize: trust of UTM data', () => {
	it('fetched from Peek, not signed: the delivery\'s UTM data is ignored and the output says so', async () => {
		const [out] = await run(normalize(), [fetchedBooking()]);
		const tps = out.json.touchpoints as IDataObject[];
		expect(tps).toHaveLength(1);
		expect(tps[0]).toMatchObject({ channel: 'Direct', from: 'booking', trust: 'peek' });
		expect(out.json.marketingTrust).toMatchObject({ trust: 'peek', ignoredFields: ['marketing.utmSource', 'marketing.utmMedium', 'marketing.utmCampaign'] });
		expect(out.pairedItem).toEqual({ item: 0 });
	});
	it('opted in: the unverified UTM data is used and marked optIn', async () => {
		const [out] = await run(normalize({ unverifiedData: 'use' }), [fetchedBooking()]);
		const tp = (out.json.touchpoints as IDataObject[])[0];
		expect(tp).toMatchObject({ channel: 'Paid Social', source: 'facebook', campaign: 'summer adventures', trust: 'optIn' });
		expect(out.json.marketingTrust).toMatchObject({ trust: 'optIn' });
	});
	it('HMAC-authenticated delivery: the merged UTM data is trusted and marked hmac', async () => {
		const b = fetchedBooking({ verification: { method: 'hmac', methods: ['hmac', 'fetch'], bookingFrom: 'peek', deliveryTrusted: true, verified: true }, unverified: undefined, marketing: { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'summer_alps', promoCodes: [] } });
		const [out] = await run(normalize(), [b]);
		expect((out.json.touchpoints as IDataObject[])[0]).toMatchObject({ channel: 'Paid Search', trust: 'hmac' });
	});
	it('unverified delivery without fetch or HMAC: its marketing fields are ignored', async () => {
		const b = { id: 'b_9', marketing_data: { utm_source: 'google', utm_medium: 'cpc' }, verification: { method: 'none', methods: [], bookingFrom: 'delivery', deliveryTrusted: false, verified: false } };
		const [out] = await run(normalize(), [b]);
		expect((out.json.touchpoints as IDataObject[])[0]).toMatchObject({ channel: 'Direct' });
		expect(out.json.marketingTrust).toMatchObject({ trust: 'none' });
	});
	it('an item from the operator\'s own data (no trigger) is taken as given; the seeds\' marketing_data (affiliate id, referral URL) and a gclid in the landing URL are read', async () => {
		const [out] = await run(normalize(), [{ id: 'b_2', marketing_data: { affiliate_id: 'AFF-55432', referral_url: 'https://example.blog/review?gclid=abc' } }]);
		expect((out.json.touchpoints as IDataObject[])[0]).toMatchObject({ channel: 'Affiliates', source: 'example.blog', affiliateId: 'AFF-55432', trust: 'input' });
		const [paid] = await run(normalize(), [{ id: 'b_3', landing_page: 'https://tours.example/?utm_x=1&gclid=Cj0' }]);
		expect((paid.json.touchpoints as IDataObject[])[0]).toMatchObject({ channel: 'Paid Search', source: 'google' });
	});
	it('an influencer code listed in the options makes a booking without click data Affiliates', async () => {
		const [out] = await run(normalize({ normalizeOptions: { influencerCodes: 'jess10, HIKEWITHSAM' } }), [{ id: 'b_4', promoCodes: ['Jess10'] }]);
		expect((out.json.touchpoints as IDataObject[])[0]).toMatchObject({ channel: 'Affiliates', promoCode: 'Jess10' });
	});
	it('a touchpoint history is classified, ordered oldest first, and limited to the lookback', async () => {
		const history = [
			{ timestamp: '2026-06-14T09:00:00Z', source: 'Newsletter', medium: 'Email', campaign: 'retargeting' },
			{ timestamp: '2026-06-05T09:00:00Z', source: 'l.facebook.com', medium: 'paid', campaign: 'Summer Adventures' },
			{ timestamp: '2025-01-01T09:00:00Z', source: 'google', medium: 'organic' },
			{ timestamp: 'yesterday-ish', referrer: 'https://www.google.com/' },
		];
		const [out] = await run(normalize({ history }), [fetchedBooking()]);
		const channels = (out.json.touchpoints as IDataObject[]).map((t) => t.channel);
		expect(channels).toEqual(['Paid Social', 'Email', 'Organic Search', 'Direct']);
		expect(out.json.touchpointSummary).toMatchObject({ dropped: 1, problems: [{ field: 'history[3].timestamp' }] });
	});
	it('a history that is one object instead of an array is read as one touch; text that is not JSON is an error item naming the field', async () => {
		const [one] = await run(normalize({ history: { timestamp: '2026-06-14T09:00:00Z', source: 'bing', medium: 'cpc' } }), [fetchedBooking()]);
		expect((one.json.touchpoints as IDataObject[])[0].channel).toBe('Paid Search');
		const [bad, good] = await run(normalize({ history: (i: number) => (i === 0 ? 'not json' : '') }), [fetchedBooking(), fetchedBooking()], { continueOnFail: true });
		expect(bad.json).toMatchObject({ error: 'Touchpoint History is text that is not JSON', field: 'history', id: 'b_1234' });
		expect(good.json.touchpoints).toBeDefined();
	});
});

const attribute = (params: IDataObject = {}) => ({ resource: 'booking', operation: 'attribute', model: 'positionBased', firstShare: 0.4, lastShare: 0.4, bookingValue: '', attributeOptions: {}, ...params });
const touches = [
	{ channel: 'Paid Social', campaign: 'Summer Adventures', at: '2026-06-05T09:00:00Z' },
	{ channel: 'Email', campaign: 'retargeting', at: '2026-06-14T09:00:00Z' },
	{ channel: 'Organic Search', at: '2026-06-15T11:00:00Z' },
];

describe('Attribute booking', () => {
	it('the issue\'s example: $450.00 as 40% Facebook campaign, 20% email, 40% organic search, in cents, with a summary and an audit record', async () => {
		const [out] = await run(attribute(), [{ ...fetchedBooking(), touchpoints: touches }]);
		const a = out.json.attribution as IDataObject;
		expect(a.valueCents).toBe(45000);
		expect((a.credits as IDataObject[]).map((c) => c.cents)).toEqual([18000, 9000, 18000]);
		expect(a.summary).toBe("Booking #1234 ($450.00): 40% Paid Social 'Summer Adventures', 40% Organic Search, 20% Email 'retargeting' — position-based model");
		expect(a.writeBack).toMatchObject({ 'attribution.model': 'positionBased', 'attribution.credits': '[["Paid Social","Summer Adventures",18000],["Organic Search",null,18000],["Email","retargeting",9000]]', 'attribution.valueCents': 45000 });
		const audit = out.json.audit as IDataObject;
		expect(audit).toMatchObject({ decision: 'attribution.attribute', decidedBy: { kind: 'rule', id: 'attribution.positionBased' }, input: { bookingId: 'b_1234' } });
		expect((audit.input as IDataObject).summary).toMatchObject({ parameters: { firstShare: 0.4, lastShare: 0.4 } });
		expect(JSON.stringify(audit)).not.toContain('ada@example.com');
	});
	it('money as typed: "$1,234.57" over three touches linearly is 41,153 / 41,152 / 41,152 cents', async () => {
		const [out] = await run(attribute({ model: 'linear', bookingValue: '$1,234.57' }), [{ id: 'b', touchpoints: touches }]);
		expect(((out.json.attribution as IDataObject).credits as IDataObject[]).map((c) => c.cents)).toEqual([41153, 41152, 41152]);
	});
	it('bad items leave as error items naming the field; the rest of the batch is attributed', async () => {
		const out = await run(attribute({ model: 'linear' }), [
			{ id: 'ok', total: '€12,50', touchpoints: touches },
			{ id: 'no-touches', total: 10 },
			{ id: 'bad-money', total: 'call us', touchpoints: touches },
			{ id: 'no-channel', total: 5, touchpoints: [{ campaign: 'x' }] },
		], { continueOnFail: true });
		expect(out.map((o) => o.json.field ?? 'ok')).toEqual(['ok', 'touchpoints', 'total', 'touchpoints[0].channel']);
		expect((out[0].json.attribution as IDataObject).valueCents).toBe(1250);
		expect(out[2].json.error).toContain('cannot be read');
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});
	it('without continue-on-fail the first bad item stops the node with its index', async () => {
		await expect(run(attribute(), [{ id: 'x', touchpoints: touches }])).rejects.toThrow('cannot be read');
	});
	it('shift against the running average: flagged above the threshold, state carried in the item, not in node memory', async () => {
		const runningAverage = { model: 'lastTouch', n: 50, shares: { 'Organic Search': 0.2, Email: 0.5, 'Paid Social': 0.3 } };
		const [out] = await run(attribute({ model: 'lastTouch', attributeOptions: { runningAverage: JSON.stringify(runningAverage) } }), [{ id: 'b', total: 100, touchpoints: touches }]);
		const a = out.json.attribution as IDataObject;
		expect(a.reviewRequired).toBe(true);
		expect(a.shift).toMatchObject({ flagged: true, threshold: 0.2, largest: { channel: 'Organic Search', run: 1, average: 0.2 } });
		const next = a.runningAverage as { n: number; shares: Record<string, number> };
		expect(next.n).toBe(51);
		expect(next.shares['Organic Search']).toBeCloseTo((0.2 * 50 + 1) / 51, 12);
		// The same booking against a short history is not flagged (too few bookings to compare with).
		const [early] = await run(attribute({ model: 'lastTouch', attributeOptions: { runningAverage: { ...runningAverage, n: 3 } } }), [{ id: 'b', total: 100, touchpoints: touches }]);
		expect((early.json.attribution as IDataObject).reviewRequired).toBe(false);
	});
	it('normalize → attribute end to end from a trusted delivery', async () => {
		const b = fetchedBooking({ verification: { method: 'hmac', methods: ['hmac'], bookingFrom: 'peek', deliveryTrusted: true, verified: true }, marketing: { utmSource: 'Facebook', utmMedium: 'CPC', utmCampaign: 'summer', promoCodes: [] } });
		const [n] = await run(normalize(), [b]);
		const [a] = await run(attribute({ model: 'lastNonDirect' }), [n.json]);
		expect((a.json.attribution as IDataObject).byChannel).toEqual([{ channel: 'Paid Social', cents: 45000, share: 1 }]);
	});
});

describe('Journeys: Markov and Shapley from items', () => {
	const rows = [
		{ path: 'A > B', total_conversions: '1', total_conversion_value: '$100', total_null: 0 },
		{ path: 'A', total_conversions: 0, total_conversion_value: 0, total_null: 1 },
		{ path: ['B'], total_conversions: 1, total_conversion_value: 100, total_null: '0' },
		{ path: '', total_conversions: 4 },
	];
	it('Markov: one item per channel with its removal effect; the unreadable row is reported, not fatal', async () => {
		const out = await run({ resource: 'journeys', operation: 'markov', order: 1, pathFields: {} }, rows);
		const a = out.find((o) => o.json.channel === 'A')?.json as IDataObject;
		expect(a.removalEffect).toBeCloseTo(0.5, 12);
		expect(a.value).toBeCloseTo(200 / 3, 9);
		expect(a).toMatchObject({ skippedRows: 1, problems: [{ row: 3, field: 'path' }] });
		expect(out[0].pairedItem).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});
	it('one item per journey with converted true/false works too', async () => {
		const out = await run({ resource: 'journeys', operation: 'shapley', valueFunction: 'conversions', pathFields: {}, shapleyOptions: {} }, [
			{ path: 'A > B', converted: true },
			{ path: 'A', converted: 'no' },
			{ path: 'B', converted: 'yes' },
		]);
		expect(Object.fromEntries(out.map((o) => [o.json.channel, o.json.shapley]))).toEqual({ A: 0.5, B: 1.5 });
	});
});

describe('Report: aggregate and anomalies', () => {
	it('per campaign: credit, fractional bookings, revenue, spend, cost per booking and ROAS', async () => {
		const [a] = await run(attribute({ model: 'linear' }), [{ id: 'b1', total: 300, touchpoints: [touches[0], touches[1]] }]);
		const [b] = await run(attribute({ model: 'linear' }), [{ id: 'b2', total: 100, touchpoints: [touches[0]] }]);
		const out = await run({ resource: 'report', operation: 'aggregate', groupBy: 'campaign', spendRows: JSON.stringify([{ campaign: 'x', spend: 'n/a' }]) }, [a.json, b.json, { date: '2026-06-15', campaign: 'Summer Adventures', channel: 'Paid Social', spend: '$125.00' }]);
		const summer = out.find((o) => o.json.campaign === 'summer adventures')?.json as IDataObject;
		expect(summer).toMatchObject({ bookings: 1.5, revenue: 250, spend: 125, costPerBooking: 83.33, roas: 2 });
		expect(summer.problems).toEqual([{ item: 'spendRows[0]', field: 'spend', reason: expect.any(String) }]);
	});
	it('bookings read back from Peek count with the credit the write-back left in their note; bookings without credit are counted apart', async () => {
		const notes = 'Tandem kayak please.\n[peekpro-ai]\nattribution.credits=[["Email","spring, 2026",3000],["Paid Search",null,2000]]\nattribution.currency=USD\nattribution.valueCents=5000\n[/peekpro-ai]';
		const out = await run({ resource: 'report', operation: 'aggregate', groupBy: 'channel' }, [{ id: 'b1', purchasedAt: '2026-06-15T10:00:00Z', notes }, { id: 'b2', notes: 'no block' }]);
		expect(out.map((o) => [o.json.channel, o.json.revenue, o.json.bookings, o.json.unattributedBookings])).toEqual([
			['Email', 30, 0.6, 1],
			['Paid Search', 20, 0.4, 1],
		]);
	});
	it('anomalies: a spend spike without bookings and a drop of a high-ROAS campaign, against median/MAD, with the evidence', async () => {
		const days: IDataObject[] = [];
		for (let d = 1; d <= 15; d++) {
			const date = `2026-06-${String(d).padStart(2, '0')}`;
			const last = d === 15;
			days.push({ date, key: 'meta_summer', spend: last ? 900 : 100 + (d % 3) * 10, bookings: last ? 1 : 3 + (d % 2), revenue: 200 });
			days.push({ date, key: 'google_brand', spend: 50 + (d % 2) * 5, bookings: last ? 0 : 4, revenue: last ? 20 : 500 + (d % 3) * 20 });
			days.push({ date, key: 'steady', spend: 80, bookings: 2, revenue: 200 });
		}
		const out = await run({ resource: 'report', operation: 'anomalies', anomalyOptions: {} }, days);
		expect(out.map((o) => [o.json.type, o.json.key])).toEqual([
			['spendSpikeWithoutBookings', 'meta_summer'],
			['highRoasDrop', 'google_brand'],
		]);
		expect(out[0].json.evidence).toMatchObject({ spend: 900, spendBaseline: { median: 110, scaleFrom: 'mad' } });
		expect(out[0].json.baseline).toContain('median absolute deviation');
		expect(out[0].pairedItem).toEqual({ item: days.findIndex((d) => d.key === 'meta_summer' && d.date === '2026-06-15') });
	});
});
