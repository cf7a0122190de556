import type { IDataObject } from 'n8n-workflow';

import { parseNumber } from '../number';

/**
 * Shopify orders and checkouts (from n8n's Shopify Trigger, or a store posting to a Webhook node)
 * → the booking-shaped item the pack's nodes read (canonical.ts fields: id, source, status,
 * customer, activity, total, partySize, startsAt, purchasedAt) plus the order facts the scorers use.
 *
 * Shopify's shapes vary by API version and by the app that relays them, so nothing is assumed:
 * `line_items`, `note_attributes` and line `properties` may be arrays or objects (a single line, or
 * a map keyed by id/name); money may be a number, a string with a symbol ("$298.71") or a
 * `*_set.shop_money` object. Amounts are read by the pack's one number parser. A value that cannot
 * be read is left out and named in `warnings`, never turned into 0.
 */

type Obj = IDataObject;

function obj(value: unknown): Obj | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** An array from an array, a single object, or an object of objects keyed by id or name. */
export function asList(value: unknown): Obj[] {
	if (Array.isArray(value)) return value.filter((v): v is Obj => Boolean(obj(v)));
	const o = obj(value);
	if (!o) return [];
	const values = Object.values(o);
	// A map of lines ({ "123": {...}, "124": {...} }) or one line ({ title, quantity, ... }).
	if (values.length > 0 && values.every((v) => obj(v))) return values as Obj[];
	return [o];
}

/** name/value pairs from `[{name, value}]` or `{ name: value }`. */
function pairs(value: unknown): Array<{ name: string; value: unknown }> {
	if (Array.isArray(value)) return value.map((p) => obj(p)).filter((p): p is Obj => Boolean(p)).map((p) => ({ name: String(p.name ?? p.key ?? ''), value: p.value }));
	const o = obj(value);
	return o ? Object.entries(o).map(([name, v]) => ({ name, value: v })) : [];
}

export interface OrderMoney {
	amount?: number;
	currency?: string;
}

/** Money from a number, a typed string ("$298.71", "298,71 €") or Shopify's `{shop_money:{amount,currency_code}}`. */
export function orderMoney(value: unknown, set?: unknown): OrderMoney & { reason?: string } {
	const shop = obj(obj(set)?.shop_money) ?? obj(obj(set)?.presentment_money);
	const source = value ?? shop?.amount;
	if (source === undefined || source === null || source === '') return {};
	const parsed = parseNumber(source);
	const currency = text(shop?.currency_code)?.toUpperCase() ?? (parsed.ok ? parsed.currency : undefined);
	return parsed.ok ? { amount: parsed.value, ...(currency ? { currency } : {}) } : { reason: parsed.reason };
}

export interface NormalizedOrder extends IDataObject {
	id: string;
	source: 'shopify';
	kind: 'order' | 'checkout';
	topic: string;
	status: 'confirmed' | 'pending';
}

/** Where the Shopify object sits in an item: the item itself, a webhook's `body`, or a relay's `payload`. */
export function shopifyObjectOf(json: IDataObject): { raw: Obj; topic?: string } {
	const headers = obj(json.headers) ?? {};
	const outer = obj(json.body) ?? json;
	const raw = obj(outer.payload) ?? outer;
	const topic = text(outer.topic) ?? text(raw.topic) ?? text(headers['x-shopify-topic']);
	return { raw, topic };
}

export function normalizeShopifyOrder(json: IDataObject): NormalizedOrder {
	const { raw: o, topic: given } = shopifyObjectOf(json);
	const warnings: Array<{ field: string; reason: string }> = [];
	const isCheckout = given ? given.startsWith('checkouts') : o.abandoned_checkout_url !== undefined || (o.token !== undefined && o.order_number === undefined && o.id === undefined);
	const topic = given ?? (isCheckout ? 'checkouts/update' : 'orders/create');
	const c = obj(o.customer) ?? {};
	const lines = asList(o.line_items);
	const props = [...lines.flatMap((l) => pairs(l.properties)), ...pairs(o.note_attributes)];
	const prop = (re: RegExp) => props.find((p) => re.test(p.name))?.value;

	const total = orderMoney(o.total_price, o.total_price_set);
	if (total.reason) warnings.push({ field: 'total_price', reason: `The order total was left out: ${total.reason}` });
	const currency = text(o.currency)?.toUpperCase() ?? text(o.presentment_currency)?.toUpperCase() ?? total.currency;
	const spent = orderMoney(c.total_spent);
	const ordersCount = parseNumber(c.orders_count);
	const orders = ordersCount.ok ? ordersCount.value : isCheckout ? 0 : 1;
	const quantity = lines.reduce((sum, l) => {
		const q = parseNumber(l.quantity);
		return sum + (q.ok ? q.value : 0);
	}, 0);
	const first = lines[0] ?? {};
	const startsAt = text(prop(/date|start/i));
	const createdAt = text(o.created_at);

	const out: NormalizedOrder = {
		id: text(o.id) ?? text(o.token) ?? '',
		source: 'shopify',
		kind: isCheckout ? 'checkout' : 'order',
		topic,
		status: isCheckout && !o.completed_at ? 'pending' : 'confirmed',
		customer: {
			...(text(c.id) ? { id: text(c.id) } : {}),
			...(text(o.email) ?? text(c.email) ? { email: text(o.email) ?? text(c.email) } : {}),
			...(text(o.phone) ?? text(c.phone) ? { phone: text(o.phone) ?? text(c.phone) } : {}),
			...(text(c.first_name) ? { firstName: text(c.first_name) } : {}),
			...(text(c.last_name) ? { lastName: text(c.last_name) } : {}),
			...(text(obj(o.billing_address)?.country_code) ?? text(obj(c.default_address)?.country_code)
				? { country: text(obj(o.billing_address)?.country_code) ?? text(obj(c.default_address)?.country_code) }
				: {}),
			...(typeof o.buyer_accepts_marketing === 'boolean' ? { emailMarketingConsent: o.buyer_accepts_marketing } : {}),
		},
		activity: { ...(text(first.product_id) ? { id: text(first.product_id) } : {}), ...(text(first.title) ? { name: text(first.title) } : {}), tags: [] },
		...(total.amount !== undefined ? { total: { amount: total.amount, ...(currency ? { currency } : {}) } } : {}),
		...(quantity > 0 ? { partySize: quantity } : {}),
		...(startsAt ? { startsAt } : {}),
		...(createdAt ? { purchasedAt: createdAt, lastBookingAt: createdAt } : {}),
		...(text(o.updated_at) ? { updatedAt: text(o.updated_at) } : {}),
		...(isCheckout ? { checkoutStep: o.shipping_address ? 2 : 1 } : {}),
		...(text(o.abandoned_checkout_url) ? { recoveryUrl: text(o.abandoned_checkout_url) } : {}),
		bookingCount: Math.max(orders, 1),
		totalSpent: spent.amount ?? total.amount ?? 0,
		lineItems: lines.length,
	};
	if (!out.id) warnings.push({ field: 'id', reason: 'The order has no id or token' });
	if (warnings.length) out.warnings = warnings;
	return out;
}
