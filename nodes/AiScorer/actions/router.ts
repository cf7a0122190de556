import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../shared/errors';
import * as model from './model';
import type { AiScorerType } from './node.type';
import * as score from './score';
import { scoringInput } from './score/common';
import * as text from './text';

type ItemOperation = (this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData) => Promise<INodeExecutionData>;
type BatchOperation = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

const ITEM_OPERATIONS: Partial<Record<string, ItemOperation>> = {
	'score.noShow': score.noShow.execute,
	'score.cartAbandonment': score.cartAbandonment.execute,
	'score.customerValue': score.customerValue.execute,
	'score.nextBestActivity': score.nextBestActivity.execute,
	'text.classify': text.classify.execute,
	'text.generateContent': text.generateContent.execute,
};

/** Operations that need every item at once (clusters and training sets span items). */
const BATCH_OPERATIONS: Partial<Record<string, BatchOperation>> = {
	'score.segment': score.segment.executeBatch,
	'model.train': model.train.executeBatch,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as AiScorerType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const key = `${resource}.${operation}`;

	const batch = BATCH_OPERATIONS[key];
	if (batch) {
		try {
			return [await batch.call(this, items)];
		} catch (error) {
			if (this.continueOnFail()) {
				return [items.map((item, i) => errorItem(i, item.json, error))];
			}
			throw asNodeError(this, error);
		}
	}
	const op = ITEM_OPERATIONS[key];
	if (!op) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);

	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			returnData.push(await op.call(this, i, resource === 'score' ? scoringInput(this, i, items[i]) : items[i]));
		} catch (error) {
			// With "On Error: Continue (using error output)" n8n routes items carrying `error` to the error output.
			if (this.continueOnFail()) {
				returnData.push(errorItem(i, items[i].json, error));
				continue;
			}
			throw asNodeError(this, error, i);
		}
	}
	return [returnData];
}
