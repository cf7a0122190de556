import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../shared/errors';
import { operationFor } from '../../shared/router';
import * as booking from './booking';
import type { BatchOperation } from './common';
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
	const run = operationFor<BatchOperation>(this, operations);
	try {
		return [await run.call(this, items)];
	} catch (error) {
		if (this.continueOnFail()) {
			return [items.map((item, i) => errorItem(i, item.json, error))];
		}
		throw asNodeError(this, error);
	}
}
