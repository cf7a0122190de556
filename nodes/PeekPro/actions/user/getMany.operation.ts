import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getList, returnAllAndLimit, toItems } from '../common';

export const description: INodeProperties[] = [...returnAllAndLimit('user', ['getMany', 'getAll'])];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return toItems(await getList.call(this, { method: 'GET', path: '/users' }, i, ['users']), i);
}
