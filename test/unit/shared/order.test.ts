import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { asList, normalizeShopifyOrder } from '../../../nodes/shared/model/order';
import { createFakeContext } from '../../helpers/n8nContext';

const ORDER = {
	id: 820982911946154500,
	email: 'shopper@example.com',
	created_at: '2026-06-01T10:00:00-04:00',
	currency: 'USD',
	total_price: '$298.71',
	customer: { id: 115310627314723950, email: 'shopper@example.com', first_name: 'Sho', orders_count: '3', total_spent: '$1,420.00' },
	billing_address: { country_code: 'CA' },
	// An object where Shopify's REST API has an array: one line, not a list.
	line_items: { product_id: 632910392, title: 'Sunset Kayak Tour', quantity: 2, price: '149.35', properties: { 'Tour date': '2026-06-20T09:00:00-07:00' } },
};

describe('Shopify order normalizer (nodes/shared/model/order.ts)', () => {
	it('line_items as an object and total_price "$298.71" → one line, value 298.71', () => {
		const n = normalizeShopifyOrder({ headers: { 'x-shopify-topic': 'orders/create' }, body: ORDER });
		expect(n).toMatchObject({
			id: '820982911946154500',
			source: 'shopify',
			kind: 'order',
			topic: 'orders/create',
			status: 'confirmed',
			total: { amount: 298.71, currency: 'USD' },
			partySize: 2,
			startsAt: '2026-06-20T09:00:00-07:00',
			bookingCount: 3,
			totalSpent: 1420,
			activity: { id: '632910392', name: 'Sunset Kayak Tour' },
			customer: { email: 'shopper@example.com', firstName: 'Sho', country: 'CA' },
		});
		expect(n.warnings).toBeUndefined();
	});

	it.each([
		['an array of lines', [{ quantity: 1 }, { quantity: '2' }], 3],
		['a map of lines keyed by id', { '11': { quantity: 1 }, '12': { quantity: 4 } }, 5],
		['a single line object', { quantity: 2, title: 'x' }, 2],
		['nothing', undefined, undefined],
	])('line_items as %s', (_name, lineItems, partySize) => {
		expect(normalizeShopifyOrder({ id: 1, total_price: '10', line_items: lineItems as unknown as IDataObject }).partySize).toBe(partySize);
	});

	it.each([
		['a number', 298.71, 298.71],
		['a plain string', '298.71', 298.71],
		['a string with a symbol', '$298.71', 298.71],
		['European format with a code', '298,71 EUR', 298.71],
	])('total_price as %s', (_name, total, amount) => {
		expect((normalizeShopifyOrder({ id: 1, total_price: total }).total as IDataObject).amount).toBe(amount);
	});

	it('total_price_set.shop_money is read when total_price is missing', () => {
		expect(normalizeShopifyOrder({ id: 1, total_price_set: { shop_money: { amount: '12.50', currency_code: 'EUR' } } }).total).toEqual({ amount: 12.5, currency: 'EUR' });
	});

	it('an unreadable total is left out and named, never read as 0', () => {
		const n = normalizeShopifyOrder({ id: 1, total_price: 'call us' });
		expect(n.total).toBeUndefined();
		expect(n.warnings).toEqual([{ field: 'total_price', reason: expect.stringMatching(/left out/) }]);
	});

	it('a checkout is pending until completed', () => {
		expect(normalizeShopifyOrder({ token: 'tok', abandoned_checkout_url: 'https://shop/x', total_price: '5' })).toMatchObject({ id: 'tok', kind: 'checkout', status: 'pending', recoveryUrl: 'https://shop/x' });
	});

	it('asList keeps lists, wraps one object and unpacks keyed maps', () => {
		expect(asList([{ a: 1 }, 'x'])).toEqual([{ a: 1 }]);
		expect(asList({ a: 1 })).toEqual([{ a: 1 }]);
		expect(asList({ k: { a: 1 } })).toEqual([{ a: 1 }]);
	});

	it('the AI Scorer takes a Shopify order as input and outputs the normalized order with its scores', async () => {
		const ctx = createFakeContext({
			parameters: { resource: 'score', operation: 'customerValue', horizonDays: 365, averageBookingValue: 120, options: { input: 'shopifyOrder', includeInput: true } },
			items: [{ json: { headers: { 'x-shopify-topic': 'orders/create' }, body: ORDER } }],
		});
		const [out] = await new AiScorer().execute.call(ctx as unknown as IExecuteFunctions);
		expect(out[0].json).toMatchObject({ id: '820982911946154500', total: { amount: 298.71, currency: 'USD' }, kind: 'order' });
		expect(typeof out[0].json.ai_churn_risk).toBe('number');
		expect(out[0].json.body).toBeUndefined();
	});
});
