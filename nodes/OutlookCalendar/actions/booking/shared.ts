import type { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { guideLabel, mailboxFor, readBooking, type BookingView, type GuideRef } from '../../helpers/booking';
import { blocksOverlap, getSchedulePart, scheduleBlocks } from '../../helpers/graph';
import type { Failure } from '../../helpers/output';
import { isValidZone, resolveTime, utcIso } from '../../helpers/time';
import { graphBatch, SCHEDULE_LIMIT } from '../../transport';
import { mailboxRules } from '../mailbox.description';

export const conflictOptions = (operations: string[]): INodeProperties => ({
	displayName: 'Conflict Check',
	name: 'conflictCheck',
	type: 'collection',
	placeholder: 'Add conflict setting',
	default: {},
	displayOptions: { show: { resource: ['booking'], operation: operations } },
	options: [
		{ displayName: 'Alternative Guides', name: 'alternativePool', type: 'string', default: '', placeholder: 'e.g. ana@example.com, ben@example.com', description: 'Mailboxes of guides who could take the booking instead; free ones are suggested with a conflict' },
		{ displayName: 'Buffer After (Minutes)', name: 'bufferAfter', type: 'number', typeOptions: { minValue: 0 }, default: 15, description: 'Time the guide needs after the tour' },
		{ displayName: 'Buffer Before (Minutes)', name: 'bufferBefore', type: 'number', typeOptions: { minValue: 0 }, default: 15, description: 'Time the guide needs before the tour (travel, setup)' },
		...(operations.includes('sync')
			? [{ displayName: 'Check Before Writing', name: 'enabled', type: 'boolean' as const, default: true, description: 'Whether to look for clashing events before creating or moving an event; a clash goes to the Conflicts output and nothing is written' }]
			: []),
		{ displayName: 'Suggest Free Time Windows', name: 'suggestWindows', type: 'boolean', default: true, description: 'Whether to add free windows of the same length on the same day for the assigned guide' },
		{ displayName: 'Tentative Events Clash', name: 'tentativeClashes', type: 'boolean', default: true, description: 'Whether a tentative event blocks the guide' },
	],
});

export const timeOptions: INodeProperties[] = [
	{ displayName: 'Default Duration (Minutes)', name: 'defaultDuration', type: 'number', typeOptions: { minValue: 1 }, default: 120, description: 'Used when the booking has neither an end time nor an activity duration' },
	{ displayName: 'Default Time Zone', name: 'defaultTimeZone', type: 'string', default: 'UTC', placeholder: 'e.g. America/Denver', description: 'IANA zone used when neither the activity nor the guide has one' },
];

export interface Target {
	itemIndex: number;
	booking: BookingView;
	guide?: GuideRef;
	mailbox: string;
	zone: string;
	start?: DateTime;
	end?: DateTime;
	graphStart?: { dateTime: string; timeZone: string };
	graphEnd?: { dateTime: string; timeZone: string };
	warnings: string[];
}

export interface Skipped {
	itemIndex: number;
	booking: BookingView;
	guide?: GuideRef;
	reason: string;
}

/**
 * Booking items → one target per (booking, assigned guide with a mailbox). Unreadable bookings and
 * guides without a mailbox become failures or skips, per the mailbox rules; nothing is dropped.
 */
export function resolveTargets(ctx: IExecuteFunctions, items: INodeExecutionData[], needTimes: (b: BookingView) => boolean) {
	const targets: Target[] = [];
	const skipped: Skipped[] = [];
	const failures: Failure[] = [];
	items.forEach((item, itemIndex) => {
		let booking: BookingView;
		try {
			booking = readBooking(item.json);
		} catch (error) {
			failures.push({ itemIndex, message: (error as Error).message, description: 'The node expects the canonical booking from the Peek Pro Trigger or the Peek Pro node (fields id, status, startsAt, guides).' });
			return;
		}
		const rules = mailboxRules(ctx, itemIndex);
		const duration = ctx.getNodeParameter('options.defaultDuration', itemIndex, 120) as number;
		const fallbackZone = (ctx.getNodeParameter('options.defaultTimeZone', itemIndex, 'UTC') as string) || 'UTC';
		const guides: Array<GuideRef | undefined> = booking.guides.length ? booking.guides : [undefined];
		for (const guide of guides) {
			const found = mailboxFor(guide, rules);
			if (!found.mailbox) {
				if (rules.noMailbox === 'skip') skipped.push({ itemIndex, booking, guide, reason: found.reason! });
				else failures.push({ itemIndex, bookingId: booking.id, guide: guideLabel(guide), message: `${found.reason!} (booking ${booking.id})`, description: rules.source === 'mapping' ? 'Add the guide to the mapping rows, or choose a fallback mailbox.' : 'Give the guide an email in Peek Pro, use a mapping table, or choose a fallback mailbox.' });
				continue;
			}
			const zone = [booking.timeZone, guide?.timeZone, fallbackZone].find((z): z is string => !!z && isValidZone(z)) ?? 'UTC';
			const target: Target = { itemIndex, booking, guide, mailbox: found.mailbox, zone, warnings: [] };
			if (needTimes(booking)) {
				const start = booking.startsAt ? resolveTime(booking.startsAt, zone) : undefined;
				if (!start) {
					failures.push({ itemIndex, bookingId: booking.id, guide: guideLabel(guide), message: `Booking ${booking.id} has no readable start time (field "startsAt": ${JSON.stringify(booking.startsAt ?? null)})` });
					continue;
				}
				const endResolved = booking.endsAt ? resolveTime(booking.endsAt, zone) : undefined;
				const end = endResolved && endResolved.utc > start.utc ? endResolved.utc : start.utc.plus({ minutes: booking.durationMinutes ?? duration });
				if (start.shifted) target.warnings.push(start.shifted);
				Object.assign(target, { start: start.utc, end, graphStart: start.graph, graphEnd: { dateTime: end.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: zone } });
			}
			targets.push(target);
		}
	});
	return { targets, skipped, failures };
}

export interface ConflictSettings {
	enabled: boolean;
	bufferBefore: number;
	bufferAfter: number;
	tentativeClashes: boolean;
	pool: string[];
	suggestWindows: boolean;
}

export function conflictSettings(ctx: IExecuteFunctions, itemIndex: number): ConflictSettings {
	const c = ctx.getNodeParameter('conflictCheck', itemIndex, {}) as IDataObject;
	const pool = String(c.alternativePool ?? '')
		.split(/[,;\s]+/)
		.map((m) => m.trim())
		.filter((m) => m.includes('@'));
	return {
		enabled: c.enabled !== false,
		bufferBefore: Number(c.bufferBefore ?? 15) || 0,
		bufferAfter: Number(c.bufferAfter ?? 15) || 0,
		tentativeClashes: c.tentativeClashes !== false,
		pool,
		suggestWindows: c.suggestWindows !== false,
	};
}

export function windowOf(t: Target, s: ConflictSettings): { from: DateTime; to: DateTime } {
	return { from: t.start!.minus({ minutes: s.bufferBefore }), to: t.end!.plus({ minutes: s.bufferAfter }) };
}

export interface Alternatives extends IDataObject {
	freeGuides: string[];
	freeWindows: Array<{ start: string; end: string }>;
}

/** Search span for free windows: the tour's local day, 06:00 to 21:00. */
const DAY_START_HOUR = 6;
const DAY_END_HOUR = 21;
const SLOT_MINUTES = 15;

/**
 * Free guides from the pool and free windows for the assigned guide, both from getSchedule
 * free/busy (app-only credentials cannot use findMeetingTimes). Schedules go 20 to a call and the
 * calls go 20 to a `$batch`.
 */
export async function suggestAlternatives(ctx: IExecuteFunctions, targets: Array<{ target: Target; settings: ConflictSettings }>): Promise<Map<Target, Alternatives>> {
	const parts: Array<{ target: Target; kind: 'pool' | 'day'; schedules: string[]; from: DateTime; to: DateTime }> = [];
	for (const { target, settings } of targets) {
		const { from, to } = windowOf(target, settings);
		const pool = settings.pool.filter((m) => m.toLowerCase() !== target.mailbox.toLowerCase());
		for (let i = 0; i < pool.length; i += SCHEDULE_LIMIT) parts.push({ target, kind: 'pool', schedules: pool.slice(i, i + SCHEDULE_LIMIT), from, to });
		if (settings.suggestWindows) {
			const local = target.start!.setZone(target.zone);
			parts.push({ target, kind: 'day', schedules: [target.mailbox], from: local.set({ hour: DAY_START_HOUR, minute: 0, second: 0, millisecond: 0 }), to: local.set({ hour: DAY_END_HOUR, minute: 0, second: 0, millisecond: 0 }) });
		}
	}
	const result = new Map<Target, Alternatives>();
	for (const { target } of targets) result.set(target, { freeGuides: [], freeWindows: [] });
	if (!parts.length) return result;
	const answers = await graphBatch.call(ctx, parts.map((p) => getSchedulePart(p.target.mailbox, p.schedules, p.from, p.to, SLOT_MINUTES)));
	parts.forEach((p, i) => {
		const answer = answers[i];
		if (!answer || answer.status >= 300) return;
		const alt = result.get(p.target)!;
		const settings = targets.find((t) => t.target === p.target)!.settings;
		const schedules = scheduleBlocks(answer.body);
		if (p.kind === 'pool') {
			for (const mailbox of p.schedules) {
				const info = schedules.get(mailbox.toLowerCase());
				if (info && !info.error && blocksOverlap(info.blocks, p.from, p.to, settings.tentativeClashes).length === 0) alt.freeGuides.push(mailbox);
			}
			return;
		}
		const info = schedules.get(target0(p.schedules));
		if (!info || info.error) return;
		const length = p.target.end!.diff(p.target.start!, 'minutes').minutes + settings.bufferBefore + settings.bufferAfter;
		const candidates: Array<{ start: DateTime; distance: number }> = [];
		for (let s = p.from; s.plus({ minutes: length }) <= p.to; s = s.plus({ minutes: SLOT_MINUTES })) {
			if (blocksOverlap(info.blocks, s, s.plus({ minutes: length }), settings.tentativeClashes).length === 0) candidates.push({ start: s, distance: Math.abs(s.diff(p.target.start!.minus({ minutes: settings.bufferBefore })).toMillis()) });
		}
		candidates.sort((a, b) => a.distance - b.distance);
		for (const c of candidates.slice(0, 3)) {
			const start = c.start.plus({ minutes: settings.bufferBefore });
			alt.freeWindows.push({ start: utcIso(start), end: utcIso(start.plus(p.target.end!.diff(p.target.start!))) });
		}
	});
	return result;
}

function target0(schedules: string[]): string {
	return schedules[0].toLowerCase();
}
