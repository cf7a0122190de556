// Real-world data in the real n8n, through the shipped templates, asserted at the vendor fakes:
// (a) segment sync with guest-typed phones — the Klaviyo bulk import holds every other profile with
//     an E.164 phone, and the one phone that cannot be read is left out without failing the batch;
// (b) the same Shopify order (line_items as an object, total_price "$298.71") delivered 3 times —
//     one Klaviyo event with value 298.71 and one Braze users/track call;
// (c) welcome back in shadow mode: a second booking is drafted and audited, but no approval email
//     leaves and nothing reaches Klaviyo.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sampleDelivery, samplePeekBooking } from '../../fakes/peek.mjs';
import { deliver, finishedCount, klaviyoEvents, nextExecution, postWebhook, publish, runScheduled, setConfig, stringify, workflow } from './20-templates.mjs';

const ID = { segment: 'PeekProAiSegm001', ecommerce: 'PeekProAiEcom001', welcome: 'PeekProAiWelc001' };
const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();

/** How guests type their phones in Peek; the E.164 Klaviyo must receive (Config.defaultPhoneCountry = US). */
const GUESTS = [
	{ email: 'rd.alberta@example.com', phone: '+1 (403) 555-0142', e164: '+14035550142' },
	{ email: 'rd.dashes@example.com', phone: '403-555-0199', e164: '+14035550199' },
	{ email: 'rd.london@example.com', phone: '0044 20 7946 0958', e164: '+442079460958' },
	{ email: 'rd.parens@example.com', phone: '(212) 555-0100', e164: '+12125550100' },
	{ email: 'rd.dots@example.com', phone: '212.555.0123', e164: '+12125550123' },
	{ email: 'rd.berlin@example.com', phone: '+49 30 901820', e164: '+4930901820' },
	{ email: 'rd.plain@example.com', phone: '+14035550177', e164: '+14035550177' },
	// Cannot be normalized: imported without a phone, and the batch still goes.
	{ email: 'rd.note@example.com', phone: 'call after 5pm', e164: undefined },
];

function seedGuests(peek) {
	const now = Date.now();
	GUESTS.forEach((g, i) => {
		const id = `rd_seg_${i}`;
		peek.bookings.set(
			id,
			samplePeekBooking({
				id,
				displayId: `BKG-${id}`,
				status: 'confirmed',
				checkedIn: false,
				purchaser: { name: `Guest ${i}`, email: g.email, phone: g.phone, optinMarketing: true, optinSms: false },
				product: { id: 'p_kayak', name: 'Sunset Kayak Tour', type: 'kayaking' },
				startTime: iso(now - (30 + i * 20) * DAY),
				endTime: iso(now - (30 + i * 20) * DAY),
				purchasedAt: iso(now - (40 + i * 20) * DAY),
			}),
		);
	});
}

function peekBooking(id, email, purchasedAt, startTime) {
	return samplePeekBooking({
		id,
		displayId: `BKG-${id}`,
		status: 'confirmed',
		checkedIn: false,
		purchaser: { name: 'Rory Returning', email, phone: '403-555-0111', optinMarketing: true, optinSms: false },
		product: { id: 'p_kayak', name: 'Sunset Kayak Tour', type: 'kayaking' },
		startTime,
		endTime: startTime,
		purchasedAt,
	});
}

function bulkImportedProfiles(fakes, from) {
	return fakes.klaviyo.requests
		.slice(from)
		.filter((r) => r.method === 'POST' && /\/api\/profile-bulk-import-jobs\/?$/.test(r.path))
		.flatMap((r) => r.body?.data?.attributes?.profiles?.data ?? [])
		.map((p) => p.attributes);
}

