import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/node.description';
import { router } from './actions/router';

export class OutlookCalendar implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Outlook Calendar (PeekPro AI)',
		name: 'outlookCalendar',
		icon: { light: 'file:outlookCalendar.svg', dark: 'file:outlookCalendar.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] + " (" + $parameter["rolloutPhase"] + ")" }}',
		description: 'Keep one Outlook event per booking in the guide\'s calendar, check conflicts, suggest alternatives and read availability via Microsoft Graph',
		defaults: { name: 'Outlook Calendar' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Done', 'Conflicts'],
		credentials: [
			{ name: 'peekProAiMicrosoftGraphAppOnlyApi', required: true, displayOptions: { show: { authentication: ['appOnly'] } } },
			{ name: 'peekProAiMicrosoftGraphOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
