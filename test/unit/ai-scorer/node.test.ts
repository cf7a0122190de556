import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { createFakeContext, type FakeContextOptions } from '../../helpers/n8nContext';
import { syntheticBookings } from './synthetic';

async function run(opts: FakeContextOptions): Promise<INodeExecutionData[]> {
	const ctx = createFakeContext(opts);
	const [out] = await new AiScorer().execute.call(ctx as unknown as IExecuteFunctions);
	return out;
}

const booking = {
	id: 'bk_1001',
	source: 'peek_automation_api',
	status: 'confirmed',
	startsAt: '2026-06-13T07:30:00-06:00',
	purchasedAt: '2026-06-11T18:00:00-06:00',
	partySize: 2,
	total: { amount: 90, currency: 'USD' },
	balance: { amount: 45, currency: 'USD' },
	customer: { email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' },
	marketing: { channel: 'Viator', promoCodes: [] },
	customerHistory: { priorBookings: 0, priorNoShows: 0, priorCancellations: 0 },
	weatherRisk: 0.6,
};

describe('AI Scorer: Predict No-Show', () => {
	it('scores with the default priors and explains the score in words', async () => {
		const [item] = await run({ parameters: { resource: 'score', operation: 'noShow', modelSource: 'default', shadowMode: false }, items: [{ json: booking }] });
		const j = item.json;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(j.id).toBe('bk_1001');
		expect(typeof j.ai_no_show_probability).toBe('number');
		// A first-time reseller booking at 7:30 with a balance due and bad weather: about 3x the 6% base rate.
		expect(j.ai_no_show_probability as number).toBeGreaterThan(0.15);
		expect(j.ai_no_show_risk).toBe('medium');
		const ai = j.ai as IDataObject;
		expect(ai.model).toMatchObject({ id: 'peekpro.no_show', version: '1.0.0-prior', trained: false });
		expect((ai.model as IDataObject).note).toMatch(/default priors/i);
		const reasons = ai.reasons as Array<{ text: string; effect: string }>;
		expect(reasons).toHaveLength(3);
		expect(reasons.map((r) => r.text)).toContain('bad weather forecast');
		expect(j.ai_no_show_reasons).toContain('bad weather forecast');
		expect((j.audit as IDataObject).decidedBy).toEqual({ kind: 'model', id: 'peekpro.no_show', version: '1.0.0-prior' });
		expect(JSON.stringify(j.audit)).not.toContain('jane.doe@example.com');
		expect(j.shadow).toBeUndefined();
	});

	it('a low-risk booking scores lower than a risky one', async () => {
		const safe = { ...booking, partySize: 4, total: { amount: 600 }, balance: { amount: 0 }, marketing: { channel: 'website' }, weatherRisk: 0.05, openedConfirmation: true, startsAt: '2026-06-13T11:00:00-06:00', customerHistory: { priorBookings: 3 } };
		const out = await run({ parameters: { resource: 'score', operation: 'noShow' }, items: [{ json: booking }, { json: safe }] });
		expect(out[1].json.ai_no_show_probability as number).toBeLessThan((out[0].json.ai_no_show_probability as number) / 3);
		expect(out[1].json.ai_no_show_risk).toBe('low');
	});

	it('marks output shadow in shadow mode, or when the input item is shadow', async () => {
		const out = await run({ parameters: { resource: 'score', operation: 'noShow', shadowMode: (i: number) => i === 0 }, items: [{ json: booking }, { json: { ...booking, shadow: true } }, { json: booking }] });
		expect(out.map((o) => o.json.shadow)).toEqual([true, true, undefined]);
		expect((out[0].json.audit as IDataObject).result).toBe('shadow');
	});

	it('sends an item with nothing to score to the error output with the reason', async () => {
		const out = await run({ parameters: { resource: 'score', operation: 'noShow' }, items: [{ json: booking }, { json: { hello: 'world' } }], continueOnFail: true });
		expect(out[1].json.error).toMatch(/nothing to score/);
		expect(out[1].json.description).toMatch(/startsAt/);
		expect(out[1].json).toMatchObject({ hello: 'world', field: null, httpCode: null });
		expect(out[1].pairedItem).toEqual({ item: 1 });
		await expect(run({ parameters: { resource: 'score', operation: 'noShow' }, items: [{ json: {} }] })).rejects.toThrow(/nothing to score/);
	});
});

describe('AI Scorer: Train and score with the trained model', () => {
	const history = syntheticBookings(3000, 5).map((b) => ({ json: b.json }));

	let trained: IDataObject;
	beforeAll(async () => {
		const [item] = await run({
			parameters: { resource: 'model', operation: 'train', task: 'noShow', labelField: 'noShow', algorithm: 'gbdt', options: { binaryPropertyName: 'model', maxIterations: 40 } },
			items: history,
		});
		trained = item.json;
		expect(item.binary?.model.mimeType).toBe('application/json');
		expect(item.pairedItem).toHaveLength(3000);
	});

	it('reports held-out AUC, log loss and calibration', () => {
		const m = trained.metrics as IDataObject;
		expect(m.testRows).toBe(600);
		expect(m.auc as number).toBeGreaterThan(0.68);
		expect(m.logLoss as number).toBeLessThan(0.6);
		expect((m.calibration as IDataObject).bins).toBeInstanceOf(Array);
		expect((trained.model as IDataObject).trained).toBe(true);
		expect(trained.ai_model_version).toMatch(/^1\.0\.0\+[0-9a-f]{8}$/);
	});

	it('accepts the model from an input field, a binary file and a workflow variable, with the same score', async () => {
		const model = trained.model as IDataObject;
		const text = JSON.stringify(model);
		const fromField = await run({ parameters: { resource: 'score', operation: 'noShow', modelSource: 'field', modelField: 'model' }, items: [{ json: { ...booking, model } }] });
		const fromBinary = await run({ parameters: { resource: 'score', operation: 'noShow', modelSource: 'binary', modelBinaryProperty: 'data' }, items: [{ json: booking }], binary: { data: Buffer.from(text) } });
		const fromVar = await run({ parameters: { resource: 'score', operation: 'noShow', modelSource: 'variable', modelVariable: 'no_show_model' }, items: [{ json: booking }], variables: { no_show_model: text } });
		const p = fromField[0].json.ai_no_show_probability;
		expect(fromBinary[0].json.ai_no_show_probability).toBe(p);
		expect(fromVar[0].json.ai_no_show_probability).toBe(p);
		expect((fromVar[0].json.ai as IDataObject).model).toMatchObject({ id: 'peekpro.no_show', trained: true, version: trained.ai_model_version });
	});

	it('rejects a model for another task with a readable error', async () => {
		const out = await run({ parameters: { resource: 'score', operation: 'customerValue', modelSource: 'field', modelField: 'model' }, items: [{ json: { bookingCount: 2, lastBookingAt: '2025-01-01T00:00:00Z', model: trained.model } }], continueOnFail: true });
		expect(out[0].json.error).toMatch(/trained for "noShow"/);
	});
});

describe('AI Scorer: Score Cart Abandonment', () => {
	const cart = { cart: { total: 240, partySize: 2, startsAt: '2026-07-20T09:00:00Z', updatedAt: '2026-07-01T10:00:00Z' }, device: 'mobile', checkoutStep: 'details', sessions: 1, customer: { email: 'a@b.co', phone: '+1 415 555 0100', smsMarketingConsent: true } };

	it('recommends a capped discount, the channel and a delay', async () => {
		const [item] = await run({ parameters: { resource: 'score', operation: 'cartAbandonment', maxDiscountPercent: 10, options: { asOf: '2026-07-01T12:00:00Z' } }, items: [{ json: cart }] });
		const j = item.json;
		expect(j.ai_cart_conversion_probability as number).toBeLessThan(0.25);
		expect(j.ai_recovery_incentive).toBe('discount');
		expect(j.ai_recovery_discount_percent).toBe(10);
		expect(j.ai_recovery_channel).toBe('sms');
		expect(j.ai_recovery_delay_minutes).toBeGreaterThan(0);
	});

	it('never recommends SMS without consent', async () => {
		const [item] = await run({ parameters: { resource: 'score', operation: 'cartAbandonment', maxDiscountPercent: 0, options: { asOf: '2026-07-01T12:00:00Z' } }, items: [{ json: { ...cart, customer: { email: 'a@b.co', phone: '+1 415 555 0100' } } }] });
		expect(item.json.ai_recovery_channel).toBe('email');
		expect(item.json.ai_recovery_discount_percent).toBe(0);
		expect(item.json.ai_recovery_incentive).toBe('urgency');
	});
});

describe('AI Scorer: Score Customer Value', () => {
	it('ranks a recent, frequent, happy customer above a lapsed unhappy one', async () => {
		const asOf = '2026-01-01T00:00:00Z';
		const loyal = { email: 'l@x.io', bookings: [{ purchasedAt: '2024-02-01T00:00:00Z', total: 200 }, { purchasedAt: '2024-09-01T00:00:00Z', total: 220 }, { purchasedAt: '2025-11-20T00:00:00Z', total: 260 }], surveyScore: 5 };
		const lapsed = { email: 'z@x.io', bookings: [{ purchasedAt: '2022-05-01T00:00:00Z', total: 80 }], reviewText: 'Terrible, the guide was rude and late. Never again.' };
		const out = await run({ parameters: { resource: 'score', operation: 'customerValue', horizonDays: 365, averageBookingValue: 120, options: { asOf } }, items: [{ json: loyal }, { json: lapsed }] });
		const [a, b] = out.map((o) => o.json);
		expect(a.ai_rebook_probability as number).toBeGreaterThan(b.ai_rebook_probability as number);
		expect(a.ai_churn_risk as number).toBeLessThan(b.ai_churn_risk as number);
		expect(b.ai_churn_risk as number).toBeGreaterThan(50);
		expect(a.ai_predicted_ltv as number).toBeGreaterThan(b.ai_predicted_ltv as number);
		expect(Number.isInteger(a.ai_churn_risk)).toBe(true);
		expect((a.ai as IDataObject).model).toMatchObject({ id: 'peekpro.customer_value', trained: false });
	});
});

describe('AI Scorer: Recommend Next Activity', () => {
	const catalogue = [
		{ id: 'kayak', name: 'Sunrise Kayak', type: 'water', location: 'Monterey', tags: ['family', 'wildlife'], price: 80 },
		{ id: 'snorkel', name: 'Kelp Snorkel', type: 'water', location: 'Monterey', tags: ['wildlife'], price: 95 },
		{ id: 'wine', name: 'Wine Tasting', type: 'food', location: 'Carmel', tags: ['adults'], price: 120 },
		{ id: 'photo', name: 'Photo Add-on', type: 'add-on', location: 'Monterey', tags: ['family'], price: 25 },
	];
	it('returns top-k with a reason each, blending similarity and co-bookings', async () => {
		const history = [['kayak', 'photo'], ['kayak', 'photo'], ['kayak', 'photo'], ['kayak', 'snorkel']];
		const [item] = await run({ parameters: { resource: 'score', operation: 'nextBestActivity', catalogue: JSON.stringify(catalogue), coBookingHistory: history, topK: 2 }, items: [{ json: { activity: { id: 'kayak' } } }] });
		const recs = (item.json.ai as IDataObject).recommendations as Array<IDataObject>;
		expect(recs.map((r) => r.id)).toEqual(['snorkel', 'photo']);
		expect(recs[1].reason).toContain('booked together by 3 customers');
		expect(item.json.ai_next_best_activity).toBe('Kelp Snorkel');
		const contentOnly = await run({ parameters: { resource: 'score', operation: 'nextBestActivity', catalogue, coBookingHistory: history, topK: 1, options: { contentWeight: 0.1 } }, items: [{ json: { activity: { id: 'kayak' } } }] });
		expect(contentOnly[0].json.ai_next_best_activity_id).toBe('photo');
	});
});

describe('AI Scorer: Segment Customers', () => {
	it('gives the same named segments whatever the item order', async () => {
		const customers: IDataObject[] = [];
		for (let i = 0; i < 30; i++) {
			const g = i % 3;
			customers.push({
				email: `c${i}@example.com`,
				bookings: [
					g === 0
						? { total: 400, partySize: 4, leadTimeDays: 30, activity: { type: 'hiking', tags: ['family', 'adventure'] } }
						: g === 1
							? { total: 450 + i, partySize: 1, leadTimeDays: 20, activity: { type: 'private yacht', tags: ['luxury'] } }
							: { total: 90, partySize: 2, leadTimeDays: 0.5, activity: { type: 'sightseeing', tags: [] } },
				],
			});
		}
		const a = await run({ parameters: { resource: 'score', operation: 'segment', numberOfSegments: 3 }, items: customers.map((json) => ({ json })) });
		const b = await run({ parameters: { resource: 'score', operation: 'segment', numberOfSegments: 3 }, items: [...customers].reverse().map((json) => ({ json })) });
		const byEmail = (out: INodeExecutionData[]) => Object.fromEntries(out.map((o) => [o.json.email, o.json.ai_segment]));
		expect(byEmail(b)).toEqual(byEmail(a));
		expect(new Set(a.map((o) => o.json.ai_segment))).toEqual(new Set(['Adventure Families', 'Solo Luxury Travelers', 'Last-Minute Bookers']));
		expect(a[0].json.ai_segment).toBe('Adventure Families');
		expect(a.every((o, i) => (o.pairedItem as { item: number }).item === i)).toBe(true);
	});
});
