import { num, pick, str, time } from '../../shared/fields';
import type { ConfirmedBooking, Entry } from './types';

/**
 * Waitlist entries as they really arrive: Data Table rows (flat, numbers as text), Peek Pro's assumed
 * waitlist endpoint (camelCase, nested customer), the canonical WaitlistEntry, hand-made sheets
 * ("2 adults", "two"). Every entry becomes an Entry or an Invalid with the reason; nothing throws.
 */

export interface Invalid {
	index: number;
	entryId?: string;
	reason: string;
}

const ID = ['id', 'entryId', 'entry_id', 'waitlistEntryId', 'waitlist_entry_id'];
const PARTY = ['partySize', 'party_size', 'guests', 'quantity', 'size', 'people', 'pax'];
const CREATED = ['createdAt', 'created_at', 'addedAt', 'joinedAt', 'joined_at'];
const EMAIL = ['customer.email', 'email', 'contact.email', 'customer_email'];
const PHONE = ['customer.phone', 'phone', 'contact.phone', 'customer_phone'];
const FLEX = ['flexible', 'flexibility', 'isFlexible', 'is_flexible'];
const DESIRED = ['desiredSlot', 'desired_slot', 'timeslotId', 'timeslot_id', 'slotId', 'slot_id', 'slotKey'];
const BOOKED = ['alreadyBooked', 'already_booked', 'booked'];
const ACCEPT = ['acceptanceProbability', 'acceptance_probability', 'ai_accept_probability', 'ai_acceptance_probability', 'scores.acceptance', 'acceptance'];
const NO_SHOW = ['noShowRisk', 'no_show_risk', 'ai_no_show_probability', 'scores.noShow', 'noShowProbability'];
const VALUE = ['bookingValue', 'booking_value', 'value', 'total', 'price'];

/** Number words a guest types into a form; beyond twelve people write digits. */
const WORDS = new Map<string, number>(Object.entries({
	one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
	single: 1, solo: 1, couple: 2, pair: 2,
}));
/** Words that only describe who the seats are for: "2 adults, 1 child" is 3 seats. */
const UNITS = /^(adults?|child|children|kids?|infants?|guests?|people|persons?|pax|seniors?|students?|youths?|teens?|seats?|spots?|places?)$/;
const FILLERS = new Set(['a', 'an', 'and', 'plus', 'of', 'x']);
const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;
const TOKEN = /[a-z]+|\d+(?:\.\d+)?/g;
const MAX_PARTY_TEXT = 64;

/**
 * Party size from a number or text. Decisions: a plain number goes through the pack's one number
 * parser; text is read as counts with optional unit words, summed ("2 adults + 1 child" → 3), and
 * English number words one…twelve count ("two adults" → 2). Anything else — an unknown word, a
 * fraction, zero, "family" — is refused with the reason rather than guessed, because a wrong size
 * can oversell a slot. Text longer than 64 characters is refused before any pattern runs; the token
 * pattern has no nested quantifiers, so it runs in linear time.
 */
export function parsePartySize(value: unknown): { ok: true; size: number } | { ok: false; reason: string } {
	if (value === undefined || value === null || value === '') return { ok: false, reason: 'party size is missing' };
	const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (text.length > MAX_PARTY_TEXT) return { ok: false, reason: 'party size text is too long' };
	// Plain numbers (and numeric text) go through the pack's number parser; text with words is counted
	// here, because that parser reads digits out of any text ("two" is not 0 guests).
	let n = typeof value !== 'string' || NUMERIC.test(text) ? num(value) : Number.NaN;
	if (typeof value === 'string' && !NUMERIC.test(text)) {
		let sum = 0;
		let counted = 0;
		for (const token of text.match(TOKEN) ?? []) {
			if (/^\d/.test(token)) {
				sum += Number(token);
				counted++;
			} else if (WORDS.has(token)) {
				sum += WORDS.get(token) as number;
				counted++;
			} else if (!UNITS.test(token) && !FILLERS.has(token)) {
				return { ok: false, reason: `party size "${value}" is not a number of guests` };
			}
		}
		n = counted ? sum : Number.NaN;
	}
	if (!Number.isFinite(n)) return { ok: false, reason: `party size "${String(value)}" is not a number of guests` };
	if (!Number.isInteger(n) || n < 1) return { ok: false, reason: `party size ${n} is not a whole number of at least 1` };
	return { ok: true, size: n };
}

