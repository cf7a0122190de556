import type { INodeProperties } from 'n8n-workflow';

export const backendProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Backend',
	name: 'backend',
	type: 'options',
	default: 'local',
	options: [
		{ name: 'Local Rules (No Network)', value: 'local', description: 'Deterministic keyword rules and templates; nothing leaves the machine' },
		{ name: 'LLM (OpenAI-Compatible)', value: 'llm', description: 'Personal data is pseudonymised before the call; falls back to local rules on failure' },
	],
	displayOptions: { show },
});

/** The Options collection every Text operation shares. */
export const textOptionsProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show },
	options: [
		{ displayName: 'Include Input Fields', name: 'includeInput', type: 'boolean', default: true, description: 'Whether to keep the input item\'s fields in the output' },
	],
});
