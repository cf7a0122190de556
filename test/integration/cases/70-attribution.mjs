// The campaign attribution template (workflows/campaign-attribution.json) in the real n8n: a
// `booking.created` delivery carrying UTM data, verified against the Peek Pro fake, ends as credit
// written back into the booking's note ([peekpro-ai] block) on the fake, and an audit row.
// - As shipped (shadow mode, unverified UTM ignored): nothing is written to Peek, and the UTM the
//   delivery carried (which Peek does not store, so re-reading cannot confirm it) is not acted on.
// - Live with `useUnverifiedUtm` on: the note is overwritten with the operator's text kept and the
//   credit of the whole booking value, in cents, to the delivery's Paid Social campaign.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { samplePeekBooking, sampleDelivery } from '../../fakes/peek.mjs';
import { deliver, finishedCount, nextExecution, publish, setConfig, workflow } from './20-templates.mjs';

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
}
