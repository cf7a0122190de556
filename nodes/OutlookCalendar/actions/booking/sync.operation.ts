import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { hashInput } from '../../../shared/audit';
import { guideLabel, renderTemplate, templateFields, type BookingView } from '../../helpers/booking';
import { BOOKING_PROPERTY_ID, calendarViewPart, conflictsIn, lookupPart, type Busy } from '../../helpers/graph';
import { auditFor, failureItems, phaseOf, writesNothing, type Failure } from '../../helpers/output';
import { fromGraphTime, utcIso } from '../../helpers/time';
import { batchError, graphBatch, mailboxPath, type BatchPart, type BatchResult } from '../../transport';
import { conflictOptions, conflictSettings, resolveTargets, suggestAlternatives, timeOptions, windowOf, type ConflictSettings, type Target } from './shared';

const show = { resource: ['booking'], operation: ['sync'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Each item must be a Peek Pro booking (Peek Pro Trigger or Peek Pro node output) with its ID, status, start time and guides, e.g. {{ $json.booking }}. The event keeps the booking ID, so it is found again by that ID, never by its subject.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Event Content',
		name: 'eventContent',
		type: 'collection',
		placeholder: 'Add content setting',
		default: {},
		displayOptions: { show },
		description: 'Templates take {activity}, {customerName}, {partySize}, {meetingPoint}, {notes}, {status}, {start}, {bookingId} and {bookingUrl}',
		options: [
			{ displayName: 'Body', name: 'body', type: 'string', typeOptions: { rows: 4 }, default: '{activity} for {customerName}, party of {partySize}.\nMeeting point: {meetingPoint}\nNotes: {notes}\n{bookingUrl}' },
			{ displayName: 'Booking Link', name: 'bookingUrl', type: 'string', default: '', placeholder: 'e.g. https://pro.peek.com/bookings/{bookingId}', description: 'Link back to the booking, used as {bookingUrl}' },
			{ displayName: 'Category', name: 'category', type: 'string', default: 'Peek Pro', description: 'Outlook category tag on every event; empty for none' },
			{ displayName: 'Location', name: 'location', type: 'string', default: '{meetingPoint}' },
			{ displayName: 'Reminder (Minutes Before)', name: 'reminderMinutes', type: 'number', typeOptions: { minValue: 0 }, default: 30, description: '0 turns the reminder off' },
			{ displayName: 'Subject', name: 'subject', type: 'string', default: '{activity}: {customerName} ({partySize})' },
		],
	},
	conflictOptions(['sync']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Calendar ID', name: 'calendarId', type: 'string', default: '', description: 'A calendar other than the mailbox\'s default one' },
			{ displayName: 'Cancellation Comment', name: 'cancelComment', type: 'string', default: 'The booking was cancelled in Peek Pro.', description: 'Sent to attendees when an event with attendees is cancelled' },
			{
				displayName: 'On Cancellation',
				name: 'cancelMode',
				type: 'options',
				options: [
					{ name: 'Cancel When Attendees Were Invited, Else Delete', value: 'cancelWhenInvited' },
					{ name: 'Always Delete', value: 'delete' },
				],
				default: 'cancelWhenInvited',
			},
			{ displayName: 'Unpaid Bookings Are Tentative', name: 'unpaidTentative', type: 'boolean', default: true, description: 'Whether a booking with a balance due shows as tentative, like a pending one' },
			...timeOptions,
		],
	},
];

type Action = 'created' | 'updated' | 'cancelled' | 'deleted' | 'none' | 'skipped';

const CANCEL_STATUSES = new Set(['cancelled', 'expired']);
const BUSY_STATUSES = new Set(['confirmed', 'checked_in', 'checked_out', 'no_show']);

export function isCancel(b: BookingView): boolean {
	return CANCEL_STATUSES.has(b.status);
}

/** Booking status → Outlook free/busy: pending or unpaid → tentative, confirmed and later → busy. */
export function showAsFor(b: BookingView, unpaidTentative: boolean): 'tentative' | 'busy' | undefined {
	if (b.status === 'pending') return 'tentative';
	if (!BUSY_STATUSES.has(b.status)) return undefined;
	return unpaidTentative && b.unpaid ? 'tentative' : 'busy';
}

