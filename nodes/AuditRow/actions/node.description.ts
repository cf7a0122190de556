import type { INodeProperties } from 'n8n-workflow';

/**
 * The operation comes first: it decides what the incoming item must be. Nothing here writes
 * anywhere; the row goes to the next node (n8n's Data Table, Insert).
 */
export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'From Decision',
				value: 'fromDecision',
				description: 'One row per item: the audit record a pack node attached, or the decision described below',
				action: 'Build an audit row from a decision',
			},
			{
				name: 'From Failed Execution',
				value: 'fromFailure',
				description: 'One row per Error Trigger item: which workflow and node failed and why, redacted',
				action: 'Build an audit row from a failed execution',
			},
		],
		default: 'fromDecision',
	},
	{
		displayName:
			'Each item needs an audit record in json.audit (every Peek Pro, AI Scorer, Klaviyo and Waitlist Filler output item has one) or a json.templateDecision object; otherwise fill in Decision below, e.g. {{ "offer.sent: " + $json.entryId }}',
		name: 'decisionNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['fromDecision'] } },
	},
	{
		displayName: 'Connect this node to an Error Trigger: each item is n8n\'s failed-execution payload ({{ $json.execution.error.message }}, {{ $json.workflow.name }})',
		name: 'failureNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['fromFailure'] } },
	},
	{
		displayName: 'Flow',
		name: 'flow',
		type: 'string',
		default: '',
		placeholder: 'e.g. waitlist-spot-fill',
		description: 'Name of the flow, stored in the row\'s flow column so a review can filter by it',
	},
	{
		displayName: 'Decision',
		name: 'decision',
		type: 'string',
		default: '',
		placeholder: 'e.g. offer.sent',
		displayOptions: { show: { operation: ['fromDecision'] } },
		description: 'What was decided, for items that carry neither an audit record nor a template decision',
	},
	{
		displayName: 'Result',
		name: 'result',
		type: 'options',
		options: [
			{ name: 'Decided', value: 'decided' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Pending Approval', value: 'pending_approval' },
			{ name: 'Sent', value: 'sent' },
			{ name: 'Shadow', value: 'shadow' },
			{ name: 'Skipped', value: 'skipped' },
		],
		default: 'decided',
		displayOptions: { show: { operation: ['fromDecision'] } },
		description: 'Result for items that carry neither an audit record nor a template decision',
	},
	{
		displayName: 'Shadow Mode',
		name: 'shadowMode',
		type: 'boolean',
		default: false,
		displayOptions: { show: { operation: ['fromDecision'] } },
		description: 'Whether decisions built here (not records a pack node attached) were taken in shadow mode; the templates read it from their Config node',
	},
];
