import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../shared/errors';
import { isShadowItem, readOnlyContext, type OperationExecute } from './common';
import * as account from './account';
import * as booking from './booking';
import * as dailyNote from './dailyNote';
import * as product from './product';
import * as timeslot from './timeslot';
import * as user from './user';
import * as waitlist from './waitlist';

/** Typed resource → operation map: an operation missing here is a compile error in the description. */
export const operations = {
	account: { getCurrent: account.getCurrent.execute },
	// getAll: the value Peek Pro version 1 saved for Get Many (see common.ts operationBy).
	user: { get: user.get.execute, getMany: user.getMany.execute, getAll: user.getMany.execute },
	product: { get: product.get.execute, getMany: product.getMany.execute, getAll: product.getMany.execute },
	booking: {
		get: booking.get.execute,
		getMany: booking.getMany.execute,
		getChanged: booking.getChanged.execute,
		getForTimeslot: booking.getForTimeslot.execute,
		getGuests: booking.getGuests.execute,
		addNote: booking.addNote.execute,
		checkIn: booking.checkIn.execute,
		writeBack: booking.writeBack.execute,
		getHistory: booking.getHistory.execute,
		create: booking.create.execute,
	},
	timeslot: {
		get: timeslot.get.execute,
		getMany: timeslot.getMany.execute,
		setStatus: timeslot.setStatus.execute,
		setNotes: timeslot.setNotes.execute,
	},
	dailyNote: { get: dailyNote.get.execute, set: dailyNote.set.execute },
	waitlist: { getMany: waitlist.getMany.execute, remove: waitlist.remove.execute },
} satisfies Record<string, Record<string, OperationExecute>>;

export type PeekProResource = keyof typeof operations;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const resource = this.getNodeParameter('resource', i) as string;
		const operation = this.getNodeParameter('operation', i) as string;
		const run = (operations as Record<string, Record<string, OperationExecute | undefined>>)[resource]?.[operation];
		try {
			if (!run) {
				throw new NodeOperationError(this.getNode(), `Operation "${operation}" of resource "${resource}" is not supported`, {
					description: 'Pick an operation from the list (parameters resource and operation).',
					itemIndex: i,
				});
			}
			// A shadow item runs with a context that refuses every non-GET request (common.ts).
			out.push(...(await run.call(isShadowItem(this, i) ? readOnlyContext(this) : this, i)));
		} catch (error) {
			if (this.continueOnFail()) {
				out.push(errorItem(i, items[i].json, error));
				continue;
			}
			throw asNodeError(this, error, i);
		}
	}
	return [out];
}
