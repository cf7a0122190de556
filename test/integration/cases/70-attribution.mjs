// The campaign attribution template (workflows/campaign-attribution.json) in the real n8n: a
// `booking.created` delivery carrying UTM data, verified against the Peek Pro fake, ends as credit
// written back into the booking's note ([peekpro-ai] block) on the fake, and an audit row.
// - As shipped (shadow mode, unverified UTM ignored): nothing is written to Peek, and the UTM the
//   delivery carried (which Peek does not store, so re-reading cannot confirm it) is not acted on.
// - Live with `useUnverifiedUtm` on: the note is overwritten with the operator's text kept and the
//   credit of the whole booking value, in cents, to the delivery's Paid Social campaign.
// - The daily report, run as the schedule would: bookings credited in their notes plus the ad-spend
//   export (a local HTTP server) → one email with bookings, revenue, spend, cost per booking and ROAS
//   per campaign, and the day a campaign spent ten times its usual with no booking flagged.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { test } from 'node:test';

import { samplePeekBooking, sampleDelivery } from '../../fakes/peek.mjs';
import { deliver, finishedCount, nextExecution, publish, runScheduled, setConfig, workflow } from './20-templates.mjs';

const ID = 'PeekProAiAttr001';
const OPERATOR_NOTE = 'Guest asked for a tandem kayak.';

function addBooking(peek, id) {
	const now = Date.now();
	const b = samplePeekBooking({
		id,
		displayId: `BKG-${id}`,
		purchasedAt: new Date(now - 60_000).toISOString(),
		startTime: new Date(now + 10 * 86_400_000).toISOString(),
		endTime: new Date(now + 10 * 86_400_000 + 7_200_000).toISOString(),
		totalPrice: { amount: 245, currency: 'USD' },
		notes: OPERATOR_NOTE,
	});
	peek.bookings.set(id, b);
	return b;
}

/** A seeds-style delivery whose marketing data names a paid Facebook campaign (mixed case, as typed). */
function utmDelivery(id) {
	const body = sampleDelivery('seed_marketing', { id, event: 'booking.created' });
	body.data.marketing_data = { utm_source: 'Facebook', utm_medium: 'Paid_Social', utm_campaign: 'Summer Adventures', referral_url: 'https://l.facebook.com/' };
	return body;
}

