import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { peekRequest } from '../../shared/transport';
import { toItems } from '../common';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const res = await peekRequest.call(this, { method: 'GET', path: '/accounts/current', itemIndex: i });
	return toItems(res.body, i);
}
