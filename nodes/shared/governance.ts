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
	description: 'Whether to decide and log without sending anything: each output item holds the exact request instead',
	// A rule that decides behaviour is shown, not hidden in a tooltip (issue 17).
	hint: 'Items marked shadow: true by an earlier node are always handled in shadow mode',
};

/**
 * The same switch on a node that sends nothing itself (AI Scorer): it marks its output so the nodes
 * downstream that do send (Peek Pro, Klaviyo) stay silent.
 */
export const shadowMarkProperty: INodeProperties = {
	displayName: 'Shadow Mode',
	name: 'shadowMode',
	type: 'boolean',
	default: false,
	description: 'Whether to mark every output item shadow: true, so the Peek Pro and Klaviyo nodes after this one decide and log but send nothing',
	hint: 'Input items already marked shadow: true stay marked',
};

export function itemIsShadow(json: IDataObject | undefined): boolean {
	return json?.shadow === true || (typeof json?.shadow === 'string' && json.shadow.toLowerCase() === 'true');
}
