#!/usr/bin/env node
// `npm run demo:send`: sends sample Peek Pro deliveries into the running demo n8n (`npm start`), so a
// newcomer sees executions, scores and the exact requests that would go to Klaviyo, with no vendor
// account. Steps:
//   1. seeds the demo Peek sandbox with sample bookings (a first-time guest, a returning guest, a
//      pending cart, a checked-in guest), so the templates' verify-by-fetch and history reads find them;
//   2. posts Peek-shaped deliveries to each published template's production URL, and one Shopify-shaped
//      order to the eCommerce webhook entry;
//   3. prints where to look.
// Options: --n8n http://localhost:5678 (or N8N_URL), --peek http://127.0.0.1:5690 (the Peek sandbox of npm start).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_TABLE, N8nHost, projectRoot } from '../test/harness/n8n.mjs';
import { DEMO_KEYS, DEMO_PORTS } from './sandboxes.mjs';

const arg = (name) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
};
const n8nUrl = (arg('n8n') ?? process.env.N8N_URL ?? `http://localhost:${process.env.N8N_PORT ?? 5678}`).replace(/\/$/, '');
const peekUrl = (arg('peek') ?? `http://127.0.0.1:${DEMO_PORTS.peek}`).replace(/\/$/, '');
const say = (msg) => process.stdout.write(`${msg}\n`);
const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();
const runTag = Date.now().toString(36);

function booking(id, { email, first, last, product, purchasedAt, startTime, status = 'confirmed', checkedIn = false, extra = {} }) {
	return {
		id,
		displayId: `DEMO-${id}`,
		status,
		checkedIn,
		purchaser: { name: `${first} ${last}`, email, phone: '+15555550100', optinMarketing: true, optinSms: false },
		product,
		timeslotId: 'ts_1',
		startTime,
		endTime: startTime,
		quantity: 2,
		totalPrice: { amount: 240, currency: 'USD' },
		balance: { amount: 0, currency: 'USD' },
		purchasedAt,
		promoCodes: [],
		channel: 'website',
		...extra,
	};
}

const PRODUCTS = [
	{ id: 'p_kayak', name: 'Sunset Kayak Tour', type: 'kayaking', location: 'Lake Tahoe', tags: ['water', 'sunset', 'paddle'] },
	{ id: 'p_sup', name: 'Paddleboard Yoga', type: 'paddleboarding', location: 'Lake Tahoe', tags: ['water', 'paddle', 'wellness'] },
	{ id: 'p_hike', name: 'Ridge Hike', type: 'hiking', location: 'Lake Tahoe', tags: ['mountain', 'views'] },
];

function sampleBookings() {
	const now = Date.now();
	const id = (s) => `demo_${s}_${runTag}`;
	return {
		newGuest: booking(id('new'), { email: `ada.${runTag}@example.com`, first: 'Ada', last: 'Lovelace', product: PRODUCTS[0], purchasedAt: iso(now - 60_000), startTime: iso(now + 10 * DAY) }),
		returningPrev: booking(id('prev'), { email: `grace.${runTag}@example.com`, first: 'Grace', last: 'Hopper', product: PRODUCTS[2], purchasedAt: iso(now - 200 * DAY), startTime: iso(now - 190 * DAY), extra: { guides: [{ id: 'gd_1', name: 'Sam Guide' }] } }),
		returningNew: booking(id('again'), { email: `grace.${runTag}@example.com`, first: 'Grace', last: 'Hopper', product: PRODUCTS[0], purchasedAt: iso(now - 60_000), startTime: iso(now + 20 * DAY) }),
		pendingCart: booking(id('cart'), { email: `linus.${runTag}@example.com`, first: 'Linus', last: 'Cart', product: PRODUCTS[1], status: 'pending', purchasedAt: iso(now - 60_000), startTime: iso(now + 3 * DAY) }),
		checkedIn: booking(id('trip'), { email: `rita.${runTag}@example.com`, first: 'Rita', last: 'Trip', product: PRODUCTS[0], checkedIn: true, purchasedAt: iso(now - 30 * DAY), startTime: iso(now - 3600_000), extra: { surveyScore: 9, reviewText: 'Amazing tour, great guide' } }),
		tomorrow: booking(id('soon'), { email: `sunny.${runTag}@example.com`, first: 'Sunny', last: 'Soon', product: PRODUCTS[0], purchasedAt: iso(now - 5 * DAY), startTime: iso(now + 24 * 3600_000) }),
	};
}

/**
 * The demo sandbox runs inside `npm start`; it is seeded over its loopback-only sandbox route. A
 * sandbox without that route still holds its built-in sample booking b_1001, which is used instead.
 */
