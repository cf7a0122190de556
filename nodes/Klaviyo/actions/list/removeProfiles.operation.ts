import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { executeMembers, memberFields } from './members';

export const description = updateDisplayOptions({ show: { resource: ['list'], operation: ['removeProfiles'] } }, memberFields('remove'));

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	return await executeMembers.call(this, items, 'remove', notes);
}
