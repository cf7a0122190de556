import { createHash } from 'crypto';

import {
	BookingSchema,
	CustomerSchema,
	GuideSchema,
	WaitlistEntrySchema,
	formatIssues,
	type Booking,
	type BookingStatus,
	type Customer,
	type Guide,
	type WaitlistEntry,
} from '../../shared/model/canonical';
import { normalizeEventName } from './events';
import { bool, first, firstStr, isObj, isoDateTime, money, num, obj, str, type Obj } from './values';

/**
 * Turns every Peek payload shape listed in contracts/PEEK.md into the pack's canonical model.
 *
 * Shapes: the write-ups' flat, nested, slot and waitlist forms; Peek's automation API booking;
 * the app-platform booking; the waiver signature; the OCTO `booking_update` booking. Detection is by
 * the fields a shape has (vendors rarely say which shape they send). Nothing here throws: a payload
 * is either normalized or described by field-named issues.
 */

export type PayloadShape =
	| 'seed_flat'
	| 'seed_nested'
	| 'seed_slot'
	| 'seed_waitlist'
	| 'peek_automation_api'
	| 'peek_app_platform'
	| 'peek_waiver'
	| 'octo'
	| 'customer'
	| 'resource';

export type DeliveryKind = 'booking' | 'slot' | 'waitlist_entry' | 'customer' | 'resource';

export interface FieldIssue {
	field: string;
	message: string;
}

export interface Delivery {
	/** Event as delivered (normalized spelling), or inferred when the shape never says. */
	event: string;
	eventInferred: boolean;
	eventId?: string;
	deliveryId?: string;
	occurredAt?: string;
	shape: PayloadShape;
	kind: DeliveryKind;
	/** Peek booking id to verify against the API, when the payload is about a booking. */
	bookingId?: string;
	/** Canonical record: Booking for bookings and slots, WaitlistEntry, Customer or Guide. */
	record: Obj;
	/** Where in the payload the record was read from, for error messages. */
	recordPath: string;
	/** Extra event-specific facts (waiver signature, spots available). */
	details: Obj;
}

export type ParseResult = { ok: true; delivery: Delivery } | { ok: false; status: 400; issues: FieldIssue[] };

const OCTO_STATUSES = new Set(['ON_HOLD', 'EXPIRED', 'CONFIRMED', 'CANCELLED', 'PENDING']);

function fail(...issues: FieldIssue[]): ParseResult {
	return { ok: false, status: 400, issues };
}

function detectShape(inner: Obj, event: string | undefined, envelope: Obj): PayloadShape {
	const has = (...keys: string[]) => keys.some((k) => inner[k] !== undefined && inner[k] !== null);
	if (event === 'booking_update' || (str(inner.uuid) && (has('supplierReference', 'unitItems', 'resellerReference') || OCTO_STATUSES.has(String(inner.status))))) return 'octo';
	if (has('reservationStatus', 'primaryGuest', 'activitySnapshot', 'fulfillmentStatusOverride', 'checkinStatus', 'timeSnapshot')) return 'peek_app_platform';
	if (event === 'waiver.signed' || has('agreement_template_id', 'signed_at', 'waiver_data')) return 'peek_waiver';
	if (event?.startsWith('waitlist_entry.') || (has('party_size') && !has('booking_id', 'id') && has('created_at'))) return 'seed_waitlist';
	if (event?.startsWith('customer.')) return 'customer';
	if (has('slot_datetime', 'spots_available') && !has('booking_id')) return 'seed_slot';
	if (event?.startsWith('resource.') && !has('booking_id', 'bookingId')) return 'resource';
	if (has('booking_id', 'customer_email', 'activity_title', 'marketing_data', 'custom_fields')) return 'seed_flat';
	if (envelope.eventType !== undefined || has('bookingId', 'productId', 'startTime', 'purchaser', 'timeslotId', 'checkedIn')) return 'peek_automation_api';
	if (has('customer', 'product', 'guide', 'start_time', 'participants', 'total_amount')) return 'seed_nested';
	return 'peek_automation_api';
}

