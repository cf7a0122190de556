import type { DateTime } from 'luxon';
import { DateTime as LuxonDateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { pick, str } from '../../../shared/fields';
import { guideLabel, mailboxFor, readBooking, type GuideRef } from '../../helpers/booking';
import { blocksOverlap, getSchedulePart, scheduleBlocks, type ScheduleBlock } from '../../helpers/graph';
import { auditFor, failureItems, type Failure } from '../../helpers/output';
import { utcIso } from '../../helpers/time';
import { batchError, graphBatch, SCHEDULE_LIMIT } from '../../transport';
import { mailboxRules } from '../mailbox.description';

const show = { resource: ['availability'], operation: ['read'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Each item names a guide ("guide" or "guides" with an email, or a booking) and may carry a Peek Pro timeslot ("timeslotId", "startsAt", "endsAt"), e.g. {{ $json }} from Peek Pro → Timeslot → Get Many. With a timeslot, the item gets "timeslotStatus" (BLOCKED or BOOKABLE) for Peek Pro → Timeslot → Set Status.',
		name: 'availabilityNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{ displayName: 'From', name: 'rangeStart', type: 'dateTime', default: '', placeholder: 'e.g. {{ $now.toISO() }}', description: 'Start of the range to read (empty: now); an item\'s own timeslot times take precedence', displayOptions: { show } },
	{ displayName: 'To', name: 'rangeEnd', type: 'dateTime', default: '', placeholder: 'e.g. {{ $now.plus({ days: 14 }).toISO() }}', description: 'End of the range (empty: 14 days after From)', displayOptions: { show } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [{ displayName: 'Tentative Blocks Count as Busy', name: 'tentativeBusy', type: 'boolean', default: false, description: 'Whether a tentative event makes the guide unavailable' }],
	},
];

interface Want {
	itemIndex: number;
	guide?: GuideRef;
	mailbox: string;
	from: DateTime;
	to: DateTime;
	timeslotId?: string;
}

function guideOfItem(json: IDataObject): GuideRef | undefined {
	const g = json.guide;
	if (typeof g === 'string') return g.includes('@') ? { email: g } : { id: g, name: g };
	if (g && typeof g === 'object') return { id: str((g as IDataObject).id), name: str((g as IDataObject).name), email: str((g as IDataObject).email) };
	try {
		return readBooking({ id: 'x', ...json }).guides[0];
	} catch {
		return undefined;
	}
}

function when(value: unknown, fallback: DateTime): DateTime {
	if (typeof value !== 'string' || !value) return fallback;
	const dt = LuxonDateTime.fromISO(value, { setZone: true });
	return dt.isValid ? dt.toUTC() : fallback;
}

/**
 * Read availability: busy and out-of-office blocks of guides from getSchedule (20 mailboxes a call,
 * calls in `$batch`), one output item per input item, so a Peek timeslot item comes back with its
 * own `timeslotStatus`. Event subjects are never read: free/busy is all Peek needs.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const failures: Failure[] = [];
	const wants: Want[] = [];
	const skipped: INodeExecutionData[] = [];
	const now = LuxonDateTime.utc();
	const skippedAudits: Array<{ itemIndex: number; reason: string }> = [];
	items.forEach((item, itemIndex) => {
		const rangeFrom = when(this.getNodeParameter('rangeStart', itemIndex, '') as string, now);
		const rangeTo = when(this.getNodeParameter('rangeEnd', itemIndex, '') as string, rangeFrom.plus({ days: 14 }));
		const guide = guideOfItem(item.json);
		const rules = mailboxRules(this, itemIndex);
		const found = mailboxFor(guide, rules);
		if (!found.mailbox) {
			if (rules.noMailbox === 'skip') {
				skipped.push({ json: { guide: guideLabel(guide), skipped: true, reason: found.reason! }, pairedItem: { item: itemIndex } });
				skippedAudits.push({ itemIndex, reason: found.reason! });
			}
			else failures.push({ itemIndex, guide: guideLabel(guide), message: found.reason! });
			return;
		}
		const slotStart = str(pick(item.json, ['startsAt', 'start', 'start_time', 'timeslot.startsAt']));
		const slotEnd = str(pick(item.json, ['endsAt', 'end', 'end_time', 'timeslot.endsAt']));
		const from = when(slotStart, rangeFrom);
		const to = when(slotEnd, slotStart ? from.plus({ hours: 2 }) : rangeTo);
		wants.push({ itemIndex, guide, mailbox: found.mailbox, from, to, timeslotId: str(pick(item.json, ['timeslotId', 'timeslot_id', 'timeslot.id', 'id'])) });
	});

	// One getSchedule per (range, up to 20 mailboxes): items sharing a range share the call.
	const groups = new Map<string, Want[]>();
	for (const w of wants) {
		const key = `${w.from.toMillis()}|${w.to.toMillis()}`;
		groups.set(key, [...(groups.get(key) ?? []), w]);
	}
	const calls: Array<{ wants: Want[]; mailboxes: string[] }> = [];
	for (const group of groups.values()) {
		const mailboxes = [...new Set(group.map((w) => w.mailbox.toLowerCase()))];
		for (let i = 0; i < mailboxes.length; i += SCHEDULE_LIMIT) {
			const chunk = mailboxes.slice(i, i + SCHEDULE_LIMIT);
			calls.push({ wants: group.filter((w) => chunk.includes(w.mailbox.toLowerCase())), mailboxes: chunk });
		}
	}
	const answers = calls.length ? await graphBatch.call(this, calls.map((c) => getSchedulePart(c.mailboxes[0], c.mailboxes, c.wants[0].from, c.wants[0].to, 30))) : [];
	const tentativeBusy = this.getNodeParameter('options.tentativeBusy', 0, false) as boolean;
	const out: INodeExecutionData[] = [];
	for (const [i, call] of calls.entries()) {
		const answer = answers[i];
		const schedules = answer && answer.status < 300 ? scheduleBlocks(answer.body) : undefined;
		for (const w of call.wants) {
			const info = schedules?.get(w.mailbox.toLowerCase());
			if (!schedules || !info || info.error) {
				const error = answer && answer.status >= 300 ? batchError(this, answer, 'getSchedule', w.itemIndex) : undefined;
				const code = error?.context?.vendorCode as string | undefined;
				failures.push({ itemIndex: w.itemIndex, guide: guideLabel(w.guide), graphCode: code, message: `Reading availability of guide ${guideLabel(w.guide)} (${w.mailbox}): ${error?.message ?? info?.error ?? 'no schedule returned'}` });
				continue;
			}
			const blocks: ScheduleBlock[] = blocksOverlap(info.blocks, w.from, w.to, tentativeBusy);
			const json: IDataObject = {
				guide: guideLabel(w.guide),
				mailbox: w.mailbox,
				from: utcIso(w.from),
				to: utcIso(w.to),
				available: blocks.length === 0,
				blocks: blocks as unknown as IDataObject[],
				outOfOffice: blocks.some((b) => b.status.toLowerCase() === 'oof'),
			};
			if (w.timeslotId) {
				json.timeslotId = w.timeslotId;
				json.timeslotStatus = blocks.length ? 'BLOCKED' : 'BOOKABLE';
			}
			json.audit = await auditFor(this, items[w.itemIndex].json, { decision: blocks.length ? 'unavailable' : 'available', operation: 'availability.read', result: 'decided', shadow: false, summary: { blocks: blocks.length } });
			out.push({ json, pairedItem: { item: w.itemIndex } });
		}
	}
	// A skipped guide is a decision too (nothing read, nothing written): it gets its audit record.
	for (const [k, s] of skippedAudits.entries()) {
		skipped[k].json.audit = await auditFor(this, items[s.itemIndex].json, { decision: 'skipped', operation: 'availability.read', result: 'skipped', shadow: false, detail: s.reason });
	}
	return [[...out, ...skipped, ...failureItems(this, items, failures, out.length + skipped.length)], []];
}
