import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as availability from './availability';
import * as booking from './booking';
import * as event from './event';
import type { OutlookCalendarType } from './node.type';

type BatchOperation = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

/**
 * Typed resource → operation map. Operations see every item at once so lookups, conflict checks
 * and writes go to Graph in `$batch` calls of 20; each returns [done, conflicts].
 */
export const operations: { [R in OutlookCalendarType['resource']]: Record<Extract<OutlookCalendarType, { resource: R }>['operation'], BatchOperation> } = {
	booking: {
		sync: booking.sync.execute,
		checkConflicts: async function (items) {
			return await booking.checkConflicts.execute.call(this, items);
		},
		suggestAlternatives: booking.suggestAlternatives.execute,
	},
	availability: { read: availability.read.execute },
	event: { get: event.executeGet, getMany: event.executeGetMany, delete: event.executeDelete },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as OutlookCalendarType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = (operations[resource] as Record<string, BatchOperation> | undefined)?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for "${resource}"`, {
			description: 'Choose an operation from the list; the node may be from a newer version of the package',
		});
	}
	return await run.call(this, items);
}
