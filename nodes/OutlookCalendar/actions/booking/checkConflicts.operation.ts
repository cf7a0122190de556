import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { guideLabel } from '../../helpers/booking';
import { calendarViewPart, conflictsIn } from '../../helpers/graph';
import { auditFor, failureItems } from '../../helpers/output';
import { utcIso } from '../../helpers/time';
import { batchError, graphBatch } from '../../transport';
import { conflictOptions, conflictSettings, resolveTargets, suggestAlternatives, timeOptions, windowOf, type Target } from './shared';

const show = { resource: ['booking'], operation: ['checkConflicts', 'suggestAlternatives'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Each item must be a Peek Pro booking with "startsAt" and "guides" (or a guide email), e.g. {{ $json.booking }}. Writes nothing.',
		name: 'conflictNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	conflictOptions(['checkConflicts', 'suggestAlternatives']),
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, displayOptions: { show }, options: [...timeOptions] },
];

/**
 * Check conflicts: each assigned guide's calendar view over the booking window plus buffers, all
 * guides of all items in `$batch` calls. Clashes go to the second output with the clashing events
 * (and alternatives when a pool is set); a clear calendar to the first.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], alwaysSuggest = false): Promise<INodeExecutionData[][]> {
	const { targets, skipped, failures } = resolveTargets(this, items, () => true);
	const settings = new Map(targets.map((t) => [t, conflictSettings(this, t.itemIndex)]));
	const answers = targets.length
		? await graphBatch.call(this, targets.map((t) => {
				const { from, to } = windowOf(t, settings.get(t)!);
				return calendarViewPart(t.mailbox, from, to, '');
			}))
		: [];
	const results: Array<{ t: Target; conflicts: ReturnType<typeof conflictsIn> }> = [];
	targets.forEach((t, i) => {
		const answer = answers[i];
		if (!answer || answer.status >= 300) {
			const error = batchError(this, answer ?? { status: 0, body: {}, headers: {} }, `Reading ${t.mailbox}'s calendar`, t.itemIndex);
			const code = error.context?.vendorCode as string | undefined;
			failures.push({ itemIndex: t.itemIndex, bookingId: t.booking.id, guide: guideLabel(t.guide), graphCode: code, message: `Checking conflicts for booking ${t.booking.id}, guide ${guideLabel(t.guide)}: ${error.message}${code ? ` [${code}]` : ''}` });
			return;
		}
		results.push({ t, conflicts: conflictsIn((answer.body.value as IDataObject[] | undefined) ?? [], t.booking.id, settings.get(t)!.tentativeClashes) });
	});
	const wanted = results.filter((r) => alwaysSuggest || r.conflicts.length);
	const alternatives = wanted.length ? await suggestAlternatives(this, wanted.map((r) => ({ target: r.t, settings: settings.get(r.t)! }))) : new Map();
	const clear: INodeExecutionData[] = [];
	const clashing: INodeExecutionData[] = [];
	for (const { t, conflicts } of results) {
		const json: IDataObject = {
			bookingId: t.booking.id,
			guide: guideLabel(t.guide),
			mailbox: t.mailbox,
			start: utcIso(t.start!),
			end: utcIso(t.end!),
			conflicts: conflicts as unknown as IDataObject[],
			hasConflict: conflicts.length > 0,
		};
		if (alternatives.has(t)) json.alternatives = alternatives.get(t);
		json.audit = await auditFor(this, items[t.itemIndex].json, {
			decision: conflicts.length ? 'conflict' : 'clear',
			bookingId: t.booking.id,
			operation: alwaysSuggest ? 'booking.suggestAlternatives' : 'booking.checkConflicts',
			result: 'decided',
			shadow: false,
			summary: { conflicts: conflicts.length },
		});
		(conflicts.length && !alwaysSuggest ? clashing : clear).push({ json, pairedItem: { item: t.itemIndex } });
	}
	for (const s of skipped) clear.push({ json: { bookingId: s.booking.id, guide: guideLabel(s.guide), skipped: true, reason: s.reason }, pairedItem: { item: s.itemIndex } });
	return [[...clear, ...failureItems(this, items, failures, clear.length + clashing.length)], clashing];
}
