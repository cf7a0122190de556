import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { WaitlistFillerType } from './node.type';
import * as waitlist from './waitlist';

type BatchOperation = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

/**
 * Typed resource → operation map. Both operations see every item at once, because a slot's waitlist
 * arrives as many items; bad data inside a slot goes to "No action" with its reason, and a failure in
 * one slot never fails the others (see engine.ts).
 */
export const operations = {
	waitlist: { planOffers: waitlist.planOffers.executeBatch, nextOffer: waitlist.nextOffer.executeBatch },
} satisfies { [R in WaitlistFillerType['resource']]: Record<string, BatchOperation> };

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
	return await run.call(this, items);
}
