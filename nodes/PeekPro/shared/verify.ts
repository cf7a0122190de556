import { createHash } from 'crypto';

import type { Booking, BookingStatus } from '../../shared/model/canonical';
import { isObj, type Obj } from './values';

/**
 * The trust boundary between an unsigned Peek delivery and the booking a workflow acts on.
 *
 * Peek signs no booking webhook (PEEK.md §2), so with verify-by-fetch the only trustworthy source is
 * Peek's own record: every booking field comes from it, and whatever only the delivery says (UTM
 * parameters, click ids, referral URLs, consent and waiver flags, custom fields) is kept apart under
 * `unverified`, never merged in. The event a delivery names is checked against the record, and an
 * app-platform delivery that names no event gets one from the record.
 */

/** How an emitted event relates to Peek's record. */
export type EventCheck =
	/** The delivery claimed a state (cancelled, checked in, ...) and Peek's record is in that state. */
	| 'confirmed'
	/** The delivery named no event; it was derived from the record (created vs updated). */
	| 'derived'
	/** The claim asserts no state (created, updated, rescheduled, waiver signed): nothing in the record contradicts it. */
	| 'consistent'
	/** The delivery claimed a state Peek's record does not have: a forgery or a stale repeat. */
	| 'contradicted'
	/** No record to check against (verify-by-fetch off), or the record carries no status. */
	| 'unchecked';

/**
 * Claimed events that assert a booking state, and the record states that bear them out. A
 * checked-in claim is borne out by a booking that has since been checked out too.
 */
const STATE_CLAIMS: Record<string, BookingStatus[]> = {
	'booking.cancelled': ['cancelled'],
	'booking.checked_in': ['checked_in', 'checked_out'],
	'booking.checked_out': ['checked_out'],
	'booking.no_show': ['no_show'],
	'cart.abandoned': ['pending', 'expired'],
};

/** A created record is updated within this long of its creation by Peek's own bookkeeping. */
export const CREATED_TOLERANCE_MS = 120_000;
/** Without an update time, a never-seen booking purchased this recently counts as created. */
export const RECENT_PURCHASE_MS = 24 * 3600_000;

/**
 * Created or updated, for a delivery that names no event (Peek's app-platform booking webhook fires
 * on both and says neither, PEEK.md §2). The rule, in order:
 * 1. The record has both a purchase/creation time and an update time: created when they are within
 *    two minutes of each other (nothing has changed since the booking was made).
 * 2. Otherwise: created when this trigger has seen no earlier delivery for the booking and it was
 *    purchased within the last 24 hours (or its purchase time is unknown); updated in every other case.
 * Rule 2 errs towards "updated" for old bookings first seen after a restart, so an upsell is never
 * sent for a months-old booking just because its first delivery to this n8n is an edit.
 */
export function createdOrUpdated(booking: Pick<Booking, 'purchasedAt' | 'updatedAt'>, seenBefore: boolean, nowMs: number): 'booking.created' | 'booking.updated' {
	const purchased = booking.purchasedAt ? Date.parse(booking.purchasedAt) : NaN;
	const updated = booking.updatedAt ? Date.parse(booking.updatedAt) : NaN;
	if (!Number.isNaN(purchased) && !Number.isNaN(updated)) {
		return Math.abs(updated - purchased) <= CREATED_TOLERANCE_MS ? 'booking.created' : 'booking.updated';
	}
	if (seenBefore) return 'booking.updated';
	if (Number.isNaN(purchased)) return 'booking.created';
	return nowMs - purchased <= RECENT_PURCHASE_MS ? 'booking.created' : 'booking.updated';
}

export interface EventDecision {
	/** The event to emit (before life-cycle derivation); undefined when the claim is contradicted. */
	event?: string;
	check: EventCheck;
	/** Why a claim was contradicted, for the response and the Invalid output. */
	reason?: string;
}

