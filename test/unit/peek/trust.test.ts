// The trigger's trust boundary (issue 10): with verify-by-fetch the booking is Peek's record and the
// delivery's extra claims sit apart under `unverified`; a claimed event is checked against the record;
// an unnamed app-platform event is derived from it; an outage is accepted and sent to Verify Later;
// HMAC-authenticated deliveries keep their fields. And the Klaviyo Subscribe operation does not act on
// consent that only an unauthenticated delivery claims.
import { createHmac } from 'crypto';
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { PeekProTrigger } from '../../../nodes/PeekProTrigger/PeekProTrigger.node';
import { setDedupeClock } from '../../../nodes/PeekProTrigger/dedupe';
import { BASE as KLAVIYO, runNode } from '../klaviyo/harness';
import { asWebhook, BASE, ctxWith, delivery, peekBooking, SECRET, useTriggerLifecycle } from './helpers';

const trigger = new PeekProTrigger();
const NOW = Date.parse('2026-07-01T12:00:00Z');
const state = useTriggerLifecycle(NOW, { expectAllMocksUsed: true });

async function deliver(body: unknown, params: IDataObject = {}, headers: Record<string, string> = {}) {
	const raw = JSON.stringify(body);
	const ctx = ctxWith({
		parameters: { events: ['*'], verifyByFetch: true, verifyLater: true, signature: 'none', sharedSecret: 'none', options: {}, ...params },
		request: { body, rawBody: Buffer.from(raw), headers: { 'content-type': 'application/json', ...headers } },
		staticData: state.staticData,
		node: { id: 'trigger-trust' },
	});
	const result = await trigger.webhook.call(asWebhook(ctx));
	return { ctx, result, outputs: result.workflowData ?? [] };
}

/** A delivery naming a real booking, with every field an attacker might tamper with changed. */
function tamperedDelivery(id = 'b_1001'): IDataObject {
	return {
		event: 'booking.created',
		data: {
			booking_id: id,
			customer_email: 'attacker@evil.example',
			total_amount: 1,
			marketing_data: { utm_source: 'forged_source', utm_campaign: 'forged_campaign', referral_url: 'https://evil.example/r' },
			customer: { email: 'attacker@evil.example', optin_marketing: true, optin_sms: true },
			custom_fields: { waiver_signed: true, gclid: 'forged-click' },
		},
	};
}

/** Peek's record of the booking: no UTM, no consent flags. */
function recordWithoutConsent(overrides: IDataObject = {}): IDataObject {
	const b = peekBooking(overrides);
	b.purchaser = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+15555550100' };
	return b;
}

