import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemIsShadow } from '../../../shared/governance';
import { bulkEventEntry, bulkEventsBody, jsonBytes, LIMITS, type EventSpec } from '../../helpers/bodies';
import { asNodeError, chunk, errorForItem, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { baseUrlOf, describeRequest, klaviyoRequest, type DescribedRequest } from '../../transport';
import { buildEvent, eventFields, eventShadowField, type BuiltEvent } from './event.shared';

const properties: INodeProperties[] = [...eventFields, eventShadowField];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['createMany'] } }, properties);

interface Pending {
	index: number;
	built: BuiltEvent;
}

/** Groups a chunk's events per profile (the bulk body's shape), keeping each item's place. */
export function bulkRequestFor(pending: Pending[]): { body: IDataObject; entryOf: Map<number, IDataObject> } {
	const groups = new Map<string, { profile: EventSpec['profile']; events: EventSpec[]; indexes: number[] }>();
	for (const p of pending) {
		const group = groups.get(p.built.profileKey);
		if (group) {
			group.events.push(p.built.spec);
			group.indexes.push(p.index);
			// Names may be missing on one item and present on another for the same person.
			group.profile = { ...p.built.spec.profile, ...group.profile };
		} else {
			groups.set(p.built.profileKey, { profile: p.built.spec.profile, events: [p.built.spec], indexes: [p.index] });
		}
	}
	const entries: IDataObject[] = [];
	const entryOf = new Map<number, IDataObject>();
	for (const group of groups.values()) {
		entries.push(bulkEventEntry(group.profile, group.events));
		group.events.forEach((event, n) => entryOf.set(group.indexes[n], bulkEventEntry(group.profile, [event])));
	}
	return { body: bulkEventsBody(entries), entryOf };
}

/**
 * Klaviyo's bulk endpoint: up to 1,000 events and 5 MB per job. A repeated unique_id for the same
 * profile and metric fails the whole job there, so repeats are removed first (the later item is
 * skipped, with the reason).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	const seen = new Map<string, number>();
	const live: Pending[] = [];
	const shadow: Pending[] = [];

	for (let i = 0; i < items.length; i++) {
		try {
			const built = buildEvent(this, items[i], i);
			notes.warn(i, built.warnings);
			const first = seen.get(built.dedupeKey);
			if (first !== undefined) {
				outcomes[i] = { kind: 'skipped', reason: `Same unique_id, metric and profile as item ${first}; a repeat would fail the whole bulk job` };
				continue;
			}
			seen.set(built.dedupeKey, i);
			const isShadow = (this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(items[i].json);
			(isShadow ? shadow : live).push({ index: i, built });
		} catch (error) {
			// A bad row is left out of the job (error item with its reason); the others are sent.
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}
	const continueOnFail = this.continueOnFail();

	const size = (p: Pending) => jsonBytes(bulkEventEntry(p.built.spec.profile, [p.built.spec]));
	const batches = (list: Pending[]) => chunk(list, LIMITS.bulkEventsPerRequest, LIMITS.bulkPayloadBytes, size);

	let batchNumber = 0;
	for (const batch of batches(shadow)) {
		batchNumber++;
		const { body, entryOf } = bulkRequestFor(batch);
		const request = describeRequest(baseUrl, { method: 'POST', path: '/api/event-bulk-create-jobs', body });
		batch.forEach((p, n) => {
			// The full job body once per batch (on its first item); the others show their own entry.
			const own: DescribedRequest = n === 0 ? request : { ...request, body: bulkEventsBody([entryOf.get(p.index)!]) };
			outcomes[p.index] = { kind: 'shadow', request: own, json: { batch: { number: batchNumber, events: batch.length, fullBodyOnItem: batch[0].index, uniqueId: p.built.spec.uniqueId } } };
		});
	}

	// Jobs run one after another: the bulk class allows only 10/s, 150/min, and order is kept.
	for (const batch of batches(live)) {
		batchNumber++;
		const { body, entryOf } = bulkRequestFor(batch);
		const ownRequest = (index: number) => describeRequest(baseUrl, { method: 'POST', path: '/api/event-bulk-create-jobs', body: bulkEventsBody([entryOf.get(index)!]) });
		try {
			// Every event carries a unique_id, so a repeated job cannot record an event twice.
			const res = await klaviyoRequest.call(this, { method: 'POST', path: '/api/event-bulk-create-jobs', body, rateClass: 'bulkEvents', idempotent: true, itemIndex: batch[0].index }, baseUrl);
			for (const p of batch) {
				outcomes[p.index] = {
					kind: 'sent',
					request: ownRequest(p.index),
					json: { status: 'accepted', httpStatus: res.statusCode, uniqueId: p.built.spec.uniqueId, metric: p.built.spec.metric, batch: { number: batchNumber, events: batch.length }, attempts: res.attempts },
				};
			}
		} catch (error) {
			for (const p of batch) outcomes[p.index] = { kind: 'failed', error: errorForItem(this, error, p.index), request: ownRequest(p.index) };
			if (!continueOnFail) return outcomes;
		}
	}
	return outcomes;
}