/** One idempotency key per booking and mailbox: a create retried after a lost answer is the same create. */
export function transactionIdFor(bookingId: string, mailbox: string): string {
	return `peekpro-${hashInput(`${bookingId}|${mailbox.toLowerCase()}`).slice(0, 32)}`;
}

function eventBody(ctx: IExecuteFunctions, t: Target, showAs: string): IDataObject {
	const c = ctx.getNodeParameter('eventContent', t.itemIndex, {}) as IDataObject;
	const bookingUrl = renderTemplate(String(c.bookingUrl ?? ''), { bookingId: encodeURIComponent(t.booking.id) });
	const fields = templateFields(t.booking, bookingUrl, t.start!.setZone(t.zone).toFormat('ccc d LLL HH:mm'));
	const reminder = Number(c.reminderMinutes ?? 30);
	const category = String(c.category ?? 'Peek Pro').trim();
	const body: IDataObject = {
		subject: renderTemplate(String(c.subject ?? '{activity}: {customerName} ({partySize})'), fields).slice(0, 255),
		body: { contentType: 'text', content: renderTemplate(String(c.body ?? '{activity} for {customerName}, party of {partySize}.\nMeeting point: {meetingPoint}\nNotes: {notes}\n{bookingUrl}'), fields) },
		start: t.graphStart,
		end: t.graphEnd,
		showAs,
		isReminderOn: reminder > 0,
	};
	const location = renderTemplate(String(c.location ?? '{meetingPoint}'), fields).trim();
	if (location) body.location = { displayName: location };
	if (reminder > 0) body.reminderMinutesBeforeStart = reminder;
	if (category) body.categories = [category];
	return body;
}

interface Decision {
	target: Target;
	action: Action;
	existing?: IDataObject;
	duplicates: string[];
	write?: BatchPart;
	conflicts: Busy[];
	outlookChanges: IDataObject[];
	showAs?: string;
	settings: ConflictSettings;
}

/** Outlook-side changes the two-way phase reports: attendee responses and a moved event. */
function outlookChangesOf(existing: IDataObject, t: Target): IDataObject[] {
	const changes: IDataObject[] = [];
	for (const a of (existing.attendees as IDataObject[] | undefined) ?? []) {
		const response = String((a.status as IDataObject | undefined)?.response ?? '');
		if (response === 'declined' || response === 'tentativelyAccepted') changes.push({ kind: response, attendee: (a.emailAddress as IDataObject | undefined)?.address ?? null });
	}
	const start = fromGraphTime(existing.start as IDataObject);
	const end = fromGraphTime(existing.end as IDataObject);
	if (start && t.start && (start.toMillis() !== t.start.toMillis() || (end && t.end && end.toMillis() !== t.end.toMillis()))) {
		changes.push({ kind: 'moved', bookingStart: utcIso(t.start), outlookStart: utcIso(start), outlookEnd: end ? utcIso(end) : null });
	}
	return changes;
}

