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
