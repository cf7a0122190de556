import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peekRequest } from '../../shared/transport';
import { requiredString, show, toItems, writeOrShadow } from '../common';

export const get = {
	description: [] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const res = await peekRequest.call(this, { method: 'GET', path: '/dailyNote/today', itemIndex: i });
		return toItems(res.body, i);
	},
};

export const set = {
	writes: true as const,
	description: [
		{
			displayName: 'Note',
			name: 'note',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			displayOptions: show('dailyNote', 'set'),
			description: 'Text that replaces today\'s daily note',
		},
	] as INodeProperties[],
	async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
		const note = requiredString.call(this, 'note', 'Note', i);
		const result = await writeOrShadow.call(this, { method: 'POST', path: '/dailyNote/today', body: { note } }, i);
		return toItems(result.shadow ? { shadow: true, request: result.request } : (result.body ?? { success: true }), i);
	},
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['dailyNote'] } },
		options: [
			{ name: 'Get Today', value: 'get', action: 'Get the daily note for today' },
			{ name: 'Set Today', value: 'set', action: 'Replace the daily note for today' },
		],
		default: 'get',
	},
	...set.description,
];