/**
 * Sync booking to event, in three steps over all items: one `$batch` run of lookups (the event by
 * the booking-id extended property, and the guide's calendar view when the event is new or moves),
 * the decisions, then one `$batch` run of writes. Creates carry a `transactionId`, so a create that
 * Graph ran but whose answer was lost is not made twice.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const phase = phaseOf(this);
	const { targets, skipped, failures } = resolveTargets(this, items, (b) => !isCancel(b));

	const parts: BatchPart[] = [];
	const lookupAt = new Map<Target, number>();
	const viewAt = new Map<Target, number>();
	const settingsOf = new Map<Target, ConflictSettings>();
	for (const t of targets) {
		const calendarId = this.getNodeParameter('options.calendarId', t.itemIndex, '') as string;
		const settings = conflictSettings(this, t.itemIndex);
		settingsOf.set(t, settings);
		lookupAt.set(t, parts.push(lookupPart(t.mailbox, t.booking.id, calendarId)) - 1);
		if (!isCancel(t.booking) && settings.enabled) {
			const { from, to } = windowOf(t, settings);
			viewAt.set(t, parts.push(calendarViewPart(t.mailbox, from, to, calendarId)) - 1);
		}
	}
	const answers = parts.length ? await graphBatch.call(this, parts) : [];

	const fail = (t: Target, result: BatchResult, what: string) => {
		const error = batchError(this, result, what, t.itemIndex);
		const code = (error.context?.vendorCode as string | undefined) ?? undefined;
		failures.push({ itemIndex: t.itemIndex, bookingId: t.booking.id, guide: guideLabel(t.guide), graphCode: code, message: `${what} for booking ${t.booking.id}, guide ${guideLabel(t.guide)} (${t.mailbox}): ${error.message}${code ? ` [${code}]` : ''}`, description: error.description ?? undefined });
	};

	const decisions: Decision[] = [];
	for (const t of targets) {
		const settings = settingsOf.get(t)!;
		const lookup = answers[lookupAt.get(t)!];
		if (!lookup || lookup.status >= 300) {
			fail(t, lookup ?? { status: 0, body: {}, headers: {} }, 'Looking up the event');
			continue;
		}
		const found = ((lookup.body.value as IDataObject[] | undefined) ?? []).filter((e) => e.isCancelled !== true);
		const existing = found[0];
		const d: Decision = { target: t, action: 'none', existing, duplicates: found.slice(1).map((e) => String(e.id)), conflicts: [], outlookChanges: [], settings };
		const calendarId = this.getNodeParameter('options.calendarId', t.itemIndex, '') as string;
		const eventsUrl = calendarId ? `${mailboxPath(t.mailbox)}/calendars/${encodeURIComponent(calendarId)}/events` : `${mailboxPath(t.mailbox)}/events`;
		if (isCancel(t.booking)) {
			if (existing) {
				const cancelMode = this.getNodeParameter('options.cancelMode', t.itemIndex, 'cancelWhenInvited') as string;
				const invited = ((existing.attendees as unknown[] | undefined) ?? []).length > 0;
				if (invited && cancelMode === 'cancelWhenInvited') {
					const comment = this.getNodeParameter('options.cancelComment', t.itemIndex, 'The booking was cancelled in Peek Pro.') as string;
					d.action = 'cancelled';
					d.write = { method: 'POST', url: `${mailboxPath(t.mailbox)}/events/${encodeURIComponent(String(existing.id))}/cancel`, body: comment ? { comment } : {}, idempotent: true };
				} else {
					d.action = 'deleted';
					d.write = { method: 'DELETE', url: `${mailboxPath(t.mailbox)}/events/${encodeURIComponent(String(existing.id))}` };
				}
			}
			decisions.push(d);
			continue;
		}
		const showAs = showAsFor(t.booking, this.getNodeParameter('options.unpaidTentative', t.itemIndex, true) as boolean);
		if (!showAs) {
			failures.push({ itemIndex: t.itemIndex, bookingId: t.booking.id, guide: guideLabel(t.guide), message: `Booking ${t.booking.id} has status "${t.booking.status}", which maps to no calendar state (field "status")`, description: 'Known: pending, confirmed, checked_in, checked_out, no_show (event kept), cancelled, expired (event removed).' });
			continue;
		}
		d.showAs = showAs;
		const body = eventBody(this, t, showAs);
		if (existing && phase === 'twoWay') {
			d.outlookChanges = outlookChangesOf(existing, t);
			// The guide (or a dispatcher) moved the event in Outlook: report it, do not move it back.
			if (d.outlookChanges.some((c) => c.kind === 'moved')) {
				delete body.start;
				delete body.end;
			}
		}
		const existingStart = existing ? fromGraphTime(existing.start as IDataObject) : undefined;
		const moves = !existing || (body.start !== undefined && existingStart?.toMillis() !== t.start!.toMillis());
		const view = viewAt.has(t) ? answers[viewAt.get(t)!] : undefined;
		if (moves && view) {
			if (view.status >= 300) {
				fail(t, view, 'Checking the calendar for conflicts');
				continue;
			}
			d.conflicts = conflictsIn((view.body.value as IDataObject[] | undefined) ?? [], t.booking.id, settings.tentativeClashes);
		}
		if (existing) {
			d.action = 'updated';
			d.write = { method: 'PATCH', url: `${mailboxPath(t.mailbox)}/events/${encodeURIComponent(String(existing.id))}`, body };
		} else {
			d.action = 'created';
			d.write = {
				method: 'POST',
				url: eventsUrl,
				body: { ...body, singleValueExtendedProperties: [{ id: BOOKING_PROPERTY_ID, value: t.booking.id }], transactionId: transactionIdFor(t.booking.id, t.mailbox) },
				idempotent: true,
			};
		}
		decisions.push(d);
	}

	const clashing = decisions.filter((d) => d.conflicts.length);
	const alternatives = clashing.length ? await suggestAlternatives(this, clashing.map((d) => ({ target: d.target, settings: d.settings }))) : new Map();

	const toWrite = decisions.filter((d) => d.write && !d.conflicts.length && !writesNothing(this, items[d.target.itemIndex].json));
	const written = toWrite.length ? await graphBatch.call(this, toWrite.map((d) => d.write!)) : [];
	const writeResult = new Map<Decision, BatchResult>();
	toWrite.forEach((d, i) => writeResult.set(d, written[i]));

	const done: INodeExecutionData[] = [];
	const conflicts: INodeExecutionData[] = [];
	for (const d of decisions) {
		const t = d.target;
		const input = items[t.itemIndex].json;
		const shadow = writesNothing(this, input);
		const result = writeResult.get(d);
		if (result && result.status >= 300) {
			fail(t, result, d.action === 'created' ? 'Creating the event' : d.action === 'updated' ? 'Updating the event' : 'Removing the event');
			continue;
		}
		const event = result?.body && result.status !== 204 && result.status !== 202 ? result.body : d.existing;
		const eventId = typeof event?.id === 'string' ? event.id : null;
		const webLink = typeof event?.webLink === 'string' ? event.webLink : null;
		const conflicted = d.conflicts.length > 0;
		const json: IDataObject = {
			bookingId: t.booking.id,
			status: t.booking.status,
			guide: guideLabel(t.guide),
			mailbox: t.mailbox,
			action: conflicted ? 'none' : d.action,
			wouldDo: shadow || conflicted ? d.action : undefined,
			showAs: d.showAs ?? null,
			eventId,
			webLink,
			start: t.start ? utcIso(t.start) : null,
			end: t.end ? utcIso(t.end) : null,
			timeZone: t.zone,
			phase,
			writeBack: eventId && !isCancel(t.booking) ? { 'outlook.eventId': eventId, 'outlook.webLink': webLink ?? '' } : {},
			booking: t.booking.raw,
		};
		if (shadow) {
			json.shadow = true;
			if (d.write) json.request = { method: d.write.method, url: d.write.url, body: d.write.body ?? null };
		}
		if (d.duplicates.length) json.duplicateEventIds = d.duplicates;
		if (t.warnings.length) json.warnings = t.warnings;
		if (phase === 'twoWay') json.outlookChanges = d.outlookChanges;
		if (conflicted) {
			json.conflicts = d.conflicts as unknown as IDataObject[];
			json.alternatives = alternatives.get(t) ?? { freeGuides: [], freeWindows: [] };
		}
		json.audit = await auditFor(this, input, {
			decision: conflicted ? 'conflict' : d.action,
			bookingId: t.booking.id,
			operation: 'booking.sync',
			result: conflicted ? 'pending_approval' : shadow ? 'shadow' : d.write ? 'sent' : 'skipped',
			shadow,
			summary: { showAs: d.showAs ?? '', conflicts: d.conflicts.length, phase },
			detail: conflicted ? `${d.conflicts.length} clashing event(s); nothing written` : undefined,
		});
		(conflicted ? conflicts : done).push({ json, pairedItem: { item: t.itemIndex } });
	}
	for (const s of skipped) {
		const audit = await auditFor(this, items[s.itemIndex].json, { decision: 'skipped', bookingId: s.booking.id, operation: 'booking.sync', result: 'skipped', shadow: writesNothing(this, items[s.itemIndex].json), detail: s.reason });
		done.push({
			json: { bookingId: s.booking.id, guide: guideLabel(s.guide), action: 'skipped', reason: s.reason, phase, booking: s.booking.raw, audit },
			pairedItem: { item: s.itemIndex },
		});
	}
	const errors = failureItems(this, items, failures as Failure[], done.length + conflicts.length);
	return [[...done, ...errors], conflicts];
}
