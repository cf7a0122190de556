import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

/**
 * App-only access (client-credentials grant) for a service account that manages many guides'
 * calendars. The token is fetched the way n8n's own client-credential credentials do it: a hidden,
 * expirable `accessToken` filled by `preAuthentication`, which n8n calls again when it is empty or
 * Graph answers 401, so no token is cached in node code (safe under queue mode).
 */
export class PeekProAiMicrosoftGraphAppOnlyApi implements ICredentialType {
	name = 'peekProAiMicrosoftGraphAppOnlyApi';

	displayName = 'PeekPro AI Microsoft Graph App-Only API';

	icon: Icon = { light: 'file:../icons/microsoftGraph.svg', dark: 'file:../icons/microsoftGraph.dark.svg' };

	documentationUrl = 'https://learn.microsoft.com/en-us/graph/auth-v2-service';

	properties: INodeProperties[] = [
		{ displayName: 'Tenant ID', name: 'tenantId', type: 'string', default: '', required: true, placeholder: 'e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47', description: 'Directory (tenant) ID of the app registration' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true, description: 'Application (client) ID' },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '', required: true },
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'https://graph.microsoft.com/.default',
			description: 'The app\'s granted application permissions (Calendars.ReadWrite) are used; national clouds have their own .default scope',
		},
		{
			displayName: 'Login Host',
			name: 'authorityHost',
			type: 'string',
			default: 'https://login.microsoftonline.com',
			description: 'Change for a national cloud (e.g. https://login.microsoftonline.us) or a test double',
		},
		{
			displayName: 'Graph Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.microsoft.com/v1.0',
			description: 'Change for a national cloud or a test double',
		},
		{
			displayName: 'Processes Sharing This Key',
			name: 'sharingProcesses',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description:
				'How many n8n processes run Outlook Calendar nodes with this credential: 1 for a single n8n, the number of workers in queue mode. Each process keeps to its share of the node\'s Graph rate (15 requests/s, burst 20), so the fleet as a whole stays within it.',
		},
		{ displayName: 'Access Token', name: 'accessToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const host = String(credentials.authorityHost || 'https://login.microsoftonline.com').replace(/\/+$/, '');
		const form: Record<string, string> = {
			client_id: String(credentials.clientId),
			client_secret: String(credentials.clientSecret),
			scope: String(credentials.scope || 'https://graph.microsoft.com/.default'),
			grant_type: 'client_credentials',
		};
		const body = Object.entries(form)
			.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
			.join('&');
		const { access_token } = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${host}/${encodeURIComponent(String(credentials.tenantId))}/oauth2/v2.0/token`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body,
			json: true,
		})) as { access_token: string };
		return { accessToken: access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		// App-only tokens have no /me; listing one user proves the token and User.Read.All or Calendars permissions.
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/users?$top=1&$select=id', method: 'GET' },
	};
}
