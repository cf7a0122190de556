import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peekRequest, seg } from '../../shared/transport';
import { requiredString, show, toItems } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('user', 'get'),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredString.call(this, 'userId', 'User ID', i);
	const res = await peekRequest.call(this, { method: 'GET', path: `/users/${seg(id)}`, itemIndex: i });
	return toItems(res.body, i);
}
