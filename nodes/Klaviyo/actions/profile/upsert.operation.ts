import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemIsShadow, shadowModeProperty } from '../../../shared/governance';
import { profileImportBody } from '../../helpers/bodies';
import { asNodeError, runPool, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { baseUrlOf, describeRequest, klaviyoRequest } from '../../transport';
import { maxConcurrencyOption } from '../common.description';
import { buildProfile, profileFields } from './profile.shared';

const properties: INodeProperties[] = [
	...profileFields,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options: [maxConcurrencyOption] },
	shadowModeProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['profile'], operation: ['upsert'] } }, properties);

/** `POST /api/profile-import` per item, concurrently within the profiles bucket (75/s, 750/min). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	const bodies = new Map<number, IDataObject>();
	for (let i = 0; i < items.length; i++) {
		try {
			const profile = buildProfile(this, items[i], i);
			notes.warn(i, profile.warnings);
			const body = profileImportBody(profile);
			if ((this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(items[i].json)) {
				outcomes[i] = { kind: 'shadow', request: describeRequest(baseUrl, { method: 'POST', path: '/api/profile-import', body }) };
			} else bodies.set(i, body);
		} catch (error) {
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}
	const continueOnFail = this.continueOnFail();
	const concurrency = (this.getNodeParameter('options', 0, {}) as { maxConcurrency?: number }).maxConcurrency || 16;

	await runPool(
		[...bodies.keys()],
		concurrency,
		async (i) => {
			const body = bodies.get(i)!;
			const request = describeRequest(baseUrl, { method: 'POST', path: '/api/profile-import', body });
			try {
				// Upserting the same attributes twice leaves the same profile: safe to retry.
				const res = await klaviyoRequest.call(this, { method: 'POST', path: '/api/profile-import', body, rateClass: 'profiles', idempotent: true, itemIndex: i }, baseUrl);
				const data = ((res.body ?? {}) as IDataObject).data as IDataObject | undefined;
				return {
					kind: 'sent',
					request,
					json: { id: data?.id ?? null, created: res.statusCode === 201, ...((data?.attributes as IDataObject) ?? {}) },
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
