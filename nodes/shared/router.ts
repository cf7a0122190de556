import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The operation a node's parameters name, from its typed resource → operation map, or an error that
 * says which pair was not found. Shared by the routers that hand every item to one batch operation.
 */
export function operationFor<Op>(ctx: IExecuteFunctions, operations: Record<string, Record<string, Op>>): Op {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation] as Op | undefined;
	if (!run) {
		throw new NodeOperationError(ctx.getNode(), `Operation "${operation}" of resource "${resource}" is not supported`, {
			description: 'Pick an operation from the list (parameters resource and operation).',
		});
	}
	return run;
}