const notesWrites = (peek, id) => peek.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/bookings/${id}/notes`));

export async function register(getEnv) {
	test('template campaign attribution: shadow ignores unverified UTM and writes nothing; live with opt-in writes the credit back to the booking', { timeout: 180_000 }, async () => {
		const { host, fakes } = getEnv();
		const wf = await workflow(host, ID);
		await publish(host, ID);

		// As shipped: shadow mode, unverified UTM ignored.
		addBooking(fakes.peek, 'attr_shadow');
		let before = await finishedCount(host, ID);
		await deliver(host, wf, utmDelivery('attr_shadow'));
		let run = await nextExecution(host, ID, before);
		const shadowTouch = run.nodes['Normalize touchpoints']?.[0];
		assert.ok(shadowTouch, 'Normalize touchpoints did not run');
		assert.equal(shadowTouch.touchpoints[0].channel, 'Direct', `unverified UTM was acted on: ${JSON.stringify(shadowTouch.touchpoints)}`);
		assert.equal(shadowTouch.marketingTrust.trust, 'peek');
		assert.ok(shadowTouch.marketingTrust.ignoredFields.includes('marketing.utmSource'), JSON.stringify(shadowTouch.marketingTrust));
		assert.equal(notesWrites(fakes.peek, 'attr_shadow').length, 0, 'shadow mode wrote to Peek');
		const wouldWrite = run.nodes['Write credit to booking']?.[0];
		assert.equal(wouldWrite?.shadow, true, `the write-back did not run in shadow mode: ${JSON.stringify(wouldWrite)}`);

		// Live, opted in to the delivery's UTM data.
		await setConfig(host, ID, { shadowMode: false, useUnverifiedUtm: true });
		await publish(host, ID);
		addBooking(fakes.peek, 'attr_live');
		before = await finishedCount(host, ID);
		await deliver(host, wf, utmDelivery('attr_live'));
		run = await nextExecution(host, ID, before);
		const writes = notesWrites(fakes.peek, 'attr_live');
		assert.equal(writes.length, 1, `expected one note write to Peek, got ${writes.length}`);
		const { note, appendOrOverwrite } = writes[0].body;
		assert.equal(appendOrOverwrite, 'overwrite');
		assert.ok(note.startsWith(OPERATOR_NOTE), `the operator's note text was not kept: ${note}`);
		const block = Object.fromEntries(note.slice(note.indexOf('[peekpro-ai]')).split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
		assert.deepEqual(
			{ model: block['attribution.model'], channel: block['attribution.channel'], campaign: block['attribution.campaign'], valueCents: block['attribution.valueCents'], currency: block['attribution.currency'] },
			{ model: 'positionBased', channel: 'Paid Social', campaign: 'summer adventures', valueCents: '24500', currency: 'USD' },
		);
		assert.deepEqual(JSON.parse(block['attribution.credits']), [['Paid Social', 'summer adventures', 24500]]);
		const attributed = run.nodes['Attribute booking']?.[0]?.attribution;
		assert.match(attributed?.summary ?? '', /^Booking #BKG-attr_live \(\$245\.00\): 100% Paid Social 'summer adventures'/);
		assert.equal(run.nodes['Normalize touchpoints'][0].touchpoints[0].trust, 'optIn');
		const rows = (await host.dataTableRows('peekpro_ai_audit')).filter((r) => r.flow === 'campaign-attribution' && String(r.executionId) === String(run.id));
		assert.ok(rows.some((r) => r.decision === 'attribution.attribute' && r.bookingId === 'attr_live' && r.decidedById === 'attribution.positionBased'), `no audit row for the attribution: ${JSON.stringify(rows)}`);

		await setConfig(host, ID, { shadowMode: true, useUnverifiedUtm: false });
	});

	test('template campaign attribution, daily report: per-campaign bookings, revenue, spend, cost per booking and ROAS, and a spend spike without bookings flagged', { timeout: 120_000 }, async () => {
		const { host, fakes } = getEnv();
		const run = randomUUID().slice(0, 6);
		const lake = `Lake Tours ${run}`;
		const winter = `Winter Promo ${run}`;
		const now = Date.now();
		// Day k before now (k = 0 is today), one minute in the past so the period's end includes it.
		const at = (k) => new Date(now - k * 86_400_000 - 60_000);
		const date = (k) => at(k).toISOString().slice(0, 10);
		const credited = (id, k, channel, campaign, cents) => {
			const b = samplePeekBooking({ id, displayId: `BKG-${id}`, purchasedAt: at(k).toISOString(), totalPrice: { amount: cents / 100, currency: 'USD' } });
			// As Write Back leaves it: the operator's text, then the pack's block.
			b.notes = `Window seat please.\n[peekpro-ai]\nattribution.model=positionBased\nattribution.channel=${channel}\nattribution.campaign=${campaign}\nattribution.credits=${JSON.stringify([[channel, campaign.toLowerCase(), cents]])}\nattribution.valueCents=${cents}\nattribution.currency=USD\n[/peekpro-ai]`;
			fakes.peek.bookings.set(id, b);
		};
		for (let k = 0; k <= 7; k++) credited(`lake_${run}_${k}`, k, 'Paid Social', lake, 10000);
		for (let k = 1; k <= 7; k++) credited(`winter_${run}_${k}`, k, 'Paid Search', winter, 6000);
		const spend = [];
		for (let k = 0; k <= 7; k++) spend.push({ date: date(k), campaign: lake, channel: 'Paid Social', spend: '$50.00' });
		for (let k = 1; k <= 7; k++) spend.push({ date: date(k), campaign: winter, channel: 'Paid Search', spend: 40 });
		spend.push({ date: date(0), campaign: winter, channel: 'Paid Search', spend: 400 });
		const server = createServer((req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(spend));
		});
		await new Promise((r) => server.listen(0, '127.0.0.1', r));
		try {
			await setConfig(host, ID, { spendUrl: `http://127.0.0.1:${server.address().port}/spend.json`, reportTo: `marketing.${run}@example.com` });
			const mailsBefore = fakes.smtp.messages.length;
			await runScheduled(host, ID);
			const mail = fakes.smtp.messages.slice(mailsBefore).find((m) => m.to.includes(`marketing.${run}@example.com`));
			assert.ok(mail, 'no report email');
			const cells = (campaign) => {
				const rowHtml = mail.body.match(new RegExp(`<tr><td>${campaign.toLowerCase()}</td>(.*?)</tr>`))?.[1];
				assert.ok(rowHtml, `no row for ${campaign} in the report: ${mail.body.slice(0, 2000)}`);
				return [...rowHtml.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
			};
			// Lake Tours: 8 bookings of $100, $50 a day for 8 days.
			assert.deepEqual(cells(lake), ['8', '800', '400', '50', '2']);
			// Winter Promo: 7 bookings of $60; $40 a day for 7 days, then $400 today with no booking.
			assert.deepEqual(cells(winter), ['7', '420', '680', '97.14', '0.62']);
			const anomalies = [...mail.body.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]).filter((t) => t.includes(run));
			assert.equal(anomalies.length, 1, `expected one anomaly for this run's campaigns: ${JSON.stringify(anomalies)}`);
			assert.match(anomalies[0], new RegExp(`^${winter.toLowerCase()} spent 400 on ${date(0)}`));
		} finally {
			server.close();
			await setConfig(host, ID, { spendUrl: '', reportTo: 'marketing@example.com' });
		}
	});
}
