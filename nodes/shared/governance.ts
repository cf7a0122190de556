import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * Shadow mode, shared by every node that sends or writes: the node decides and logs, and instead of
 * sending it outputs exactly the request it would have sent. A node also treats an input item marked
 * `shadow: true` by an upstream node (the AI Scorer in shadow mode) as shadow, so one switch at the
 * start of a flow keeps the whole flow silent.
 */
export const shadowModeProperty: INodeProperties = {
	displayName: 'Shadow Mode',
	name: 'shadowMode',
	type: 'boolean',
	default: false,
	description:
		'Whether to decide and log without sending anything. Each output item then holds the exact request that would have been sent. Items marked "shadow: true" by an earlier node are always handled in shadow mode.',
};

export function itemIsShadow(json: IDataObject | undefined): boolean {
	return json?.shadow === true || (typeof json?.shadow === 'string' && json.shadow.toLowerCase() === 'true');
}
