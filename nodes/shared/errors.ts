import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The one error-item shape of every node in the pack. With "On Error: Continue (using error output)"
 * n8n routes items carrying `error` to the error output, so an item that failed keeps its input
 * (nothing is lost, the error workflow or a retry branch has the raw payload) and says why in four
 * fixed fields, whichever node and vendor it came from:
 *
 * - `error`: the message;
 * - `description`: how to fix it, or `null`;
 * - `field`: the parameter or payload field at fault (`context.field` of the node error), or `null`;
 * - `httpCode`: the vendor's status for API errors, or `null`.
 */
export interface ErrorFields extends IDataObject {
	error: string;
	description: string | null;
	field: string | null;
	httpCode: string | null;
}

/** The four error fields of `error`; `redact` rewrites free text (messages can quote customer data). */
export function errorFields(error: unknown, redact: (text: string) => string = (text) => text): ErrorFields {
	const e = error as Partial<NodeApiError> & { message?: string; context?: IDataObject };
	const message = typeof error === 'string' ? error : (e?.message ?? String(error));
	const description = typeof error === 'string' ? null : (e?.description ?? null);
	const field = (e?.context?.field as string | undefined) ?? null;
	const httpCode = error instanceof NodeApiError ? (error.httpCode ?? null) : null;
	return { error: redact(message), description: description ? redact(description) : null, field, httpCode };
}

/**
 * An item that failed, for the error output (or continue-on-fail): its input, then the error fields
 * (which win over input fields of the same name), paired to the input item.
 */
export function errorItem(itemIndex: number, input: IDataObject, error: unknown, extra?: IDataObject): INodeExecutionData {
	return { json: { ...input, ...errorFields(error), ...(extra ?? {}) }, pairedItem: { item: itemIndex } };
}

/** n8n errors pass through (stamped with the item); anything else is wrapped so the editor shows node and item. */
export function asNodeError(ctx: Pick<IExecuteFunctions, 'getNode'>, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const description = (error as { description?: unknown } | undefined)?.description;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex, description: typeof description === 'string' ? description : undefined });
}
