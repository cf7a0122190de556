import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Peek Pro automation API key (the key from the "Peek Pro n8n app" in Peek Pro).
 *
 * Named `peekProAiPeekProApi`, not `peekProApi`: credential type names are global in n8n and
 * Peek's own package already uses `peekProApi`.
 */
export class PeekProAiPeekProApi implements ICredentialType {
	name = 'peekProAiPeekProApi';

	displayName = 'PeekPro AI Peek Pro API';

	icon: Icon = { light: 'file:../icons/peekpro.svg', dark: 'file:../icons/peekpro.dark.svg' };

	documentationUrl = 'https://github.com/peekpro-ai/n8n-nodes-peekpro-ai#peek-pro-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The key shown by the Peek Pro n8n app in Peek Pro (sent in the x-api-key header)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://n8n.peeklabs.com/n8n/api/v1',
			description: 'Peek Pro automation API base URL. Change only for a proxy or a test server.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. Secret for the Peek Pro Trigger\'s HMAC signature or shared-secret check (used only when one of those checks is switched on in the trigger).',
		},
		{
			displayName: 'Proxy Base URL for Unpublished Endpoints',
			name: 'assumedBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://peek-proxy.example.com/api',
			description:
				'Optional. Where the Peek Pro node sends the calls Peek has no public endpoint for (waitlists, booking creation): your proxy. Empty uses the Base URL. See the README section "Documented assumptions".',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/ping',
			method: 'GET',
		},
	};
}
