import type { INodeProperties } from 'n8n-workflow';

import * as addProfiles from './addProfiles.operation';
import * as getMany from './getMany.operation';
import * as removeProfiles from './removeProfiles.operation';

export { addProfiles, getMany, removeProfiles };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['list'] } },
		options: [
			{ name: 'Add Profiles', value: 'addProfiles', description: 'Add profiles to a list (membership only, no consent)', action: 'Add profiles to a list' },
			{ name: 'Get Many', value: 'getMany', description: 'Get many lists', action: 'Get many lists' },
			{ name: 'Remove Profiles', value: 'removeProfiles', description: 'Remove profiles from a list', action: 'Remove profiles from a list' },
		],
		default: 'getMany',
	},
	...getMany.description,
	...addProfiles.description,
	...removeProfiles.description,
];