/** Splits the body into envelope facts and the inner object the shape describes. */
function unwrap(body: Obj): { inner: Obj; path: string } {
	const data = obj(body.data);
	if (obj(body.booking)) return { inner: body.booking as Obj, path: 'booking' };
	if (data && obj(data.booking)) return { inner: data.booking as Obj, path: 'data.booking' };
	if (data && obj(data.object)) return { inner: data.object as Obj, path: 'data.object' };
	if (data) return { inner: data, path: 'data' };
	if (obj(body.payload)) return { inner: body.payload as Obj, path: 'payload' };
	return { inner: body, path: '(body)' };
}

function statusFromString(value: unknown): BookingStatus | undefined {
	const s = str(value)?.toLowerCase().replace(/[\s-]/g, '_');
	if (!s) return undefined;
	if (['cancelled', 'canceled', 'cancel', 'refunded'].includes(s)) return 'cancelled';
	if (['confirmed', 'booked', 'active', 'paid', 'complete', 'completed', 'reserved'].includes(s)) return 'confirmed';
	if (['pending', 'on_hold', 'hold', 'incomplete', 'abandoned', 'draft', 'cart'].includes(s)) return 'pending';
	if (['checked_in', 'checkedin', 'arrived'].includes(s)) return 'checked_in';
	if (['checked_out', 'checkedout', 'returned'].includes(s)) return 'checked_out';
	if (['no_show', 'noshow'].includes(s)) return 'no_show';
	if (['expired'].includes(s)) return 'expired';
	return undefined;
}

function statusFromEvent(event: string): BookingStatus {
	switch (event) {
		case 'booking.cancelled':
			return 'cancelled';
		case 'booking.checked_in':
			return 'checked_in';
		case 'booking.checked_out':
			return 'checked_out';
		case 'booking.no_show':
			return 'no_show';
		case 'cart.abandoned':
			return 'pending';
		case 'booking.created':
		case 'booking.updated':
		case 'booking.rescheduled':
			return 'confirmed';
		default:
			return 'unknown';
	}
}

/** Peek's own mapping (PEEK.md §2): cancelled, then no-show, then checked in. */
function appPlatformStatus(b: Obj): BookingStatus | undefined {
	const reservation = str(b.reservationStatus)?.toUpperCase();
	if (reservation === 'CANCELED' || reservation === 'CANCELLED') return 'cancelled';
	if (str(getObj(b, 'fulfillmentStatusOverride').status)?.toUpperCase() === 'NO_SHOW') return 'no_show';
	const returned = str(b.returnStatus)?.toUpperCase();
	if (returned && returned !== 'NONE' && returned !== 'NOT_RETURNED') return 'checked_out';
	const checkin = str(b.checkinStatus)?.toUpperCase();
	if (checkin && checkin !== 'NONE') return 'checked_in';
	if (reservation === 'PENDING' || reservation === 'HOLD' || reservation === 'ON_HOLD') return 'pending';
	if (reservation) return 'confirmed';
	return undefined;
}

function octoStatus(b: Obj): BookingStatus | undefined {
	switch (str(b.status)?.toUpperCase()) {
		case 'CONFIRMED':
			return 'confirmed';
		case 'CANCELLED':
			return 'cancelled';
		case 'ON_HOLD':
		case 'PENDING':
			return 'pending';
		case 'EXPIRED':
			return 'expired';
		default:
			return undefined;
	}
}

function getObj(source: Obj, key: string): Obj {
	return obj(source[key]) ?? {};
}

function splitName(full: string | undefined): { firstName?: string; lastName?: string } {
	if (!full) return {};
	const parts = full.split(/\s+/).filter(Boolean);
	if (parts.length < 2) return { firstName: parts[0] };
	return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1] };
}

function compact<T extends Obj>(o: T): T {
	for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
	return o;
}

