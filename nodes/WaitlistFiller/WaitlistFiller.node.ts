import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/node.description';
import { router } from './actions/router';

export class WaitlistFiller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Waitlist Filler',
		name: 'waitlistFiller',
		icon: { light: 'file:waitlistFiller.svg', dark: 'file:waitlistFiller.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + " (" + $parameter["mode"] + ")" }}',
		description: 'Choose which waitlisted guests get an offer for freed seats: exact, fair, never over capacity, never twice',
		defaults: { name: 'Waitlist Filler' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Promote now', 'Needs approval', 'No action'],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
