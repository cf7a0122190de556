import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peekRequest, seg } from '../../shared/transport';
import { requiredString, show, toItems } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Product ID',
		name: 'productId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('product', 'get'),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredString.call(this, 'productId', 'Product ID', i);
	const res = await peekRequest.call(this, { method: 'GET', path: `/products/${seg(id)}`, itemIndex: i });
	return toItems(res.body, i);
}
