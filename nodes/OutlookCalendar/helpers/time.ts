import { DateTime } from 'luxon';

/** An ISO-8601 string that names its own offset (`Z`, `+02:00`, `-0500`). */
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

export interface ResolvedTime {
	/** The instant, in UTC. */
	utc: DateTime;
	/** The same instant as wall time in the event's zone, the way Graph's dateTimeTimeZone wants it. */
	graph: { dateTime: string; timeZone: string };
	/** Set when the wall time does not exist in the zone (the hour clocks skip) and was moved forward. */
	shifted?: string;
}

export function isValidZone(zone: string): boolean {
	return DateTime.now().setZone(zone).isValid;
}

/**
 * Reads a booking time in the activity's zone. A time with an offset is an instant and is kept as
 * such; a time without one (Peek's local `start_time`, spreadsheets) is wall time in `zone`, so a
 * 07:00 tour on the morning clocks change is 07:00 in that zone's new offset, not in the previous
 * day's. Graph gets wall time plus the IANA zone, so Outlook, not this node, applies the rules on
 * every device the guide uses.
 */
export function resolveTime(value: string, zone: string): ResolvedTime | undefined {
	const text = value.trim();
	const local = HAS_OFFSET.test(text) ? DateTime.fromISO(text, { setZone: true }).setZone(zone) : DateTime.fromISO(text, { zone });
	if (!local.isValid) return undefined;
	let shifted: string | undefined;
	if (!HAS_OFFSET.test(text)) {
		// Luxon moves a wall time inside a spring-forward gap to the next valid instant; say so.
		const asWritten = DateTime.fromISO(text, { zone: 'utc' });
		if (local.hour !== asWritten.hour || local.minute !== asWritten.minute) shifted = `${text} does not exist in ${zone} (clocks skip it); used ${local.toFormat("yyyy-MM-dd'T'HH:mm")}`;
	}
	return { utc: local.toUTC(), graph: graphTime(local, zone), shifted };
}

export function graphTime(instant: DateTime, zone: string): { dateTime: string; timeZone: string } {
	return { dateTime: instant.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: zone };
}

/** A Graph dateTimeTimeZone (as sent or as returned) back to an instant. */
export function fromGraphTime(value: { dateTime?: unknown; timeZone?: unknown } | undefined): DateTime | undefined {
	if (!value || typeof value.dateTime !== 'string') return undefined;
	const zone = typeof value.timeZone === 'string' && value.timeZone ? value.timeZone : 'UTC';
	const text = value.dateTime.replace(/\.\d+$/, '');
	const dt = HAS_OFFSET.test(text) ? DateTime.fromISO(text, { setZone: true }) : DateTime.fromISO(text, { zone: zone === 'UTC' || isValidZone(zone) ? zone : 'UTC' });
	return dt.isValid ? dt.toUTC() : undefined;
}

export function utcIso(dt: DateTime): string {
	return dt.toUTC().toISO({ suppressMilliseconds: true }) ?? '';
}
