import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { execute as checkConflicts } from './checkConflicts.operation';

/**
 * Suggest alternatives: free guides from the pool and free windows for the assigned guide, from
 * getSchedule free/busy, for every booking whether or not it clashes. Shares its parameters with
 * Check Conflicts; everything goes to the first output.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	return await checkConflicts.call(this, items, true);
}
