import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationFor } from '../../shared/router';
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
	const run = operationFor<BatchOperation>(this, operations);
	return await run.call(this, items);
}
