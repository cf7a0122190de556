#!/usr/bin/env node
// `npm run demo:send`: sends sample Peek Pro deliveries into the running demo n8n (`npm start`), so a
// newcomer sees executions, scores and the exact requests that would go to Klaviyo, with no vendor
// account. It only talks to a running demo (found through the demo.json that npm start writes): it
// never builds, provisions or starts anything, and says so when no demo runs. Steps:
//   1. seeds the demo Peek sandbox with sample bookings (a first-time guest, a returning guest, a
//      pending cart, a regular guest checking in), so the templates' verify-by-fetch and history reads
//      find them;
//   2. posts Peek-shaped deliveries to each published template's production URL, and one Shopify-shaped
//      order to the eCommerce webhook entry;
//   3. waits for the executions and prints how each ended, then where to look.
// Options: --n8n http://127.0.0.1:5678 (or N8N_URL) and --peek http://127.0.0.1:5690 for a demo started
// some other way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_TABLE, N8nHost, projectRoot } from '../test/harness/n8n.mjs';
import { DEMO_KEYS, demoFolder, demoStateFile, runningDemo } from './sandboxes.mjs';
import { WAITLIST_COLUMNS, WAITLIST_TABLE } from './templates/waitlist-spot-fill.mjs';

const arg = (name) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : undefined;
};
const say = (msg) => process.stdout.write(`${msg}\n`);

const demo = runningDemo();
const explicitUrl = arg('n8n') ?? process.env.N8N_URL;
if (!explicitUrl && !demo) {
	say(`No demo is running (no live npm start recorded in ${demoStateFile()}). Nothing was sent.
Start it first, in another terminal:  npm start
(the first run installs n8n and takes several minutes; run this again once it prints "n8n ... is running").`);
	process.exit(1);
}
if (!explicitUrl && demo.status !== 'running') {
	say(`The demo is still starting (npm start, PID ${demo.pid}). Nothing was sent; run this again once it prints "n8n ... is running".`);
	process.exit(1);
}
const n8nUrl = (explicitUrl ?? demo.n8nUrl).replace(/\/$/, '');
const peekUrl = (arg('peek') ?? demo?.sandboxes?.peek ?? 'http://127.0.0.1:5690').replace(/\/$/, '');
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
		// A regular: four earlier trips over two years, then this one, rated 9/10. The post-trip flow's
		// "Likely to Rebook" event needs a rebook probability of at least Config.rebookThreshold (0.5);
		// a first-time guest scores well below it with the default model.
		...Object.fromEntries(
			[700, 520, 330, 160].map((days, i) => [
				`regular${i}`,
				booking(id(`trip${i}`), { email: `rita.${runTag}@example.com`, first: 'Rita', last: 'Trip', product: PRODUCTS[i % 3], checkedIn: true, purchasedAt: iso(now - days * DAY), startTime: iso(now - (days - 7) * DAY), extra: { surveyScore: 9 } }),
			]),
		),
		checkedIn: booking(id('trip'), { email: `rita.${runTag}@example.com`, first: 'Rita', last: 'Trip', product: PRODUCTS[0], checkedIn: true, purchasedAt: iso(now - 30 * DAY), startTime: iso(now - 3600_000), extra: { surveyScore: 9, reviewText: 'Amazing tour, great guide' } }),
		// A cancellation on the sandbox's slot ts_1, whose seats the waitlist spot-fill template offers.
		cancelled: booking(id('cancel'), { email: `carl.${runTag}@example.com`, first: 'Carl', last: 'Cancel', product: PRODUCTS[0], status: 'cancelled', purchasedAt: iso(now - 20 * DAY), startTime: iso(now + 6 * DAY) }),
		// Led by a guide with an Outlook mailbox: the guide calendar sync's event (Graph sandbox).
		guided: booking(id('guided'), { email: `gus.${runTag}@example.com`, first: 'Gus', last: 'Guided', product: PRODUCTS[2], purchasedAt: iso(now - 60_000), startTime: iso(Math.floor((now + 7 * DAY) / 3600_000) * 3600_000), extra: { guides: [{ id: 'gd_sam', name: 'Sam Guide', email: 'sam.guide@tours.demo' }] } }),
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
	say(`n8n is not reachable at ${n8nUrl}${demo ? ` although npm start (PID ${demo.pid}) runs; see its terminal` : ''}. Nothing was sent.`);
	process.exit(1);
}