function customerFrom(b: Obj): Customer {
	const c = obj(b.primaryGuest) ?? obj(b.customer) ?? obj(b.purchaser) ?? obj(b.contact) ?? obj(b.guest) ?? {};
	const fullName = firstStr(c, ['name', 'fullName', 'full_name']) ?? firstStr(b, ['customer_name', 'customerName']);
	const names = splitName(fullName);
	const locales = Array.isArray(c.locales) ? str(c.locales[0]) : undefined;
	return compact({
		id: firstStr(c, ['id', 'customerId']) ?? firstStr(b, ['customer_id', 'customerId']),
		email: firstStr(c, ['email', 'emailAddress', 'email_address']) ?? firstStr(b, ['customer_email', 'customerEmail', 'email']),
		phone: firstStr(c, ['phone', 'phoneNumber', 'phone_number']) ?? firstStr(b, ['customer_phone', 'customerPhone', 'phone']),
		firstName: firstStr(c, ['firstName', 'first_name']) ?? names.firstName,
		lastName: firstStr(c, ['lastName', 'last_name']) ?? names.lastName,
		fullName,
		postalCode: firstStr(c, ['postalCode', 'postal_code', 'zip']),
		country: firstStr(c, ['country']),
		locale: locales ?? firstStr(c, ['locale']),
		emailMarketingConsent: bool(c.optinMarketing) ?? bool(c.optin_marketing) ?? bool(c.emailMarketingConsent),
		smsMarketingConsent: bool(c.optinSms) ?? bool(c.optin_sms) ?? bool(c.smsMarketingConsent),
	}) as Customer;
}

function guidesFrom(b: Obj): Guide[] {
	const list: unknown[] = [];
	if (obj(b.guide)) list.push(b.guide);
	if (Array.isArray(b.guides)) list.push(...b.guides.slice(0, 50));
	if (Array.isArray(b.resourcePoolAssignments)) {
		for (const a of b.resourcePoolAssignments.slice(0, 50)) {
			const ao = obj(a);
			if (ao) list.push(obj(ao.resource) ?? obj(ao.guide) ?? ao);
		}
	}
	if (obj(b.resource)) list.push(b.resource);
	const out: Guide[] = [];
	for (const g of list) {
		const go = obj(g);
		if (!go) continue;
		const parsed = GuideSchema.safeParse(
			compact({
				id: firstStr(go, ['id', 'guide_id', 'resourceId', 'resource_id']),
				name: firstStr(go, ['name', 'fullName', 'full_name']),
				email: firstStr(go, ['email']),
				phone: firstStr(go, ['phone']),
				timeZone: firstStr(go, ['timeZone', 'time_zone', 'timezone']),
				skills: Array.isArray(go.skills) ? go.skills.map(str).filter((s): s is string => !!s) : [],
			}),
		);
		if (parsed.success && (parsed.data.id || parsed.data.email || parsed.data.name)) out.push(parsed.data);
	}
	return out;
}

function partySizeFrom(b: Obj): number | undefined {
	const direct = num(first(b, ['participants', 'partySize', 'party_size', 'quantity', 'guestCount', 'guest_count', 'pax']));
	if (direct !== undefined) return Number.isInteger(direct) && direct >= 0 ? direct : undefined;
	if (Array.isArray(b.ticketQuantities)) {
		let total = 0;
		for (const t of b.ticketQuantities) total += num(obj(t)?.quantity) ?? 0;
		return Number.isInteger(total) && total >= 0 ? total : undefined;
	}
	if (Array.isArray(b.unitItems)) return b.unitItems.length;
	if (Array.isArray(b.guests)) return b.guests.length;
	return undefined;
}

function promoCodesFrom(b: Obj): string[] {
	const order = getObj(b, 'order');
	const raw = [order.promoCodes, b.promoCodes, b.promo_codes, b.promoCode, b.promo_code];
	const out = new Set<string>();
	for (const r of raw) {
		const list = Array.isArray(r) ? r : r === undefined ? [] : [r];
		for (const p of list.slice(0, 50)) {
			const code = str(p) ?? firstStr(p, ['code', 'name']);
			if (code) out.add(code);
		}
	}
	return [...out];
}

