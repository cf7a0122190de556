import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';

import { itemIsShadow, shadowModeProperty } from '../../../shared/governance';
import { bulkImportBody, jsonBytes, LIMITS, profileResource } from '../../helpers/bodies';
import { asNodeError, chunk, errorForItem, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { baseUrlOf, describeRequest, klaviyoRequest } from '../../transport';
import { listLocator } from '../common.description';
import { buildProfile, profileFields } from './profile.shared';

const properties: INodeProperties[] = [
	...profileFields,
	listLocator(false, 'Optional list the imported profiles are added to (membership only, no consent)'),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description: 'Whether to poll each job until Klaviyo has finished it; otherwise the items leave with the job ID',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 5,
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 600,
		description: 'After this long the items leave with the job\'s last status (still processing in Klaviyo)',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	shadowModeProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['profile'], operation: ['bulkImport'] } }, properties);

const PATH = '/api/profile-bulk-import-jobs';

function jobSummary(data: IDataObject | undefined): IDataObject {
	const a = (data?.attributes ?? {}) as IDataObject;
	return {
		jobId: (data?.id as string) ?? null,
		status: (a.status as string) ?? null,
		totalCount: (a.total_count as number) ?? null,
		completedCount: (a.completed_count as number) ?? 0,
		failedCount: (a.failed_count as number) ?? 0,
	};
}

/** Up to 10,000 profiles (and 5 MB) per job; each job is then polled to completion with progress logs. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	const live: Array<{ index: number; resource: IDataObject }> = [];
	const shadow: Array<{ index: number; resource: IDataObject }> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const profile = buildProfile(this, items[i], i);
			notes.warn(i, profile.warnings);
			const resource = profileResource(profile);
			const isShadow = (this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(items[i].json);
			(isShadow ? shadow : live).push({ index: i, resource });
		} catch (error) {
			// A bad row is left out of the job (error item with its reason); the others are imported.
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}
	const continueOnFail = this.continueOnFail();

	// The job's list applies to the whole job: it is read once, from the first item.
	const listId = (this.getNodeParameter('listId', 0, '', { extractValue: true }) as string) || '';
	const lists = listId ? [listId] : [];
	const wait = this.getNodeParameter('waitForCompletion', 0, true) as boolean;
	const pollMs = Math.max(0, (this.getNodeParameter('pollIntervalSeconds', 0, 5) as number) * 1000);
	const maxWaitMs = Math.max(0, (this.getNodeParameter('maxWaitSeconds', 0, 600) as number) * 1000);
	const batches = (list: typeof live) => chunk(list, LIMITS.bulkProfilesPerJob, LIMITS.bulkPayloadBytes, (p) => jsonBytes(p.resource));

	for (const batch of batches(shadow)) {
		const request = describeRequest(baseUrl, { method: 'POST', path: PATH, body: bulkImportBody(batch.map((p) => p.resource), lists) });
		batch.forEach((p, n) => {
			const own = n === 0 ? request : { ...request, body: bulkImportBody([p.resource], lists) };
			outcomes[p.index] = { kind: 'shadow', request: own, json: { batch: { profiles: batch.length, fullBodyOnItem: batch[0].index } } };
		});
	}

	let jobNumber = 0;
	for (const batch of batches(live)) {
		jobNumber++;
		const body = bulkImportBody(batch.map((p) => p.resource), lists);
		const ownRequest = (resource: IDataObject) => describeRequest(baseUrl, { method: 'POST', path: PATH, body: bulkImportBody([resource], lists) });
		try {
			// A repeated import of the same profiles leaves the same profiles: safe to retry.
			const res = await klaviyoRequest.call(this, { method: 'POST', path: PATH, body, rateClass: 'bulkImport', idempotent: true, itemIndex: batch[0].index }, baseUrl);
			let summary = jobSummary(((res.body ?? {}) as IDataObject).data as IDataObject);
			const started = Date.now();
			let timedOut = false;
			while (wait && summary.jobId && (summary.status === 'queued' || summary.status === 'processing')) {
				if (Date.now() - started >= maxWaitMs) {
					timedOut = true;
					break;
				}
				await sleep(pollMs);
				const poll = await klaviyoRequest.call(this, { method: 'GET', path: `${PATH}/${encodeURIComponent(String(summary.jobId))}`, rateClass: 'bulkImport', itemIndex: batch[0].index }, baseUrl);
				summary = jobSummary(((poll.body ?? {}) as IDataObject).data as IDataObject);
				this.logger.info(`Klaviyo bulk import job ${String(summary.jobId)}: ${String(summary.status)}, ${String(summary.completedCount)}/${String(summary.totalCount ?? batch.length)} done, ${String(summary.failedCount)} failed`);
			}
			if (summary.status === 'cancelled') {
				const error = new NodeOperationError(this.getNode(), 'Klaviyo cancelled the bulk import job', {
					description: `Job ${String(summary.jobId)} was cancelled; check the import in Klaviyo and run the items again`,
				});
				for (const p of batch) outcomes[p.index] = { kind: 'failed', error: errorForItem(this, error, p.index), request: ownRequest(p.resource) };
				if (!continueOnFail) return outcomes;
				continue;
			}
			for (const p of batch) {
				outcomes[p.index] = { kind: 'sent', request: ownRequest(p.resource), json: { ...summary, timedOut, batch: { number: jobNumber, profiles: batch.length } } };
			}
		} catch (error) {
			for (const p of batch) outcomes[p.index] = { kind: 'failed', error: errorForItem(this, error, p.index), request: ownRequest(p.resource) };
			if (!continueOnFail) return outcomes;
		}
	}
	return outcomes;
}
