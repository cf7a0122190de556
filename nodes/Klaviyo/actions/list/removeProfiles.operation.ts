import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemOutcome } from '../../helpers/outcome';
import { executeMembers, memberFields } from './members';

export const description = updateDisplayOptions({ show: { resource: ['list'], operation: ['removeProfiles'] } }, memberFields('remove'));

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<ItemOutcome[]> {
	return await executeMembers.call(this, items, 'remove');
}
