import type { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { mailboxPath, type BatchPart } from '../transport';
import { fromGraphTime, graphTime, utcIso } from './time';

/**
 * The named single-value extended property that carries the Peek Pro booking id on an event.
 * Named (not by subject) so a renamed event is still found; the GUID is this pack's own namespace.
 */
export const BOOKING_PROPERTY_ID = 'String {5e5a1c7b-3f0e-4c39-9d4b-7a2f0c8e61d4} Name PeekProBookingId';

/** Filter values are OData string literals: a quote is doubled, nothing else needs escaping. */
function odataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

function eventsRoot(mailbox: string, calendarId: string): string {
	return calendarId ? `${mailboxPath(mailbox)}/calendars/${encodeURIComponent(calendarId)}` : mailboxPath(mailbox);
}

const EVENT_SELECT = 'id,subject,start,end,showAs,isCancelled,webLink,attendees,responseStatus,categories';

export function lookupPart(mailbox: string, bookingId: string, calendarId: string): BatchPart {
	const filter = `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(BOOKING_PROPERTY_ID)} and ep/value eq ${odataString(bookingId)})`;
	const expand = `singleValueExtendedProperties($filter=id eq ${odataString(BOOKING_PROPERTY_ID)})`;
	return {
		method: 'GET',
		url: `${eventsRoot(mailbox, calendarId)}/events?$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent(expand)}&$select=${EVENT_SELECT}`,
	};
}

export function calendarViewPart(mailbox: string, from: DateTime, to: DateTime, calendarId: string): BatchPart {
	const expand = `singleValueExtendedProperties($filter=id eq ${odataString(BOOKING_PROPERTY_ID)})`;
	return {
		method: 'GET',
		url: `${eventsRoot(mailbox, calendarId)}/calendarView?startDateTime=${encodeURIComponent(utcIso(from))}&endDateTime=${encodeURIComponent(utcIso(to))}&$select=${EVENT_SELECT}&$expand=${encodeURIComponent(expand)}&$top=100`,
	};
}

export function getSchedulePart(owner: string, schedules: string[], from: DateTime, to: DateTime, intervalMinutes: number): BatchPart {
	return {
		method: 'POST',
		url: `${mailboxPath(owner)}/calendar/getSchedule`,
		body: { schedules, startTime: graphTime(from, 'UTC'), endTime: graphTime(to, 'UTC'), availabilityViewInterval: intervalMinutes },
		// getSchedule reads; sending it twice is harmless.
		idempotent: true,
	};
}

export function bookingIdOfEvent(event: IDataObject): string | undefined {
	const props = (event.singleValueExtendedProperties as IDataObject[] | undefined) ?? [];
	const mine = props.find((p) => String(p.id).toLowerCase() === BOOKING_PROPERTY_ID.toLowerCase());
	return typeof mine?.value === 'string' ? mine.value : undefined;
}

export interface Busy {
	subject?: string;
	eventId?: string;
	showAs: string;
	start: string;
	end: string;
}

const BLOCKING = new Set(['busy', 'oof', 'workingelsewhere']);

/** Events in the window that block the guide: not cancelled, not free, not this booking's own event. */
export function conflictsIn(events: IDataObject[], bookingId: string, countTentative: boolean): Busy[] {
	return events
		.filter((e) => e.isCancelled !== true && bookingIdOfEvent(e) !== bookingId)
		.filter((e) => {
			const showAs = String(e.showAs ?? 'busy').toLowerCase();
			return BLOCKING.has(showAs) || (countTentative && showAs === 'tentative');
		})
		.map((e) => ({
			eventId: typeof e.id === 'string' ? e.id : undefined,
			subject: typeof e.subject === 'string' ? e.subject : undefined,
			showAs: String(e.showAs ?? 'busy'),
			start: utcOrRaw(e.start as IDataObject),
			end: utcOrRaw(e.end as IDataObject),
		}));
}

function utcOrRaw(value: IDataObject | undefined): string {
	const dt = fromGraphTime(value);
	return dt ? utcIso(dt) : String(value?.dateTime ?? '');
}

export interface ScheduleBlock {
	status: string;
	start: string;
	end: string;
}

/** getSchedule's scheduleItems per mailbox, as UTC blocks; an `error` on a schedule is kept as such. */
export function scheduleBlocks(body: IDataObject): Map<string, { blocks: ScheduleBlock[]; availabilityView?: string; error?: string }> {
	const out = new Map<string, { blocks: ScheduleBlock[]; availabilityView?: string; error?: string }>();
	for (const info of (body.value as IDataObject[] | undefined) ?? []) {
		const id = String(info.scheduleId ?? '').toLowerCase();
		const error = info.error ? String((info.error as IDataObject).message ?? (info.error as IDataObject).responseCode ?? 'error') : undefined;
		const blocks = ((info.scheduleItems as IDataObject[] | undefined) ?? []).map((s) => ({
			status: String(s.status ?? 'busy'),
			start: utcOrRaw(s.start as IDataObject),
			end: utcOrRaw(s.end as IDataObject),
		}));
		out.set(id, { blocks, availabilityView: typeof info.availabilityView === 'string' ? info.availabilityView : undefined, error });
	}
	return out;
}

export function blocksOverlap(blocks: ScheduleBlock[], from: DateTime, to: DateTime, countTentative: boolean): ScheduleBlock[] {
	const a = from.toMillis();
	const b = to.toMillis();
	return blocks.filter((s) => {
		const status = s.status.toLowerCase();
		if (status === 'free' || (status === 'tentative' && !countTentative)) return false;
		return Date.parse(s.start) < b && Date.parse(s.end) > a;
	});
}