describe('verified means verified', () => {
	it('tampered fields land only under unverified; the booking is Peek\'s record', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, recordWithoutConsent());
		const { outputs, ctx } = await deliver(tamperedDelivery());
		expect(ctx.response.statusCode).toBe(200);
		const json = outputs[0][0].json;
		// Peek's values where both have one; the tampered ones are nowhere in the booking.
		expect(json.customer).toMatchObject({ email: 'ada@example.com' });
		expect(json.total).toEqual({ amount: 245, currency: 'USD' });
		expect(json.marketing).not.toHaveProperty('utmSource');
		expect(json.marketing).not.toHaveProperty('utmCampaign');
		expect(json.customer).not.toHaveProperty('emailMarketingConsent');
		expect(json.extra).not.toHaveProperty('custom_fields');
		// Delivery-only claims, apart and named.
		expect(json.unverified).toMatchObject({
			marketing: { utmSource: 'forged_source', utmCampaign: 'forged_campaign', referralUrl: 'https://evil.example/r' },
			customer: { emailMarketingConsent: true, smsMarketingConsent: true },
			extra: { custom_fields: { waiver_signed: true, gclid: 'forged-click' } },
		});
		expect(JSON.stringify(json.unverified)).not.toContain('attacker@evil.example');
		expect(json.verification).toMatchObject({ method: 'fetched', bookingFrom: 'peek', deliveryTrusted: false, verified: true });
		expect((json.verification as IDataObject).unverifiedFields).toEqual(
			expect.arrayContaining(['marketing.utmSource', 'customer.emailMarketingConsent', 'extra.custom_fields']),
		);
		// Nothing outside `unverified` and `raw` carries a tampered value.
		const { unverified, raw, ...rest } = json;
		expect(JSON.stringify(rest)).not.toMatch(/forged|attacker|evil/);
		expect(raw).toBeDefined();
		expect(unverified).toBeDefined();
	});

	it('an HMAC-authenticated delivery marks its fields trusted and merges them under Peek\'s record', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, recordWithoutConsent());
		const body = tamperedDelivery();
		const raw = JSON.stringify(body);
		const sig = createHmac('sha256', SECRET).update(raw).digest('hex');
		const { outputs } = await deliver(body, { signature: 'hmac', signatureHeader: 'x-peek-signature', signatureEncoding: 'auto', timestampHeader: '', replayWindowSeconds: 300 }, { 'x-peek-signature': sig });
		const json = outputs[0][0].json;
		expect(json.verification).toMatchObject({ method: 'hmac', methods: ['hmac', 'fetch'], bookingFrom: 'peek', deliveryTrusted: true, verified: true });
		expect(json.unverified).toBeUndefined();
		expect(json.marketing).toMatchObject({ utmSource: 'forged_source' });
		expect(json.customer).toMatchObject({ email: 'ada@example.com', emailMarketingConsent: true });
		expect(json.total).toEqual({ amount: 245, currency: 'USD' });
		expect((json.verification as IDataObject).deliveryFields).toEqual(expect.arrayContaining(['marketing.utmSource', 'customer.emailMarketingConsent']));
	});

	it('without fetch or HMAC the booking is the delivery\'s, and says so', async () => {
		const { outputs } = await deliver(tamperedDelivery(), { verifyByFetch: false });
		expect(outputs).toHaveLength(1);
		expect(outputs[0][0].json.verification).toEqual({ method: 'none', methods: [], bookingFrom: 'delivery', deliveryTrusted: false, verified: false });
	});
});

describe('the event is checked against Peek\'s record', () => {
	const cancellation = () => {
		const body = delivery('peek_automation_api');
		body.eventType = 'booking.cancelled';
		return body;
	};

	it('a forged cancellation of a confirmed booking starts nothing (200, no item on any output)', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'confirmed' }));
		const { result, ctx } = await deliver(cancellation());
		expect(ctx.response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toMatchObject({ received: true, ignored: expect.stringMatching(/record/) });
	});

	it('with Route Invalid the forged cancellation shows on Invalid, marked not verified, and Booking stays empty', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'confirmed' }));
		const { outputs } = await deliver(cancellation(), { options: { routeInvalid: true } });
		expect(outputs).toHaveLength(3);
		expect(outputs[0]).toEqual([]);
		expect(outputs[2]).toEqual([]);
		const invalid = outputs[1][0].json;
		expect(invalid).toMatchObject({ valid: false, claimedEvent: 'booking.cancelled', recordStatus: 'confirmed', verification: { verified: false } });
		expect(invalid.event).toBeUndefined();
		expect(invalid.id).toBeUndefined();
	});

	it('a check-in is borne out by Peek\'s checkedIn flag on a booking whose status stays confirmed', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'confirmed', checkedIn: true }));
		nock(BASE).get('/bookings/b_1002').reply(200, peekBooking({ id: 'b_1002', status: 'confirmed', checkedIn: false }));
		const claim = (id: string) => ({ eventType: 'booking.checked_in', data: { id } });
		const real = await deliver(claim('b_1001'), { events: ['booking.checked_in'] });
		expect(real.outputs[0][0].json).toMatchObject({ event: 'booking.checked_in', eventCheck: 'confirmed' });
		const forged = await deliver(claim('b_1002'), { events: ['booking.checked_in'] });
		expect(forged.result.workflowData).toBeUndefined();
	});

	it('a true cancellation is emitted as confirmed by the record', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ status: 'cancelled' }));
		const { outputs } = await deliver(cancellation(), { events: ['booking.cancelled'] });
		expect(outputs[0][0].json).toMatchObject({ event: 'booking.cancelled', eventCheck: 'confirmed', status: 'cancelled' });
	});
});