/** Top-level keys read into canonical fields; every other key is kept in `extra`. */
const CONSUMED = new Set([
	'id', 'booking_id', 'bookingId', 'uuid', 'supplierReference', 'displayId', 'display_id', 'status', 'reservationStatus',
	'fulfillmentStatusOverride', 'checkinStatus', 'returnStatus', 'primaryGuest', 'customer', 'purchaser', 'contact', 'guest',
	'customer_email', 'customerEmail', 'email', 'customer_name', 'customerName', 'customer_phone', 'customerPhone', 'phone',
	'customer_id', 'customerId', 'activitySnapshot', 'product', 'activity', 'product_id', 'productId', 'activity_id',
	'activityId', 'activity_title', 'activityName', 'productName', 'activity_type', 'location', 'guide', 'guides',
	'resourcePoolAssignments', 'timeSnapshot', 'availabilityTimeId', 'timeslotId', 'timeslot_id', 'timeslot', 'availability',
	'startsAt', 'startTime', 'start_time', 'endsAt', 'endTime', 'end_time', 'purchasedAt', 'createdAt', 'created_at',
	'utcConfirmedAt', 'updatedAt', 'updated_at', 'participants', 'partySize', 'party_size', 'quantity', 'guestCount',
	'ticketQuantities', 'unitItems', 'value', 'total', 'totalPrice', 'total_amount', 'totalAmount', 'price', 'currency',
	'balance', 'marketing_data', 'marketing', 'order', 'promoCodes', 'checkedIn', 'checked_in', 'notes', 'operatorNotes',
	'note', 'timestamp', 'channel', 'source',
]);

/**
 * A canonical Booking from one booking-like object of any shape. `event` only fills the status when
 * the object has none. Returns issues naming the payload field when the result is not a booking.
 */
export function normalizeBooking(b: Obj, shape: PayloadShape, event: string | undefined, path = '(body)'): { booking?: Booking; issues: FieldIssue[] } {
	const at = (f: string) => (path === '(body)' ? f : `${path}.${f}`);
	const activitySnap = obj(b.activitySnapshot) ?? obj(b.product) ?? obj(b.activity) ?? {};
	const timeslot = obj(b.timeslot) ?? obj(b.timeSnapshot) ?? obj(b.availability) ?? {};
	const order = getObj(b, 'order');
	const marketing = obj(b.marketing_data) ?? obj(b.marketing) ?? {};
	const id =
		shape === 'octo'
			? (str(b.supplierReference) ?? str(b.uuid))
			: firstStr(b, ['booking_id', 'bookingId', 'id']);
	if (!id) {
		const expected = shape === 'octo' ? ['supplierReference', 'uuid'] : ['booking_id', 'bookingId', 'id'];
		return { issues: [{ field: at(expected[0]), message: `No booking id: expected one of ${expected.map(at).join(', ')}` }] };
	}
	const currency = firstStr(b, ['currency']) ?? firstStr(b, ['value.currency', 'price.currency']);
	const status =
		(shape === 'peek_app_platform' ? appPlatformStatus(b) : shape === 'octo' ? octoStatus(b) : undefined) ??
		statusFromString(b.status) ??
		(bool(b.checkedIn) ?? bool(b.checked_in) ? 'checked_in' : undefined) ??
		statusFromEvent(event ?? '');
	const checkedIn =
		bool(b.checkedIn) ??
		bool(b.checked_in) ??
		(str(b.checkinStatus) ? str(b.checkinStatus)?.toUpperCase() !== 'NONE' : undefined) ??
		(status === 'checked_in' || status === 'checked_out' ? true : undefined);
	const extra: Obj = {};
	for (const [k, v] of Object.entries(b)) if (!CONSUMED.has(k)) extra[k] = v;
	if (str(b.activity_id) && str(b.product_id) && b.activity_id !== b.product_id) extra.activity_id = b.activity_id;
	if (shape === 'octo') {
		extra.octoUuid = str(b.uuid);
		if (obj(b.availability)) extra.availability = b.availability;
	}
	const dateOnly = firstStr(b, ['date']);
	if (dateOnly) extra.activityDate = dateOnly;
	const operatorNotes = firstStr(b, ['notes', 'operatorNotes', 'note']);
	const channelSnap = getObj(order, 'channelSnapshot');
	const candidate = compact({
		id,
		displayId: firstStr(b, ['displayId', 'display_id']) ?? firstStr(order, ['displayId']),
		source: sourceFor(shape),
		status,
		event,
		customer: customerFrom(b),
		activity: compact({
			id: firstStr(activitySnap, ['id', 'product_id']) ?? firstStr(b, ['product_id', 'productId', 'activity_id', 'activityId']) ?? (shape === 'octo' ? str(b.productId) : undefined),
			name: firstStr(activitySnap, ['name', 'title']) ?? firstStr(b, ['activity_title', 'activityName', 'productName']),
			type: firstStr(activitySnap, ['type', 'activity_type']) ?? firstStr(b, ['activity_type']),
			location: firstStr(activitySnap, ['location']) ?? firstStr(b, ['location']),
			tags: [],
		}),
		guides: guidesFrom(b),
		timeslotId:
			firstStr(b, ['timeslotId', 'timeslot_id', 'availabilityTimeId']) ?? firstStr(timeslot, ['id', 'legacyId']),
		startsAt: isoDateTime(first(b, ['startsAt', 'startTime', 'start_time', 'slot_datetime'])) ?? isoDateTime(first(timeslot, ['startTime', 'startsAt', 'localDateTimeStart'])),
		endsAt: isoDateTime(first(b, ['endsAt', 'endTime', 'end_time'])) ?? isoDateTime(first(timeslot, ['endTime', 'endsAt', 'localDateTimeEnd'])),
		purchasedAt: isoDateTime(first(b, ['purchasedAt', 'utcConfirmedAt', 'createdAt', 'created_at', 'timestamp'])),
		updatedAt: isoDateTime(first(b, ['updatedAt', 'updated_at'])),
		partySize: partySizeFrom(b),
		total: money(first(b, ['value', 'total', 'totalPrice', 'total_amount', 'totalAmount', 'price']), currency),
		balance: money(b.balance, currency),
		marketing: compact({
			utmSource: firstStr(marketing, ['utm_source', 'utmSource']) ?? firstStr(b, ['utm_source']),
			utmMedium: firstStr(marketing, ['utm_medium', 'utmMedium']) ?? firstStr(b, ['utm_medium']),
			utmCampaign: firstStr(marketing, ['utm_campaign', 'utmCampaign']) ?? firstStr(b, ['utm_campaign']),
			utmContent: firstStr(marketing, ['utm_content', 'utmContent']),
			utmTerm: firstStr(marketing, ['utm_term', 'utmTerm']),
			affiliateId: firstStr(marketing, ['affiliate_id', 'affiliateId']),
			referralUrl: firstStr(marketing, ['referral_url', 'referralUrl']),
			promoCodes: promoCodesFrom(b),
			channel: str(channelSnap.name) ?? firstStr(b, ['channel', 'source.name']) ?? (typeof b.source === 'string' ? str(b.source) : undefined),
		}),
		checkedIn,
		notes: operatorNotes,
		extra: compact(extra),
	});
	const parsed = BookingSchema.safeParse(candidate);
	if (!parsed.success) return { issues: formatIssues(parsed.error).map((m) => ({ field: at(m.split(':')[0]), message: m })) };
	return { booking: parsed.data, issues: [] };
}