async function seedSandbox(bookings) {
	const headers = { 'content-type': 'application/json', 'x-api-key': DEMO_KEYS.peek };
	try {
		const res = await fetch(`${peekUrl}/__sandbox/seed`, { method: 'POST', headers, body: JSON.stringify({ bookings: Object.values(bookings), products: PRODUCTS }) });
		if (res.ok) return true;
	} catch (error) {
		throw new Error(`The Peek sandbox is not reachable at ${peekUrl} (${error.message}). Start the demo first: npm start`);
	}
	return false;
}

function templates() {
	const dir = join(projectRoot, 'workflows');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

function delivery(b, event) {
	// The Peek automation API's delivery shape: event name plus the booking (the trigger re-reads it from Peek).
	return { id: `evt_${b.id}_${event}_${runTag}`, eventType: event, data: b };
}

async function post(url, body, headers = {}) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
	return { status: res.status, text: (await res.text()).slice(0, 200) };
}

try {
	await fetch(`${n8nUrl}/healthz`);
} catch {
	say(`n8n is not reachable at ${n8nUrl}. Start the demo first (npm start), or pass --n8n <url>.`);
	process.exit(1);
}

// The templates store their audit rows in this Data Table; make sure the demo has it.
try {
	const url = new URL(n8nUrl);
	const host = new N8nHost({ userFolder: join(projectRoot, '.n8n-demo'), port: Number(url.port || 80) });
	host.baseUrl = n8nUrl;
	await host.login();
	await host.ensureDataTable(AUDIT_TABLE);
} catch (error) {
	say(`Could not check the audit Data Table peekpro_ai_audit (${error.message}); create it in Overview → Data tables if executions fail at "Save audit".`);
}

const bookings = sampleBookings();
const seeded = await seedSandbox(bookings);
const fallback = { ...bookings.newGuest, id: 'b_1001' };
if (!seeded) say(`The Peek sandbox at ${peekUrl} has no seeding route; using its built-in sample booking b_1001 for every delivery.`);
const pick = (b) => (seeded ? b : fallback);

const byFlow = Object.fromEntries(templates().map((wf) => [wf.meta?.peekproAi?.flow, wf]));
const triggerUrl = (wf) => {
	const t = wf?.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger');
	return t ? `${n8nUrl}/webhook/${t.webhookId}/webhook` : undefined;
};

const sends = [
	['post-booking-upsell', pick(bookings.newGuest), 'booking.created', 'a first booking → next best activity → "Activity Booked" (would-be request in shadow mode)'],
	['welcome-back', pick(bookings.returningNew), 'booking.created', 'a second booking → LLM draft → approval email to the reviewer (see the Approvals SMTP credential)'],
	['abandoned-cart-recovery', pick(bookings.pendingCart), 'booking.updated', 'a pending booking → waits Config.waitMinutes → abandonment score → recovery event'],
	['post-trip-repeat-booking', pick(bookings.checkedIn), 'booking.checked_in', 'a check-in with a survey score → rebook likelihood → profile + "Likely to Rebook"'],
];

say(`Sending sample deliveries to ${n8nUrl}:`);
for (const [flow, b, event, what] of sends) {
	const url = triggerUrl(byFlow[flow]);
	if (!url) continue;
	const r = await post(url, delivery(b, event), { 'x-peek-delivery-id': `demo-${flow}-${runTag}` });
	say(`  ${r.status === 200 ? 'ok ' : `${r.status}`}  ${byFlow[flow].name}: ${what}${r.status === 200 ? '' : ` (${r.text})`}`);
}
const order = {
	id: Number(Date.now()),
	name: '#DEMO1',
	email: `shopper.${runTag}@example.com`,
	created_at: new Date().toISOString(),
	currency: 'USD',
	total_price: '199.00',
	customer: { id: 7001, email: `shopper.${runTag}@example.com`, first_name: 'Sho', last_name: 'Pper', orders_count: 3, total_spent: '420.00' },
	line_items: [{ product_id: 632910392, title: 'Sunset Kayak Tour', quantity: 2, price: '99.50', properties: [{ name: 'Tour date', value: iso(Date.now() + 5 * DAY) }] }],
};
const ecommerce = await post(`${n8nUrl}/webhook/peekpro-ai-ecommerce`, order, { 'x-shopify-topic': 'orders/create' });
say(`  ${ecommerce.status === 200 ? 'ok ' : `${ecommerce.status}`}  PeekPro AI · eCommerce next best action: a Shopify-shaped order → LTV, churn, abandonment → Klaviyo (and Braze when enabled)`);

say(`
Where to look:
  - ${n8nUrl}/home/executions : one execution per delivery; open one and click the AI Scorer node for the
    scores and reasons, and a Klaviyo node for the exact request it would send (shadow mode is on).
  - Overview → Data tables → peekpro_ai_audit : one row per decision (model, input hash, would-be request).
  - Scheduled templates (pre-trip, lapsed, segment sync, churn win-back): open one and click "Execute workflow".
  - To go live against the Klaviyo sandbox, set shadowMode to false in a template's Config node.`);
