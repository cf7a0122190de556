import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createAuditRecord, type AuditResult } from '../../shared/audit';
import { errorItem } from '../../shared/errors';
import { itemIsShadow } from '../../shared/governance';
import { piiSalt } from '../../shared/pii';
import { credentialTypeOf } from '../transport';

export type RolloutPhase = 'readOnly' | 'oneWay' | 'twoWay';

export function phaseOf(ctx: IExecuteFunctions): RolloutPhase {
	return ctx.getNodeParameter('rolloutPhase', 0, 'readOnly') as RolloutPhase;
}

/** Read-only phase, or an item an earlier node marked `shadow: true`: decide, output, write nothing. */
export function writesNothing(ctx: IExecuteFunctions, json: IDataObject): boolean {
	return phaseOf(ctx) === 'readOnly' || itemIsShadow(json);
}

export interface Failure {
	itemIndex: number;
	message: string;
	description?: string;
	guide?: string;
	bookingId?: string;
	graphCode?: string;
}

/** Graph's code from a transport error (`vendorCode`) or a batch member's body. */
export function graphCodeOf(error: unknown): string | undefined {
	const ctx = (error as { context?: IDataObject } | undefined)?.context;
	return typeof ctx?.vendorCode === 'string' ? ctx.vendorCode : undefined;
}

/**
 * Failed items in the pack's one error-item shape, plus what a dispatcher needs to act: the guide,
 * the booking and Graph's error code. One bad item never stops the others; only a run where every
 * item failed stops the node (unless it continues on fail), because that is a setting to fix.
 */
export function failureItems(ctx: IExecuteFunctions, items: INodeExecutionData[], failures: Failure[], succeeded: number): INodeExecutionData[] {
	if (failures.length && !succeeded && !ctx.continueOnFail()) {
		const f = failures[0];
		throw new NodeOperationError(ctx.getNode(), f.message, { description: f.description, itemIndex: f.itemIndex });
	}
	return failures.map((f) => {
		const out = errorItem(f.itemIndex, items[f.itemIndex]?.json ?? {}, { message: f.message, description: f.description });
		out.json.outlook = { guide: f.guide ?? null, bookingId: f.bookingId ?? null, graphCode: f.graphCode ?? null };
		return out;
	});
}

export async function auditFor(
	ctx: IExecuteFunctions,
	input: IDataObject,
	entry: { decision: string; bookingId?: string; result: AuditResult; shadow: boolean; detail?: string; summary?: IDataObject; operation: string; request?: IDataObject },
): Promise<IDataObject> {
	const record = createAuditRecord(ctx, {
		decision: entry.decision,
		decidedBy: { kind: 'rule', id: `outlookCalendar.${entry.operation}`, version: '1' },
		input,
		bookingId: entry.bookingId,
		salt: await piiSalt(ctx, credentialTypeOf(ctx)),
		summary: entry.summary,
		sent: entry.request ? { vendor: 'Microsoft Graph', operation: entry.operation, request: entry.request } : undefined,
		result: entry.result,
		detail: entry.detail,
		shadow: entry.shadow,
	});
	return record as unknown as IDataObject;
}
