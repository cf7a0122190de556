import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../../shared/errors';
import * as booking from './booking';
import { asNodeError, type BatchOperation } from './common';
import * as journeys from './journeys';
import type { AttributionType } from './node.type';
import * as report from './report';
import * as touchpoint from './touchpoint';

/**
 * Typed resource → operation map. Every operation sees all items: the per-booking ones handle each
 * item on its own (one bad item is an error item, never a failed batch) and then compare the run with
 * the running average; the data-set and report ones span items by nature.
 */
export const operations = {
	touchpoint: { normalize: touchpoint.normalize.executeBatch },
	booking: { attribute: booking.attribute.executeBatch },
	journeys: { markov: journeys.markov.executeBatch, shapley: journeys.shapley.executeBatch },
	report: { aggregate: report.aggregate.executeBatch, anomalies: report.anomalies.executeBatch },
} satisfies { [R in AttributionType['resource']]: Record<string, BatchOperation> };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = (operations as Record<string, Record<string, BatchOperation | undefined>>)[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `Operation "${operation}" of resource "${resource}" is not supported`, {
			description: 'Pick an operation from the list (parameters resource and operation).',
		});
	}
	try {
		return [await run.call(this, items)];
	} catch (error) {
		if (this.continueOnFail()) {
			return [items.map((item, i) => errorItem(i, item.json, error))];
		}
		throw asNodeError(this, error);
	}
}
