import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemIsShadow } from '../../../shared/governance';
import { eventCreateBody, jsonBytes, LIMITS } from '../../helpers/bodies';
import { asNodeError, fieldError, runPool, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { baseUrlOf, describeRequest, klaviyoRequest } from '../../transport';
import { maxConcurrencyOption } from '../common.description';
import { buildEvent, eventFields, eventShadowField } from './event.shared';

const properties: INodeProperties[] = [
	...eventFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [maxConcurrencyOption],
	},
	eventShadowField,
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['create'] } }, properties);

/**
 * One `POST /api/events` per item, run concurrently; the events bucket (350/s, 3500/min) sets the
 * pace. A repeated unique_id within the run is skipped here: Klaviyo would keep only the first.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	const seen = new Map<string, number>();
	const toSend: number[] = [];
	const bodies = new Map<number, ReturnType<typeof eventCreateBody>>();

	for (let i = 0; i < items.length; i++) {
		try {
			const built = buildEvent(this, items[i], i);
			notes.warn(i, built.warnings);
			const first = seen.get(built.dedupeKey);
			if (first !== undefined) {
				outcomes[i] = { kind: 'skipped', reason: `Same unique_id, metric and profile as item ${first}; Klaviyo records only one` };
				continue;
			}
			seen.set(built.dedupeKey, i);
			const body = eventCreateBody(built.spec);
			if (jsonBytes(body) > LIMITS.eventPayloadBytes) {
				throw fieldError(this, i, 'eventProperties', 'The event is larger than 5 MB', 'Klaviyo accepts event payloads up to 5 MB; send fewer or smaller properties');
			}
			const shadow = (this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(items[i].json);
			if (shadow) {
				outcomes[i] = { kind: 'shadow', request: describeRequest(baseUrl, { method: 'POST', path: '/api/events', body }) };
				continue;
			}
			bodies.set(i, body);
			toSend.push(i);
		} catch (error) {
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}

	const continueOnFail = this.continueOnFail();
	const concurrency = ((this.getNodeParameter('options', 0, {}) as { maxConcurrency?: number }).maxConcurrency ?? 16) || 16;

	await runPool(
		toSend,
		concurrency,
		async (i) => {
			const body = bodies.get(i)!;
			const request = describeRequest(baseUrl, { method: 'POST', path: '/api/events', body });
			try {
				// unique_id makes a repeat harmless, so 5xx and timeouts may be retried.
				const res = await klaviyoRequest.call(this, { method: 'POST', path: '/api/events', body, rateClass: 'events', idempotent: true, itemIndex: i }, baseUrl);
				const attributes = (body.data as { attributes: { unique_id: string } }).attributes;
				return {
					kind: 'sent',
					request,
					json: { status: 'accepted', httpStatus: res.statusCode, uniqueId: attributes.unique_id, metric: this.getNodeParameter('metricName', i) as string, attempts: res.attempts },
				};
			} catch (error) {
				return { kind: 'failed', error: asNodeError(this, error, i), request };
			}
		},
		outcomes,
		!continueOnFail,
	);
	return outcomes;
}