// A host object for REST calls only: it never provisions or starts n8n (that happens only in start()).
const host = new N8nHost({ userFolder: demoFolder(), port: Number(new URL(n8nUrl).port || 80) });
host.baseUrl = n8nUrl;
let loggedIn = false;
try {
	await host.login();
	loggedIn = true;
	// The templates store their audit rows in this Data Table; npm start made it, unless it was deleted.
	await host.ensureDataTable(AUDIT_TABLE);
} catch (error) {
	say(`Could not check the audit Data Table peekpro_ai_audit (${error.message}); create it in Overview → Data tables if executions fail at "Save audit".`);
}

const bookings = sampleBookings();
const seeded = await seedSandbox(bookings);
const fallback = { ...bookings.newGuest, id: 'b_1001' };
if (!seeded) say(`The Peek sandbox at ${peekUrl} has no seeding route; using its built-in sample booking b_1001 for every delivery.`);
const pick = (b) => (seeded ? b : fallback);

/** Two waiting guests on slot ts_1 in the waitlist Data Table the spot-fill template reads. */
async function seedWaitlist() {
	if (!loggedIn) return;
	try {
		const projectId = await host.personalProjectId();
		const tableId = await host.ensureDataTable({ name: WAITLIST_TABLE, columns: WAITLIST_COLUMNS });
		const data = [
			{ entryId: `demo_w1_${runTag}`, timeslotId: 'ts_1', productId: 'p_kayak', partySize: 'two', name: 'Wanda Wait', email: `wanda.${runTag}@example.com`, joinedAt: iso(Date.now() - 3 * DAY), status: 'waiting' },
			{ entryId: `demo_w2_${runTag}`, timeslotId: 'ts_1', productId: 'p_kayak', partySize: '3 adults', name: 'Will Later', email: `will.${runTag}@example.com`, joinedAt: iso(Date.now() - DAY), status: 'waiting' },
		];
		await host.rest('POST', `/rest/projects/${projectId}/data-tables/${tableId}/insert`, { data, returnType: 'count' });
	} catch (error) {
		say(`Could not add sample waitlist entries to ${WAITLIST_TABLE} (${error.message}); the spot-fill execution will find no one to offer the seats to.`);
	}
}
await seedWaitlist();

const byFlow = Object.fromEntries(templates().map((wf) => [wf.meta?.peekproAi?.flow, wf]));
const triggerUrl = (wf) => {
	const t = wf?.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger');
	return t ? `${n8nUrl}/webhook/${t.webhookId}/webhook` : undefined;
};

// What each delivery leads to. Each line must stay true of what the template then does with this
// sample data (checked against a real run: see README "Try it").
const sends = [
	['post-booking-upsell', pick(bookings.newGuest), 'booking.created', 'a first booking → next best activity → Klaviyo profile + "Activity Booked" event with recommendations (for the 10% holdout group: the generic event only); shadow mode shows the requests, sends nothing'],
	['welcome-back', pick(bookings.returningNew), 'booking.created', 'a second booking → LLM-written draft → in shadow mode the draft and the would-be "Welcome Back" event, no email; live, an approval email held until approved in the mailbox'],
	['abandoned-cart-recovery', pick(bookings.pendingCart), 'booking.updated', 'a pending booking → waits Config.waitMinutes (60 min) → still pending? → abandonment score → "Cart Abandoned" event'],
	['waitlist-spot-fill', pick(bookings.cancelled), 'booking.cancelled', 'a cancellation frees 2 seats on slot ts_1 → the waitlist (2 waiting guests) → no-show scores → Waitlist Filler offers the seats to Wanda (waited longest, party of 2); shadow mode shows the would-be hold and offer, sends nothing'],
	['guide-calendar-sync', pick(bookings.guided), 'booking.created', 'a booking led by Sam Guide → conflict check in his Outlook calendar → in shadow mode (read-only) the event it would create; with shadowMode false in its Config, the event appears in sam.guide@tours.demo\'s calendar on the Graph sandbox and its id is written back to the Peek booking'],
	['post-trip-repeat-booking', pick(bookings.checkedIn), 'booking.checked_in', 'a regular guest checks in (5 bookings, survey 9/10) → rebook likelihood → Klaviyo profile + "Likely to Rebook" event'],
];