function sourceFor(shape: PayloadShape): Booking['source'] {
	switch (shape) {
		case 'seed_flat':
			return 'seed_flat';
		case 'seed_nested':
			return 'seed_nested';
		case 'seed_slot':
			return 'seed_slot';
		case 'peek_app_platform':
			return 'peek_app_platform';
		case 'octo':
			return 'octo';
		default:
			return 'peek_automation_api';
	}
}

/** A booking as Peek's automation API returns it (`GET /bookings/:id`), possibly wrapped. */
export function normalizePeekRecord(body: unknown): Booking | undefined {
	const root = obj(body);
	if (!root) return undefined;
	const inner = obj(root.booking) ?? obj(root.data) ?? root;
	const shape: PayloadShape =
		detectShape(inner, undefined, {}) === 'peek_app_platform' ? 'peek_app_platform' : 'peek_automation_api';
	return normalizeBooking(inner, shape, undefined).booking;
}

function bodyHashId(parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

function eventForUnnamed(shape: PayloadShape, inner: Obj): string | undefined {
	// Peek's app-platform booking webhook fires on create and update and says neither (PEEK.md §2).
	if (shape === 'peek_app_platform') return 'booking.updated';
	if (shape === 'octo') return octoStatus(inner) === 'cancelled' ? 'booking.cancelled' : 'booking.updated';
	if (shape === 'peek_waiver' && str(inner.agreement_template_id)) return 'waiver.signed';
	return undefined;
}

/**
 * Reads one webhook body into a Delivery, or field-named issues (HTTP 400). `headerEvent` is the
 * event named by a header, for senders that keep it out of the body.
 */
export function parseDelivery(body: unknown, headerEvent?: string): ParseResult {
	if (!isObj(body)) return fail({ field: '(body)', message: 'Body must be a JSON object' });
	const { inner, path } = unwrap(body);
	const rawEvent = first(body, ['event', 'eventType', 'event_type', 'type', 'topic', 'name']) ?? headerEvent;
	const declared = rawEvent === 'booking_update' ? 'booking_update' : normalizeEventName(rawEvent);
	const shape = detectShape(inner, declared, body);
	let event = declared === 'booking_update' ? eventForUnnamed('octo', inner) : declared;
	let eventInferred = false;
	if (!event) {
		event = eventForUnnamed(shape, inner);
		eventInferred = event !== undefined;
	}
	if (!event) return fail({ field: 'event', message: 'No event type: expected "event" (or "eventType") in the body, or an x-peek-event header' });
	if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(event)) return fail({ field: 'event', message: 'Event type is not of the form "resource.action"' });

	const envelopeId = inner !== body ? firstStr(body, ['eventId', 'event_id', 'id']) : firstStr(body, ['eventId', 'event_id']);
	const base = {
		event,
		eventInferred,
		eventId: envelopeId,
		deliveryId: firstStr(body, ['deliveryId', 'delivery_id']),
		occurredAt: isoDateTime(first(body, ['occurredAt', 'occurred_at', 'timestamp', 'created_at'])) ?? isoDateTime(first(inner, ['timestamp'])),
		shape,
		recordPath: path,
	};
	const at = (f: string) => (path === '(body)' ? f : `${path}.${f}`);

	switch (shape) {
		case 'seed_slot': {
			const activityId = firstStr(inner, ['activity_id', 'activityId', 'product_id']);
			const startsAt = isoDateTime(first(inner, ['slot_datetime', 'start_time', 'startsAt']));
			const issues: FieldIssue[] = [];
			if (!activityId) issues.push({ field: at('activity_id'), message: 'No activity id for the slot' });
			if (!startsAt) issues.push({ field: at('slot_datetime'), message: 'No slot date-time with offset (ISO-8601)' });
			if (issues.length) return fail(...issues);
			const spots = num(inner.spots_available ?? inner.spotsAvailable);
			const withId = { ...inner, id: firstStr(inner, ['timeslot_id', 'timeslotId']) ?? `slot:${activityId}:${startsAt}` };
			const { booking, issues: bi } = normalizeBooking(withId, 'seed_slot', event, path);
			if (!booking) return fail(...bi);
			booking.status = 'unknown';
			if (spots !== undefined) booking.extra.spotsAvailable = spots;
			return { ok: true, delivery: { ...base, kind: 'slot', record: booking, details: compact({ spotsAvailable: spots }) } };
		}
		case 'seed_waitlist': {
			const activityId = firstStr(inner, ['activity_id', 'activityId', 'product_id']);
			const createdAt = isoDateTime(first(inner, ['created_at', 'createdAt'])) ?? base.occurredAt;
			const email = firstStr(inner, ['email', 'customer_email']) ?? firstStr(inner, ['customer.email']);
			const issues: FieldIssue[] = [];
			if (!activityId) issues.push({ field: at('activity_id'), message: 'No activity id for the waitlist entry' });
			if (!createdAt) issues.push({ field: at('created_at'), message: 'No creation date-time with offset (ISO-8601)' });
			if (issues.length) return fail(...issues);
			const candidate = compact({
				id: firstStr(inner, ['id', 'entry_id', 'waitlist_entry_id']) ?? `wl:${bodyHashId([activityId, email, createdAt])}`,
				activityId,
				timeslotId: firstStr(inner, ['timeslot_id', 'timeslotId']),
				startsAt: isoDateTime(first(inner, ['start_time', 'startsAt', 'slot_datetime'])),
				partySize: num(inner.party_size ?? inner.partySize) ?? 1,
				createdAt,
				customer: customerFrom(inner),
				notes: firstStr(inner, ['customer_notes', 'notes']),
				priority: num(inner.priority),
			});
			const parsed = WaitlistEntrySchema.safeParse(candidate);
			if (!parsed.success) return fail(...formatIssues(parsed.error).map((m) => ({ field: at(m.split(':')[0]), message: m })));
			return { ok: true, delivery: { ...base, kind: 'waitlist_entry', record: parsed.data as WaitlistEntry, details: {} } };
		}
		case 'customer': {
			const customer = CustomerSchema.safeParse(customerFrom({ customer: obj(inner.customer) ?? inner }));
			if (!customer.success || !(customer.data.id || customer.data.email)) {
				return fail({ field: at('email'), message: 'No customer id or email' });
			}
			return { ok: true, delivery: { ...base, kind: 'customer', record: customer.data, details: {} } };
		}
		case 'resource': {
			const guides = guidesFrom({ ...inner, guide: inner.guide ?? inner.resource ?? (inner.name || inner.email ? inner : undefined) });
			const timeslotId = firstStr(inner, ['timeslot_id', 'timeslotId']);
			if (!guides.length && !timeslotId) return fail({ field: at('resource'), message: 'No resource or timeslot in the payload' });
			return { ok: true, delivery: { ...base, kind: 'resource', record: compact({ guides, timeslotId }), details: {} } };
		}
		case 'peek_waiver': {
			const bookingId = firstStr(inner, ['booking_id', 'bookingId']);
			if (!bookingId) return fail({ field: at('booking_id'), message: 'No booking id on the waiver signature' });
			const waiverData = getObj(inner, 'waiver_data');
			const details = compact({
				waiver: compact({
					agreementTemplateId: firstStr(inner, ['agreement_template_id']),
					fileUrl: firstStr(inner, ['file_url']),
					signedAt: isoDateTime(inner.signed_at),
					signedByGuardian: bool(inner.signed_by_guardian),
					participantName: str(waiverData.participant_name),
					participantOptinMarketing: bool(waiverData.participant_optin_marketing),
					participantOptinSms: bool(waiverData.participant_optin_sms),
				}),
			});
			const { booking, issues } = normalizeBooking({ id: bookingId }, 'peek_automation_api', event, path);
			if (!booking) return fail(...issues);
			booking.status = 'unknown';
			return { ok: true, delivery: { ...base, kind: 'booking', bookingId, record: booking, details } };
		}
		default: {
			const { booking, issues } = normalizeBooking(inner, shape, event, path);
			if (!booking) return fail(...issues);
			return { ok: true, delivery: { ...base, kind: 'booking', bookingId: booking.id, record: booking, details: {} } };
		}
	}
}