describe('an app-platform delivery without an event name gets its event from the record', () => {
	const unnamed = () => {
		const body = delivery('peek_app_platform');
		const b = body.booking as IDataObject;
		delete b.fulfillmentStatusOverride;
		return body;
	};
	const appRecord = (purchasedAt: string, extra: IDataObject = {}) => {
		const b = (unnamed().booking as IDataObject);
		return { booking: { ...b, purchasedAt, ...extra } };
	};

	it('a booking purchased minutes ago and never seen is booking.created (the upsell flow starts)', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, appRecord('2026-07-01T11:50:00Z'));
		const { outputs } = await deliver(unnamed(), { events: ['booking.created'] });
		expect(outputs[0][0].json).toMatchObject({ event: 'booking.created', eventInferred: true, eventCheck: 'derived', verification: { method: 'fetched' } });
	});

	it('a second delivery for the same booking is booking.updated', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(200, appRecord('2026-07-01T11:50:00Z'));
		const first = unnamed();
		await deliver(first, { events: ['*'] });
		const second = unnamed();
		(second.booking as IDataObject).operatorNotes = 'changed';
		const { outputs } = await deliver(second, { events: ['*'] });
		expect(outputs[0][0].json).toMatchObject({ event: 'booking.updated', eventCheck: 'derived' });
	});

	it('an old booking is booking.updated, and not selected by a created-only trigger', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, appRecord('2026-03-01T10:00:00Z'));
		const { result } = await deliver(unnamed(), { events: ['booking.created'] });
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toMatchObject({ ignored: 'event booking.updated not selected' });
	});

	it('a record whose update time equals its creation time is booking.created even if seen before', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(200, appRecord('2026-03-01T10:00:00Z', { updatedAt: '2026-03-01T10:00:30Z' }));
		// Seen (the first delivery), though not handled: this trigger does not select created.
		await deliver(unnamed(), { events: ['booking.updated'] });
		const again = unnamed();
		(again.booking as IDataObject).operatorNotes = 'again';
		const { outputs } = await deliver(again, { events: ['booking.created'] });
		expect(outputs[0][0].json).toMatchObject({ event: 'booking.created' });
	});
});

describe('one booking event, one run, whichever path brings it', () => {
	it('a booking.created handled live is not run again when reconciliation forwards it later', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(200, peekBooking());
		const live = await deliver(delivery('peek_automation_api'));
		expect(live.outputs[0]).toHaveLength(1);
		// Far beyond the duplicate window, with another body and event id (as reconciliation sends it).
		setDedupeClock(() => NOW + 3600_000);
		const forwarded = await deliver({ event: 'booking.created', eventId: 'recon:b_1001:r1', booking: { id: 'b_1001' }, reconciled: true });
		expect(forwarded.result.workflowData).toBeUndefined();
		expect(forwarded.result.webhookResponse).toMatchObject({ duplicate: true, alreadyHandled: 'booking.created' });
	});

	it('a booking.updated is handled once per revision of the booking', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ quantity: 2 }));
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ quantity: 2 }));
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking({ quantity: 3 }));
		const updated = (n: number) => ({ event: 'booking.updated', eventId: `u${n}`, booking: { id: 'b_1001' } });
		expect((await deliver(updated(1))).outputs[0]).toHaveLength(1);
		expect((await deliver(updated(2))).result.workflowData).toBeUndefined();
		expect((await deliver(updated(3))).outputs[0]).toHaveLength(1);
	});
});

