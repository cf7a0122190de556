import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Klaviyo private API key. The `revision` header is pinned here as well as in the node's transport
 * (same value) because n8n's credential test runs without the node, and Klaviyo rejects any request
 * without a revision.
 */
export class PeekProAiKlaviyoApi implements ICredentialType {
	name = 'peekProAiKlaviyoApi';

	displayName = 'PeekPro AI Klaviyo API';

	icon: Icon = { light: 'file:../icons/klaviyo.svg', dark: 'file:../icons/klaviyo.dark.svg' };

	documentationUrl = 'https://developers.klaviyo.com/en/docs/authenticate_#private-key-authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Private API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. pk_...',
			description:
				'A Klaviyo private API key (Settings → API keys). Scopes used by this node: events:write, profiles:read/write, lists:read/write, subscriptions:write.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://a.klaviyo.com',
			description: 'Change only to point at a test double or proxy',
		},
		{
			displayName: 'Processes Sharing This Key',
			name: 'sharingProcesses',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description:
				'How many n8n processes run Klaviyo nodes with this key: 1 for a single n8n, the number of workers in queue mode. Each process keeps to its share of Klaviyo\'s rate limits, so the fleet as a whole stays within them.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Klaviyo-API-Key {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/accounts',
			method: 'GET',
			headers: {
				revision: '2026-07-15',
				accept: 'application/vnd.api+json',
			},
		},
	};
}
