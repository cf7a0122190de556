import { normalizeEventName, registrableEvents, selectEvent } from '../../../nodes/PeekPro/shared/events';
import { derivedEvents, mergeVerified, normalizePeekRecord, parseDelivery } from '../../../nodes/PeekPro/shared/normalize';
import { BookingSchema, WaitlistEntrySchema } from '../../../nodes/shared/model/canonical';
import { delivery, peekBooking, SHAPES } from './helpers';

function ok(body: unknown, headerEvent?: string) {
	const r = parseDelivery(body, headerEvent);
	if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues)}`);
	return r.delivery;
}

describe('parseDelivery: every payload shape in PEEK.md', () => {
	it('seed flat form', () => {
		const d = ok(delivery('seed_flat'));
		expect(d).toMatchObject({ event: 'booking.created', shape: 'seed_flat', kind: 'booking', bookingId: 'b_1001' });
		expect(d.record).toMatchObject({
			id: 'b_1001',
			source: 'seed_flat',
			status: 'confirmed',
			customer: { email: 'ada@example.com' },
			activity: { name: 'Sunset Kayak Tour' },
			total: { amount: 245 },
			extra: { custom_fields: { preferred_contact: 'sms' } },
		});
		expect(BookingSchema.safeParse(d.record).success).toBe(true);
	});

	it('seed flat form with marketing data', () => {
		const d = ok(delivery('seed_marketing'));
		expect(d.record).toMatchObject({
			activity: { id: 'TOUR-ALP-001' },
			purchasedAt: '2025-06-15T14:30:00Z',
			marketing: { utmSource: 'google_ads', utmCampaign: 'summer_alps_2025', affiliateId: 'AFF-55432', referralUrl: 'https://example.blog/alps-tour-review' },
		});
	});

	it('seed nested form', () => {
		const d = ok(delivery('seed_nested'));
		expect(d).toMatchObject({ shape: 'seed_nested', event: 'booking.updated' });
		expect(d.record).toMatchObject({
			id: 'b_1001',
			customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
			activity: { name: 'Sunset Kayak Tour', id: 'p_kayak' },
			guides: [{ email: 'guide@example.com', name: 'Grace Guide' }],
			startsAt: '2026-07-01T18:00:00-06:00',
			partySize: 2,
			notes: 'Tandem kayak please',
			extra: { activityDate: '2026-07-01' },
		});
	});

	it('seed slot form', () => {
		const d = ok(delivery('seed_slot'));
		expect(d).toMatchObject({ kind: 'slot', shape: 'seed_slot', event: 'resource.availability_changed', details: { spotsAvailable: 3 } });
		expect(d.bookingId).toBeUndefined();
		expect(d.record).toMatchObject({ activity: { id: 'p_kayak' }, startsAt: '2026-07-01T18:00:00-06:00', status: 'unknown', extra: { spotsAvailable: 3 } });
	});

	it('waitlist entry form', () => {
		const d = ok(delivery('seed_waitlist'));
		expect(d.kind).toBe('waitlist_entry');
		expect(WaitlistEntrySchema.safeParse(d.record).success).toBe(true);
		expect(d.record).toMatchObject({ activityId: 'p_kayak', partySize: 2, createdAt: '2026-06-20T10:00:00Z', customer: { email: 'wait@example.com', phone: '+15555550111' }, notes: 'Any time after 3pm' });
		expect(String(d.record.id)).toMatch(/^wl:/);
	});

	it("Peek's automation API booking", () => {
		const d = ok(delivery('peek_automation_api'));
		expect(d).toMatchObject({ shape: 'peek_automation_api', eventId: 'evt_b_1001', event: 'booking.created' });
		expect(d.record).toMatchObject({
			id: 'b_1001',
			displayId: 'BKG-1001',
			customer: { email: 'ada@example.com', emailMarketingConsent: true, smsMarketingConsent: false },
			timeslotId: 'ts_1',
			total: { amount: 245, currency: 'USD' },
			marketing: { promoCodes: ['SUMMER10'], channel: 'website' },
			checkedIn: false,
		});
	});

	it('app-platform booking: status mapping, guest, snapshots, promo codes, channel', () => {
		const d = ok(delivery('peek_app_platform'));
		expect(d).toMatchObject({ shape: 'peek_app_platform', event: 'booking.updated', eventInferred: true });
		expect(d.record).toMatchObject({
			status: 'no_show',
			checkedIn: false,
			customer: { fullName: 'Ada Lovelace', postalCode: '80302', smsMarketingConsent: true },
			activity: { id: 'p_kayak', type: 'kayaking' },
			timeslotId: 'ts_1',
			partySize: 2,
			total: { amount: 245, currency: 'USD' },
			marketing: { promoCodes: ['SUMMER10'], channel: 'Website' },
			displayId: 'BKG-1001',
			notes: 'VIP',
		});
		expect(derivedEvents(d.event, d.record as never)).toEqual(['booking.no_show']);
		const body = delivery('peek_app_platform');
		(body.booking as Record<string, unknown>).reservationStatus = 'CANCELED';
		expect(ok(body).record.status).toBe('cancelled');
		const checked = delivery('peek_app_platform');
		Object.assign(checked.booking as object, { fulfillmentStatusOverride: null, checkinStatus: 'CHECKED_IN' });
		expect(ok(checked).record).toMatchObject({ status: 'checked_in', checkedIn: true });
	});

	it('waiver signature', () => {
		const d = ok(delivery('peek_waiver'));
		expect(d).toMatchObject({ event: 'waiver.signed', kind: 'booking', bookingId: 'b_1001' });
		expect(d.details).toMatchObject({ waiver: { agreementTemplateId: 'agt_1', signedAt: '2026-06-30T09:00:00Z', participantName: 'Ada Lovelace', participantOptinMarketing: true } });
	});

	it('OCTO booking_update', () => {
		const d = ok(delivery('octo'));
		expect(d).toMatchObject({ shape: 'octo', event: 'booking.cancelled', bookingId: 'b_1001' });
		expect(d.record).toMatchObject({
			source: 'octo',
			status: 'cancelled',
			customer: { fullName: 'Ada Lovelace', email: 'ada@example.com', country: 'US', locale: 'en-US' },
			startsAt: '2026-07-01T18:00:00-06:00',
			partySize: 2,
			extra: { octoUuid: 'c6f2b7f0-0000-4000-8000-000000000001', resellerReference: 'RES-1' },
		});
	});

	it('every shape validates against the canonical model', () => {
		for (const shape of SHAPES) {
			const d = ok(delivery(shape));
			const schema = d.kind === 'waitlist_entry' ? WaitlistEntrySchema : BookingSchema;
			expect({ shape, ok: schema.safeParse(d.record).success }).toEqual({ shape, ok: true });
		}
	});
});

describe('parseDelivery: bad input names the field', () => {
	it.each([
		[[1, 2], '(body)'],
		['text', '(body)'],
		[{ data: { booking_id: 'x' } }, 'event'],
		[{ event: 'booking.created', data: { customer_email: 'a@b.c' } }, 'data.booking_id'],
		[{ event: 'waitlist_entry.created', data: { party_size: 2, created_at: '2026-01-01T00:00:00Z' } }, 'data.activity_id'],
		[{ event: 'resource.availability_changed', data: { activity_id: 'p', slot_datetime: 'tomorrow' } }, 'data.slot_datetime'],
	])('%j → 400 naming %s', (body, field) => {
		const r = parseDelivery(body);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.issues.map((i) => i.field)).toContain(field);
	});

	it('unknown fields pass through in extra', () => {
		const body = delivery('seed_flat');
		(body.data as Record<string, unknown>).loyalty_tier = 'gold';
		expect(ok(body).record.extra).toMatchObject({ loyalty_tier: 'gold' });
	});

	it('takes the event from a header when the body has none', () => {
		const body = delivery('seed_nested');
		delete body.event;
		expect(ok(body, 'booking.canceled').event).toBe('booking.cancelled');
	});
});

describe('event catalogue', () => {
	it('canceled and cancelled are one event; underscores fold to dots', () => {
		expect(normalizeEventName('booking.canceled')).toBe('booking.cancelled');
		expect(normalizeEventName('BOOKING_CREATED')).toBe('booking.created');
		expect(normalizeEventName('agreement_signature_created')).toBe('waiver.signed');
	});
	it('registers Peek events and the carriers of selected life-cycle events', () => {
		expect(registrableEvents(['booking.no_show', 'waitlist_entry.created', 'booking.created'])).toEqual(['booking.created', 'booking.updated']);
		expect(registrableEvents(['*'])).toHaveLength(6);
	});
	it('prefers a selected derived event over the carrier', () => {
		expect(selectEvent(['booking.updated', 'booking.no_show'], 'booking.updated', ['booking.no_show'])).toBe('booking.no_show');
		expect(selectEvent(['booking.created'], 'booking.updated', [])).toBeUndefined();
	});
});

describe('verified merge', () => {
	it("Peek's record wins; gaps are filled from the payload and listed", () => {
		const payload = ok(delivery('seed_marketing')).record as never;
		const record = normalizePeekRecord(peekBooking({ totalPrice: { amount: 300, currency: 'USD' } }))!;
		const { booking, unverifiedFields } = mergeVerified(record, payload);
		expect(booking.total).toEqual({ amount: 300, currency: 'USD' });
		expect(booking.activity.id).toBe('p_kayak');
		expect(booking.marketing.utmCampaign).toBe('summer_alps_2025');
		expect(unverifiedFields).toEqual(expect.arrayContaining(['marketing.utmCampaign', 'marketing.utmSource']));
		expect(unverifiedFields).not.toContain('total.amount');
	});
});
