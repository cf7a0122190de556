import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createAuditRecord, type DecisionMaker } from '../../shared/audit';
import { itemIsShadow } from '../../shared/governance';
import { pick, str } from '../../shared/fields';

export interface ModelInfo {
	id: string;
	version: string;
	trained: boolean;
	kind: DecisionMaker;
	algorithm?: string;
	note?: string;
}

export interface ScoreOutput {
	operation: string;
	/** Flat attributes for Klaviyo profile properties. */
	attributes: IDataObject;
	/** The full result under `ai`, next to the flat attributes. */
	details: IDataObject;
	model: ModelInfo;
	decision: string;
	fallback?: { reason: string };
	/** Pseudonym salt for the audit record: the LLM credential's when the operation has one. */
	salt?: string;
}

export function isShadow(ctx: IExecuteFunctions, itemIndex: number, json: IDataObject): boolean {
	return (ctx.getNodeParameter('shadowMode', itemIndex, false) as boolean) || itemIsShadow(json);
}

function bookingIdOf(json: IDataObject): string | undefined {
	return str(pick(json, ['id', 'booking.id', 'bookingId', 'booking_id']));
}

function emailOf(json: IDataObject): string | undefined {
	return str(pick(json, ['customer.email', 'email', 'booking.customer.email', 'customer_email']));
}

/**
 * One output item: the input fields (unless turned off), the flat `ai_*` attributes, the full result
 * under `ai`, an audit record, and `shadow: true` when shadow mode is on for this item.
 */
export function scoreItem(ctx: IExecuteFunctions, itemIndex: number, input: IDataObject, out: ScoreOutput): INodeExecutionData {
	const includeInput = ctx.getNodeParameter('options.includeInput', itemIndex, true) as boolean;
	const shadow = isShadow(ctx, itemIndex, input);
	const { kind, ...modelPublic } = out.model;
	const ai: IDataObject = { operation: out.operation, ...out.details, model: { ...modelPublic } };
	if (out.fallback) {
		ai.fallback = true;
		ai.fallbackReason = out.fallback.reason;
	}
	const audit = createAuditRecord(ctx, {
		decision: out.decision,
		decidedBy: { kind, id: out.model.id, version: out.model.version },
		input,
		bookingId: bookingIdOf(input),
		customerEmail: emailOf(input),
		salt: out.salt,
		summary: out.attributes,
		result: shadow ? 'shadow' : 'decided',
		detail: out.fallback ? `fallback: ${out.fallback.reason}` : undefined,
		shadow,
	});
	const json: IDataObject = {
		...(includeInput ? input : {}),
		...out.attributes,
		ai_model_id: out.model.id,
		ai_model_version: out.model.version,
		ai,
		audit: audit as unknown as IDataObject,
	};
	if (shadow) json.shadow = true;
	return { json, pairedItem: { item: itemIndex } };
}

export function round(x: number, digits = 4): number {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}