export async function register(getEnv) {
	test('real data: segment sync imports every guest with an E.164 phone; an unreadable phone fails neither the row nor the batch', { timeout: 180_000 }, async () => {
		const { host, fakes } = getEnv();
		seedGuests(fakes.peek);
		await setConfig(host, ID.segment, { shadowMode: false, numberOfSegments: 2, defaultPhoneCountry: 'US' });
		const from = fakes.klaviyo.requests.length;
		const run = await runScheduled(host, ID.segment);

		const profiles = bulkImportedProfiles(fakes, from);
		const byEmail = new Map(profiles.map((p) => [p.email, p]));
		for (const g of GUESTS) assert.ok(byEmail.has(g.email), `${g.email} is missing from the Klaviyo bulk import: ${stringify([...byEmail.keys()])}`);
		// The named case: typed "+1 (403) 555-0142" arrives as "+14035550142".
		assert.equal(byEmail.get('rd.alberta@example.com').phone_number, '+14035550142');
		for (const g of GUESTS) assert.equal(byEmail.get(g.email).phone_number, g.e164, `${g.phone} should arrive as ${g.e164}`);
		assert.ok(!('phone_number' in byEmail.get('rd.note@example.com')), 'the unreadable phone was sent');
		assert.ok(profiles.every((p) => p.phone_number === undefined || /^\+[1-9]\d{6,14}$/.test(p.phone_number)), 'a phone that is not E.164 reached Klaviyo');

		const jobs = fakes.klaviyo.requests.slice(from).filter((r) => /profile-bulk-import-jobs\/?$/.test(r.path));
		assert.ok(jobs.every((r) => r.valid !== false), `the Klaviyo fake found the import invalid: ${stringify(jobs.map((r) => r.errors))}`);
		const outputs = run.nodes['Bulk import profiles'] ?? [];
		const noted = outputs.find((o) => stringify(o.warnings).includes('phone_number'));
		assert.ok(noted, 'the row with the unreadable phone carries a warning');
		assert.ok(!stringify(noted.warnings).includes('call after 5pm'), 'the warning repeats what the guest typed');
	});

	test('real data: the same Shopify order delivered 3 times → one Klaviyo event worth 298.71 and one Braze users/track', { timeout: 180_000 }, async () => {
		const { host, fakes } = getEnv();
		await setConfig(host, ID.ecommerce, { shadowMode: false, sendToKlaviyo: true, sendToBraze: true });
		await publish(host, ID.ecommerce);
		const order = {
			id: 450789469000401,
			name: '#4401',
			email: 'rd.shopper@example.com',
			created_at: iso(Date.now() - 3600_000),
			currency: 'USD',
			total_price: '$298.71',
			customer: { id: 207119551000401, email: 'rd.shopper@example.com', first_name: 'Rae', last_name: 'Shopper', orders_count: 2, total_spent: '$512.40' },
			// An object where Shopify's REST API has an array (a relay flattened the single line).
			line_items: { product_id: 632910392, title: 'Sunset Kayak Tour', quantity: 2, price: '149.35', properties: [{ name: 'Tour date', value: iso(Date.now() + 5 * DAY) }] },
		};
		const brazeBefore = fakes.braze.requests.length;
		for (let n = 0; n < 3; n++) {
			const before = await finishedCount(host, ID.ecommerce);
			const res = await postWebhook(`${host.baseUrl}/webhook/peekpro-ai-ecommerce`, order, { 'x-shopify-topic': 'orders/create' });
			assert.equal(res.status, 200, res.text);
			await nextExecution(host, ID.ecommerce, before);
		}
		const events = klaviyoEvents(fakes, 'AI Next Best Action').filter((e) => e.profile.email === 'rd.shopper@example.com');
		assert.equal(events.length, 1, `one Klaviyo event for the order, got ${events.length}`);
		assert.equal(events[0].attributes.value, 298.71, 'the event carries the order total as typed by Shopify');
		assert.equal(events[0].attributes.properties.total_amount, 298.71);
		const braze = fakes.braze.requests.slice(brazeBefore).filter((r) => r.method === 'POST' && r.path === '/users/track');
		assert.equal(braze.length, 1, `one Braze users/track call for the order, got ${braze.length}`);
		assert.equal(String(braze[0].body.events[0].external_id), '207119551000401');
		await host.deactivate(ID.ecommerce);
	});

	test('real data: welcome back in shadow mode drafts and audits, but sends no approval email and nothing to Klaviyo', { timeout: 180_000 }, async () => {
		const { host, fakes } = getEnv();
		const now = Date.now();
		const email = 'rd.returning@example.com';
		fakes.peek.bookings.set('rd_wb_prev', peekBooking('rd_wb_prev', email, iso(now - 200 * DAY), iso(now - 190 * DAY)));
		fakes.peek.bookings.set('rd_wb_new', peekBooking('rd_wb_new', email, iso(now - 60_000), iso(now + 10 * DAY)));
		await setConfig(host, ID.welcome, { shadowMode: true, reviewerEmail: 'reviewer@tours.test' });
		await publish(host, ID.welcome);
		const wf = await workflow(host, ID.welcome);
		fakes.smtp.reset();
		const klaviyoBefore = fakes.klaviyo.requests.length;
		const before = await finishedCount(host, ID.welcome);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'rd_wb_new', event: 'booking.created' }));
		const run = await nextExecution(host, ID.welcome, before, { timeoutMs: 60_000 });

		assert.ok((run.nodes['Draft email'] ?? []).length >= 1, 'the draft was not written: the flow did not reach the approval step');
		assert.equal(run.nodes['Review email'], undefined, 'the approval email node ran in shadow mode');
		await new Promise((r) => setTimeout(r, 1000));
		assert.equal(fakes.smtp.messages.length, 0, `shadow mode sent ${fakes.smtp.messages.length} email(s)`);
		assert.equal(fakes.klaviyo.requests.length, klaviyoBefore, 'shadow mode sent to Klaviyo');
		const event = run.nodes['Welcome back event'] ?? [];
		assert.equal(event[0]?.shadow, true, 'the would-be Klaviyo event is shown in shadow mode');
		assert.match(stringify(event[0]?.request), /Welcome Back/);
		await host.deactivate(ID.welcome);
	});
}