function bool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0;
	if (typeof value === 'string') {
		const t = value.trim().toLowerCase();
		if (['true', 'yes', 'y', '1', 'any', 'flexible', 'anytime'].includes(t)) return true;
		if (['false', 'no', 'n', '0', 'exact', 'none', 'fixed', ''].includes(t)) return false;
	}
	return undefined;
}

function probability(json: unknown, paths: string[]): number | undefined {
	const p = num(pick(json, paths));
	return Number.isFinite(p) && p >= 0 && p <= 1 ? p : undefined;
}

function contactKey(json: unknown): { has: boolean; key?: string } {
	const email = str(pick(json, EMAIL))?.trim();
	const phone = str(pick(json, PHONE))?.replace(/\D/g, '');
	const validEmail = email && email.includes('@') ? email : undefined;
	const validPhone = phone && phone.length >= 6 ? phone : undefined;
	// Not hashed here (a hash per row is most of the reading time on a long waitlist); the node hashes
	// the contacts of the entries it outputs.
	return { has: !!(validEmail || validPhone), key: validEmail ? validEmail.toLowerCase() : validPhone ? `tel:${validPhone}` : undefined };
}

export function readEntries(raw: readonly unknown[]): { entries: Entry[]; rawIndex: number[]; invalid: Invalid[] } {
	const entries: Entry[] = [];
	const rawIndex: number[] = [];
	const invalid: Invalid[] = [];
	raw.forEach((json, index) => {
		if (!json || typeof json !== 'object') {
			invalid.push({ index, reason: 'the waitlist entry is not an object' });
			return;
		}
		const id = str(pick(json, ID))?.trim();
		if (!id) {
			invalid.push({ index, reason: 'the waitlist entry has no id (id or entryId), so it could not be kept from a second offer' });
			return;
		}
		const party = parsePartySize(pick(json, PARTY));
		if (!party.ok) {
			invalid.push({ index, entryId: id, reason: `Entry ${id}: ${party.reason}` });
			return;
		}
		const status = str(pick(json, ['status']))?.toLowerCase();
		if (status === 'removed' || status === 'expired') {
			invalid.push({ index, entryId: id, reason: `Entry ${id} has status "${status}"` });
			return;
		}
		const contact = contactKey(json);
		const desired = str(pick(json, DESIRED));
		entries.push({
			id,
			partySize: party.size,
			createdAt: time(pick(json, CREATED)),
			hasContact: contact.has,
			contactKey: contact.key,
			flexible: bool(pick(json, FLEX)) ?? false,
			desiredSlot: desired,
			alreadyBooked: bool(pick(json, BOOKED)) === true || status === 'accepted' || status === 'booked' || status === 'confirmed',
			acceptance: probability(json, ACCEPT),
			noShowRisk: probability(json, NO_SHOW),
			value: (() => {
				const v = num(pick(json, VALUE));
				return Number.isFinite(v) ? v : undefined;
			})(),
		});
		rawIndex.push(index);
	});
	return { entries, rawIndex, invalid };
}

/** Confirmed bookings of the slot (canonical bookings or flat rows); those without a size are left out of the overbooking arithmetic. */
export function readConfirmed(raw: readonly unknown[], defaultRisk: number): ConfirmedBooking[] {
	const out: ConfirmedBooking[] = [];
	for (const json of raw) {
		if (!json || typeof json !== 'object') continue;
		const status = str(pick(json, ['status']))?.toLowerCase();
		if (status === 'cancelled' || status === 'canceled') continue;
		const party = parsePartySize(pick(json, PARTY));
		if (!party.ok) continue;
		out.push({
			partySize: party.size,
			noShowRisk: probability(json, [...NO_SHOW, 'ai.probability']) ?? defaultRisk,
			contactKey: contactKey(json).key,
		});
	}
	return out;
}

/** Freed seats from a number or text ("4", "4 seats"); null = unknown (empty, negative, not a number). */
export function readSeats(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const parsed = parsePartySize(value);
	if (parsed.ok) return parsed.size;
	// Zero freed seats is a real answer ("the cancellation freed nothing"); any other refusal is unknown.
	return value === 0 || (typeof value === 'string' && NUMERIC.test(value.trim()) && num(value) === 0) ? 0 : null;
}
