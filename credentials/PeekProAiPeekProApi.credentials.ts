import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
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

	/**
	 * A function rather than the generic `{ headers: { 'x-api-key': '={{$credentials.apiKey}}' } }`
	 * block: n8n resolves a generic block's values as expressions on every request, and in n8n 2.x an
	 * expression needs an isolate. The trigger's verify-by-fetch reads Peek while n8n answers the
	 * delivery, where nothing else evaluates an expression, so the generic block cost each verified
	 * delivery an isolate of its own (measured: `node bench/peek/n8n-throughput.mjs --lazy-isolates`,
	 * README "Peek Pro Trigger throughput"). Same header, same value.
	 */
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), 'x-api-key': typeof credentials.apiKey === 'string' ? credentials.apiKey : String(credentials.apiKey ?? '') },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/ping',
			method: 'GET',
		},
	};
}
