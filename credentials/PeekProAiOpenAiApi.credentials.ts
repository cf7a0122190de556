import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Any OpenAI-compatible chat-completions server: OpenAI, Azure OpenAI (v1 API base URL), Ollama,
 * vLLM, LM Studio and similar. Only the AI Scorer's LLM backend uses it.
 */
export class PeekProAiOpenAiApi implements ICredentialType {
	name = 'peekProAiOpenAiApi';

	displayName = 'PeekPro AI OpenAI Compatible API';

	icon: Icon = { light: 'file:../icons/openai.svg', dark: 'file:../icons/openai.dark.svg' };

	documentationUrl = 'https://github.com/peekpro-ai/n8n-nodes-peekpro-ai#openai-compatible-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Sent as "Authorization: Bearer". Local servers such as Ollama accept any value.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.openai.com/v1',
			placeholder: 'e.g. http://localhost:11434/v1 or https://my-resource.openai.azure.com/openai/v1',
			description: 'Root of the OpenAI-compatible API, up to and including /v1',
		},
		{
			displayName: 'Organization ID',
			name: 'organization',
			type: 'string',
			default: '',
			description: 'Optional OpenAI organization, sent as the OpenAI-Organization header',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/models',
		},
	};
}
