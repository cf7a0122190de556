import type { INodeProperties } from 'n8n-workflow';

import { operationBy } from '../common';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	// Version 1 named "Get Many" getAll; 1.1 uses n8n's getMany. Version 1 keeps its list so a saved
	// workflow still shows a valid operation; the router runs both values (see PeekPro.node.ts).
	...operationBy('user', [
		{ name: 'Get', value: 'get', action: 'Get a user' },
		{ name: 'Get Many', value: 'getMany', action: 'Get many users' },
	]),
	...get.description,
	...getMany.description,
];
