import type { INodeProperties } from 'n8n-workflow';

import * as bulkImport from './bulkImport.operation';
import * as getByEmail from './getByEmail.operation';
import * as upsert from './upsert.operation';

export { bulkImport, getByEmail, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profile'] } },
		options: [
			{ name: 'Bulk Import', value: 'bulkImport', description: 'Create or update many profiles in one import job and wait for it', action: 'Bulk import profiles' },
			{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)', action: 'Create or update a profile' },
			{ name: 'Get by Email', value: 'getByEmail', description: 'Find the profile with an email', action: 'Get a profile by email' },
		],
		default: 'upsert',
	},
	...upsert.description,
	...getByEmail.description,
	...bulkImport.description,
];