describe('no loss on outage', () => {
	it('Peek unreachable: the delivery is answered 200 and goes to Verify Later, clearly not a booking', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(503, { message: 'down' });
		const body = tamperedDelivery();
		const { outputs, ctx, result } = await deliver(body);
		expect(ctx.response.statusCode).toBe(200);
		expect(result.noWebhookResponse).toBeUndefined();
		expect(outputs).toHaveLength(2);
		expect(outputs[0]).toEqual([]);
		const later = outputs[1][0].json;
		expect(later).toMatchObject({
			verifyLater: true,
			bookingId: 'b_1001',
			claimedEvent: 'booking.created',
			verification: { method: 'none', bookingFrom: 'none', verified: false },
		});
		expect((later.unverified as IDataObject).raw).toEqual(body);
		// Nothing a downstream node could read as a booking.
		for (const k of ['id', 'customer', 'total', 'marketing', 'event', 'schema']) expect(later).not.toHaveProperty(k);
		// Accepted means handled once: the same body again is a duplicate.
		const again = await deliver(body);
		expect(again.result.webhookResponse).toMatchObject({ duplicate: true });
	});

	it('with Verify Later off, an outage answers 502 and lets a retry through', async () => {
		nock(BASE).get('/bookings/b_1001').times(2).reply(503, { message: 'down' });
		const first = await deliver(delivery('seed_flat'), { verifyLater: false });
		expect(first.ctx.response.statusCode).toBe(502);
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking());
		const second = await deliver(delivery('seed_flat'), { verifyLater: false });
		expect(second.outputs).toHaveLength(1);
		expect(second.outputs[0]).toHaveLength(1);
	});
});

describe('Klaviyo Subscribe and unverified consent', () => {
	async function triggerOutput(): Promise<INodeExecutionData> {
		nock(BASE).get('/bookings/b_1001').reply(200, recordWithoutConsent());
		const { outputs } = await deliver(tamperedDelivery());
		return outputs[0][0];
	}

	it('a tampered delivery\'s consent does not reach Klaviyo', async () => {
		const item = await triggerOutput();
		const { out, ctx } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email', 'sms'] }, [item]);
		expect(ctx.requests.filter((r) => r.url.startsWith(KLAVIYO))).toHaveLength(0);
		expect(out[0].json).toMatchObject({ skipped: true });
		expect(JSON.stringify(out[0].json)).toMatch(/unverified/i);
	});

	it('pointing the consent field into `unverified` does not get round it', async () => {
		const item = await triggerOutput();
		const { ctx } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email'], emailConsentField: 'unverified.customer.emailMarketingConsent' }, [item]);
		expect(ctx.requests).toHaveLength(0);
	});

	it('consent on a booking straight from an unauthenticated delivery is not used either', async () => {
		const { outputs } = await deliver(tamperedDelivery(), { verifyByFetch: false });
		const { ctx } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email'] }, outputs[0]);
		expect(ctx.requests).toHaveLength(0);
	});

	it('subscribes from unverified consent only when the operator opts in', async () => {
		const item = await triggerOutput();
		let sent: IDataObject | undefined;
		nock(KLAVIYO).post('/api/profile-subscription-bulk-create-jobs', (b) => ((sent = b), true)).reply(202);
		const { out } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email'], options: { useUnverifiedConsent: true } }, [item]);
		expect(out[0].json).toMatchObject({ subscribed: ['email'] });
		// The profile is Peek's guest, never the tampered address.
		expect(JSON.stringify(sent)).toContain('ada@example.com');
		expect(JSON.stringify(sent)).not.toContain('attacker@evil.example');
	});

	it('Peek\'s own consent still subscribes without opting in', async () => {
		nock(BASE).get('/bookings/b_1001').reply(200, peekBooking());
		const { outputs } = await deliver(tamperedDelivery());
		nock(KLAVIYO).post('/api/profile-subscription-bulk-create-jobs').reply(202);
		const { out } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email'] }, outputs[0]);
		expect(out[0].json).toMatchObject({ subscribed: ['email'] });
	});
});
