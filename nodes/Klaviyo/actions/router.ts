import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { piiSalt } from '../../shared/pii';
import type { ItemOutcome } from '../helpers/outcome';
import { finishRows, RowNotes } from '../helpers/rows';
import { CREDENTIAL_TYPE } from '../transport';
import * as consent from './consent';
import * as event from './event';
import * as list from './list';
import type { KlaviyoType } from './node.type';
import * as profile from './profile';

type Operation = (this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes) => Promise<ItemOutcome[]>;

/**
 * Operations take all items at once: bulk endpoints batch them, the others run them concurrently
 * under a shared rate limit. Every operation returns one outcome per input item; rows it rejects for
 * their own data (and warnings on rows it sends) are noted in `notes`, so one bad row never stops the rest.
 */
const operations: { [R in KlaviyoType['resource']]: Record<Extract<KlaviyoType, { resource: R }>['operation'], Operation> } = {
	event: { create: event.create.execute, createMany: event.createMany.execute },
	profile: { upsert: profile.upsert.execute, getByEmail: profile.getByEmail.execute, bulkImport: profile.bulkImport.execute },
	list: { getMany: list.getMany.execute, addProfiles: list.addProfiles.execute, removeProfiles: list.removeProfiles.execute },
	consent: { subscribe: consent.subscribe.execute, unsubscribe: consent.unsubscribe.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as KlaviyoType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = (operations[resource] as Record<string, Operation> | undefined)?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for "${resource}"`, {
			description: 'Choose an operation from the list; the node may be from a newer version of the package',
		});
	}
	const notes = new RowNotes();
	const outcomes = await run.call(this, items, notes);
	return [finishRows(this, items, outcomes, notes, `${resource}.${operation}`, await piiSalt(this, CREDENTIAL_TYPE))];
}