const sentAt = Date.now();
const started = [];
say(`Sending sample deliveries to ${n8nUrl}:`);
for (const [flow, b, event, what] of sends) {
	const wf = byFlow[flow];
	const url = triggerUrl(wf);
	if (!url) continue;
	const r = await post(url, delivery(b, event), { 'x-peek-delivery-id': `demo-${flow}-${runTag}` });
	say(`  ${r.status === 200 ? 'ok ' : `${r.status}`}  ${wf.name}: ${what}${r.status === 200 ? '' : ` (${r.text})`}`);
	if (r.status === 200) started.push(wf);
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
const ecommerceWf = byFlow['ecommerce-next-best-action'];
const ecommerce = await post(`${n8nUrl}/webhook/peekpro-ai-ecommerce`, order, { 'x-shopify-topic': 'orders/create' });
say(`  ${ecommerce.status === 200 ? 'ok ' : `${ecommerce.status}`}  PeekPro AI · eCommerce next best action: a Shopify-shaped order → LTV, churn, abandonment → Klaviyo profile + "AI Next Best Action" event (Braze off)`);
if (ecommerce.status === 200 && ecommerceWf) started.push(ecommerceWf);

/** How each started execution ended, read back from n8n (status only: the details are in the editor). */
async function outcomes() {
	const result = new Map();
	const t0 = Date.now();
	while (Date.now() - t0 < 60_000) {
		for (const wf of started) {
			const list = (await host.executions(wf.id)).filter((e) => Date.parse(e.startedAt ?? e.createdAt ?? 0) >= sentAt - 5_000);
			if (list.length) result.set(wf.id, list[0]);
		}
		const settled = [...result.values()].filter((e) => ['success', 'error', 'crashed', 'waiting', 'canceled'].includes(e.status));
		if (settled.length === started.length) break;
		await new Promise((r) => setTimeout(r, 1000));
	}
	return result;
}

if (loggedIn && started.length) {
	say('\nWaiting for the executions ...');
	const ended = await outcomes();
	for (const wf of started) {
		const e = ended.get(wf.id);
		const what = !e
			? 'no execution seen within 60 s'
			: e.status === 'waiting'
				? flowWaitNote(wf)
				: e.status === 'success'
					? flowDoneNote(wf)
					: `${e.status}: open ${n8nUrl}/workflow/${wf.id}/executions/${e.id}`;
		say(`  ${e?.status === 'success' || e?.status === 'waiting' ? 'ok ' : '!! '}  ${wf.name}: ${what}`);
	}
}

function flowDoneNote(wf) {
	if (wf.meta?.peekproAi?.flow === 'welcome-back') {
		return `finished (shadow mode sends no approval email; set shadowMode to false in its Config, send again, and the email waits in the mailbox${demo?.mailboxUrl ? ` ${demo.mailboxUrl}` : ''})`;
	}
	if (wf.meta?.peekproAi?.flow === 'waitlist-spot-fill') {
		return `finished: the Waitlist Filler's "Promote now" output holds the offer (shadow mode: no hold, no email; set shadowMode to false in its Config, send again, and the offer email lands in the mailbox${demo?.mailboxUrl ? ` ${demo.mailboxUrl}` : ''} and the execution waits out the offer window)`;
	}
	return 'finished';
}

function flowWaitNote(wf) {
	const flow = wf.meta?.peekproAi?.flow;
	if (flow === 'welcome-back') return `waiting for approval: read the email in the mailbox${demo?.mailboxUrl ? ` (${demo.mailboxUrl})` : ''} and click Approve`;
	if (flow === 'abandoned-cart-recovery') return 'waiting (Config.waitMinutes) before it re-reads the booking';
	if (flow === 'waitlist-spot-fill') return `offer sent${demo?.mailboxUrl ? ` (mailbox ${demo.mailboxUrl})` : ''}, slot held; waiting out the offer window (Config.offerWindowMinutes) before the next guest gets the seats`;
	return 'waiting';
}

say(`
Where to look:
  - ${demo?.editorUrl ?? n8nUrl}/home/executions : one execution per delivery; open one and click the AI Scorer node for
    the scores and reasons, and a Klaviyo node for the exact request it would send (shadow mode is on).
  - Overview → Data tables → peekpro_ai_audit : one row per decision (model, input hash, would-be request).${demo?.mailboxUrl ? `\n  - ${demo.mailboxUrl} : emails the demo sends; with welcome back live (shadowMode false), its approval email, whose Approve resumes the execution.` : ''}
  - Scheduled templates (pre-trip, lapsed, segment sync, churn win-back, no-show risk scan): open one and click "Execute workflow".
  - To go live against the Klaviyo sandbox, set shadowMode to false in a template's Config node.`);
