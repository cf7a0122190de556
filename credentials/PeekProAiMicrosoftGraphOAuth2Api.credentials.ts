import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Delegated access (authorization code): the signed-in user's own calendar and the calendars shared
 * with them. Same URLs as n8n's Microsoft OAuth2 credential; the tenant is in the URLs so a
 * single-tenant app registration works (`common` for multi-tenant).
 */
export class PeekProAiMicrosoftGraphOAuth2Api implements ICredentialType {
	name = 'peekProAiMicrosoftGraphOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'PeekPro AI Microsoft Graph OAuth2 API';

	icon: Icon = { light: 'file:../icons/microsoftGraph.svg', dark: 'file:../icons/microsoftGraph.dark.svg' };

	documentationUrl = 'https://learn.microsoft.com/en-us/graph/auth-v2-user';

	properties: INodeProperties[] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			default: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
			description: 'Replace "common" with your tenant ID for a single-tenant app; national clouds use their own login host',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'openid offline_access User.Read Calendars.ReadWrite Calendars.ReadWrite.Shared',
		},
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: 'response_mode=query' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		{
			displayName: 'Graph Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.microsoft.com/v1.0',
			description: 'Change for a national cloud (e.g. https://graph.microsoft.us/v1.0) or a test double',
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
	];

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}', url: '/me/calendar', method: 'GET' },
	};
}