/** Life-cycle events a booking's state implies beyond the delivered event. */
export function derivedEvents(delivered: string, booking: Pick<Booking, 'status'> | undefined): string[] {
	if (!booking) return [];
	const byStatus: Partial<Record<BookingStatus, string>> = {
		cancelled: 'booking.cancelled',
		no_show: 'booking.no_show',
		checked_in: 'booking.checked_in',
		checked_out: 'booking.checked_out',
		pending: 'cart.abandoned',
	};
	const e = byStatus[booking.status];
	return e && e !== delivered ? [e] : [];
}

/**
 * Peek's record wins over the delivered payload wherever it has a value; gaps are filled from the
 * payload and listed, so a flow can tell verified fields from delivered-only ones.
 */
export function mergeVerified(record: Booking, delivered: Booking): { booking: Booking; unverifiedFields: string[] } {
	const unverified: string[] = [];
	const walk = (rec: unknown, del: unknown, path: string): unknown => {
		if (isObj(rec) && isObj(del)) {
			const out: Obj = { ...rec };
			for (const [k, v] of Object.entries(del)) out[k] = walk(rec[k], v, path ? `${path}.${k}` : k);
			return out;
		}
		if (Array.isArray(rec) && rec.length) return rec;
		if (rec !== undefined && !(Array.isArray(rec) && Array.isArray(del) && del.length)) return rec;
		if (del === undefined || (Array.isArray(del) && !del.length)) return rec;
		unverified.push(path);
		return del;
	};
	const merged = walk(record, delivered, '') as Booking;
	// Identity fields always come from Peek.
	merged.id = record.id;
	merged.source = record.source;
	merged.status = record.status === 'unknown' ? delivered.status : record.status;
	if (record.status === 'unknown' && delivered.status !== 'unknown') unverified.push('status');
	return { booking: merged, unverifiedFields: unverified.filter((p) => !['event', 'schema'].includes(p)) };
}