/**
 * The event for a delivery, checked against (or derived from) the booking the workflow will act on.
 * `record` is Peek's record when the delivery was verified by fetching, else the delivered booking
 * (then `fromRecord` is false and a state claim cannot be checked).
 */
export function decideEvent(
	claimed: string,
	inferred: boolean,
	booking: Pick<Booking, 'status' | 'purchasedAt' | 'updatedAt' | 'checkedIn'>,
	opts: { fromRecord: boolean; seenBefore: boolean; nowMs: number },
): EventDecision {
	if (inferred) return { event: createdOrUpdated(booking, opts.seenBefore, opts.nowMs), check: 'derived' };
	if (!opts.fromRecord) return { event: claimed, check: 'unchecked' };
	const allowed = STATE_CLAIMS[claimed];
	if (!allowed) return { event: claimed, check: 'consistent' };
	if (allowed.includes(booking.status)) return { event: claimed, check: 'confirmed' };
	// Peek's automation API keeps status "confirmed" on a checked-in booking and says so in `checkedIn`.
	if (claimed === 'booking.checked_in' && booking.checkedIn === true) return { event: claimed, check: 'confirmed' };
	if (booking.status === 'unknown') return { event: claimed, check: 'unchecked' };
	return { check: 'contradicted', reason: `The delivery claims ${claimed}, but Peek Pro's record of the booking is ${booking.status}` };
}

/** Fields of the canonical booking that never come from a delivery, whatever it says. */
const IDENTITY = new Set(['schema', 'id', 'source', 'event']);

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isObj(value) && Object.keys(value).length === 0);
}

/**
 * Peek's record as the booking, and the delivery's extra facts apart. Returns the fields the
 * delivery carries where the record has no value, in the booking's own shape
 * (`unverified.marketing.utmSource`, `unverified.customer.emailMarketingConsent`,
 * `unverified.extra.custom_fields`), and their dotted paths. The record is returned unchanged.
 */
export function splitVerified(record: Booking, delivered: Booking | undefined): { booking: Booking; unverified: Obj; unverifiedFields: string[] } {
	const fields: string[] = [];
	const walk = (rec: unknown, del: unknown, path: string): unknown => {
		if (isEmpty(del)) return undefined;
		// A whole object the record lacks is one unverified field (`extra.custom_fields`), kept as delivered.
		if (isObj(del) && path && !isObj(rec) && isEmpty(rec)) {
			fields.push(path);
			return del;
		}
		if (isObj(del)) {
			const out: Obj = {};
			const recObj = isObj(rec) ? rec : undefined;
			if (rec !== undefined && !recObj && !isEmpty(rec)) return undefined;
			for (const [k, v] of Object.entries(del)) {
				if (!path && IDENTITY.has(k)) continue;
				const part = walk(recObj?.[k], v, path ? `${path}.${k}` : k);
				if (part !== undefined) out[k] = part;
			}
			return Object.keys(out).length ? out : undefined;
		}
		if (!isEmpty(rec)) return undefined;
		// A delivered status of "unknown" says nothing, so it is not a field worth keeping.
		if (path === 'status' && del === 'unknown') return undefined;
		fields.push(path);
		return del;
	};
	const unverified = (delivered ? walk(record, delivered, '') : undefined) as Obj | undefined;
	return { booking: record, unverified: unverified ?? {}, unverifiedFields: fields };
}

/**
 * A short, stable revision of a booking: Peek's `updatedAt` when the record has one, else a hash of
 * the fields a change to which matters to the flows (status, time, party, money, check-in, guest
 * contact). Two reads of an unchanged booking give the same revision.
 */
export function revisionOf(booking: Booking): string {
	if (booking.updatedAt) return booking.updatedAt;
	const c = booking.customer ?? {};
	const facts = [booking.status, booking.startsAt, booking.endsAt, booking.timeslotId, booking.partySize, booking.total?.amount, booking.total?.currency, booking.checkedIn, c.email, c.phone];
	return `h${createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 12)}`;
}
