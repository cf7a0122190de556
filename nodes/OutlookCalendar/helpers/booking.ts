import type { IDataObject } from 'n8n-workflow';

import { pick, num, str } from '../../shared/fields';

/** The canonical booking as this node reads it: tolerant of a booking nested under `booking`. */
export interface BookingView {
	id: string;
	status: string;
	startsAt?: string;
	endsAt?: string;
	durationMinutes?: number;
	timeZone?: string;
	activity: string;
	customerName: string;
	partySize?: number;
	meetingPoint: string;
	notes: string;
	unpaid: boolean;
	guides: GuideRef[];
	raw: IDataObject;
}

export interface GuideRef {
	id?: string;
	name?: string;
	email?: string;
	timeZone?: string;
}

export class BookingInputError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
	}
}

function asObject(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** `guides` as an array, an object keyed by anything, or a single `guide`; Peek's resource/user assignments too. */
function guidesOf(b: IDataObject): GuideRef[] {
	const raw = b.guides ?? b.guide ?? b.assignedGuides ?? (asObject(b.extra)?.guides as unknown);
	const list: unknown[] = Array.isArray(raw) ? raw : asObject(raw) ? ('email' in (raw as IDataObject) || 'id' in (raw as IDataObject) || 'name' in (raw as IDataObject) ? [raw] : Object.values(raw as IDataObject)) : typeof raw === 'string' ? [raw] : [];
	return list
		.map((g): GuideRef | undefined => {
			if (typeof g === 'string') return g.includes('@') ? { email: g.trim() } : { name: g.trim(), id: g.trim() };
			const o = asObject(g);
			if (!o) return undefined;
			return {
				id: str(pick(o, ['id', 'resourceId', 'userId', 'user_id'])),
				name: str(pick(o, ['name', 'fullName', 'full_name', 'displayName'])),
				email: str(pick(o, ['email', 'mail', 'emailAddress'])),
				timeZone: str(pick(o, ['timeZone', 'timezone', 'time_zone'])),
			};
		})
		.filter((g): g is GuideRef => !!g && !!(g.id || g.name || g.email));
}

export function readBooking(json: IDataObject): BookingView {
	const nested = asObject(json.booking);
	const b = nested && (nested.id !== undefined || nested.status !== undefined) ? nested : json;
	const id = str(pick(b, ['id', 'bookingId', 'booking_id']));
	if (!id) throw new BookingInputError('The item has no booking id (field "id")', 'id');
	const status = (str(b.status) ?? 'unknown').toLowerCase().replace(/^canceled$/, 'cancelled');
	const activity = asObject(b.activity) ?? {};
	const customer = asObject(b.customer) ?? {};
	const extra = asObject(b.extra) ?? {};
	const balance = num(pick(b, ['balance.amount', 'balance', 'amountDue', 'amount_due']));
	const paymentStatus = str(pick(b, ['paymentStatus', 'payment_status', 'extra.paymentStatus']))?.toLowerCase();
	const guides = guidesOf(b);
	const customerName = str(customer.fullName) ?? [str(customer.firstName), str(customer.lastName)].filter(Boolean).join(' ');
	const partySize = num(b.partySize);
	return {
		id,
		status,
		startsAt: str(pick(b, ['startsAt', 'starts_at', 'start_time', 'startTime'])),
		endsAt: str(pick(b, ['endsAt', 'ends_at', 'end_time', 'endTime'])),
		durationMinutes: Number.isFinite(num(activity.durationMinutes)) ? num(activity.durationMinutes) : undefined,
		timeZone: str(pick(b, ['activity.timeZone', 'activity.timezone', 'timeZone', 'timezone', 'extra.timeZone', 'extra.timezone'])),
		activity: str(pick(activity, ['name', 'title'])) ?? 'Tour',
		customerName,
		partySize: Number.isFinite(partySize) ? partySize : undefined,
		meetingPoint: str(pick(b, ['activity.meetingPoint', 'meetingPoint', 'extra.meetingPoint', 'activity.location'])) ?? '',
		notes: str(b.notes) ?? '',
		unpaid: (Number.isFinite(balance) && balance > 0) || paymentStatus === 'unpaid' || paymentStatus === 'pending' || extra.paid === false,
		guides,
		raw: b,
	};
}

/** How a guide becomes a mailbox (the issue's "guide identity"). */
export interface MailboxRules {
	source: 'guideEmail' | 'mapping';
	/** Rows of a mapping table (an n8n Data Table, a sheet): guide id, name or email → mailbox. */
	mapping: IDataObject[];
	noMailbox: 'error' | 'skip' | 'fallback';
	fallbackMailbox: string;
}

const MAPPING_KEYS = ['guide', 'guideId', 'guide_id', 'resourceId', 'userId', 'guideName', 'name', 'guideEmail', 'email'];
const MAILBOX_KEYS = ['mailbox', 'outlookMailbox', 'calendarEmail', 'userPrincipalName', 'upn'];

function norm(value: string | undefined): string {
	return (value ?? '').trim().toLowerCase();
}

export type MailboxOutcome = { mailbox: string; via: 'guideEmail' | 'mapping' | 'fallback'; reason?: undefined } | { mailbox?: undefined; reason: string };

/**
 * A guide's mailbox. Mapping rows match by guide id, then email, then name (case-insensitive), so
 * the table can be keyed by whatever the operator has. With no match, `noMailbox` decides: an error
 * item for a human (default), a skipped item, or the fallback (a dispatcher's shared calendar).
 */
export function mailboxFor(guide: GuideRef | undefined, rules: MailboxRules): MailboxOutcome {
	let found: MailboxOutcome | undefined;
	if (guide && rules.source === 'mapping') {
		const wanted = [guide.id, guide.email, guide.name].map(norm).filter(Boolean);
		for (const key of wanted) {
			const row = rules.mapping.find((r) => MAPPING_KEYS.some((k) => norm(str(r[k])) === key));
			const mailbox = row && str(pick(row, MAILBOX_KEYS));
			if (mailbox) {
				found = { mailbox: mailbox.trim(), via: 'mapping' };
				break;
			}
		}
	} else if (guide?.email && /^[^@\s]+@[^@\s]+$/.test(guide.email.trim())) {
		found = { mailbox: guide.email.trim(), via: 'guideEmail' };
	}
	if (found) return found;
	if (rules.noMailbox === 'fallback' && rules.fallbackMailbox.trim()) return { mailbox: rules.fallbackMailbox.trim(), via: 'fallback' };
	const who = guide ? `Guide ${guideLabel(guide)}` : 'No guide is assigned, so the booking';
	return { reason: `${who} has no Outlook mailbox${rules.source === 'mapping' ? ' in the mapping table' : ' (no email on the guide)'}` };
}

export function guideLabel(guide: GuideRef | undefined): string {
	if (!guide) return '(none)';
	return guide.name ? `"${guide.name}"${guide.id ? ` (${guide.id})` : ''}` : (guide.id ?? guide.email ?? '(unnamed)');
}

/** `{field}` placeholders, replaced in one linear pass; unknown names stay as written. */
export function renderTemplate(template: string, fields: Record<string, string>): string {
	return template.replace(/\{(\w{1,40})\}/g, (whole, name: string) => (name in fields ? fields[name] : whole));
}

export function templateFields(b: BookingView, bookingUrl: string, localStart: string): Record<string, string> {
	return {
		bookingId: b.id,
		activity: b.activity,
		customerName: b.customerName,
		partySize: b.partySize === undefined ? '' : String(b.partySize),
		meetingPoint: b.meetingPoint,
		notes: b.notes,
		status: b.status,
		start: localStart,
		bookingUrl,
	};
}
