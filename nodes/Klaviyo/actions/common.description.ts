import type { INodeProperties } from 'n8n-workflow';

/** Parameters several operations share. Names are stable: template workflows refer to them. */

export const defaultPhoneCountryField: INodeProperties = {
	displayName: 'Default Phone Country',
	name: 'defaultPhoneCountry',
	type: 'string',
	default: '',
	placeholder: 'e.g. US',
	description:
		"Country (ISO code such as US, or a name) for phone numbers written without a country code. The item's own country (customer.country) wins; this is the fallback.",
};

export function profileIdentifierFields(required = false): INodeProperties[] {
	// Where an empty field is read from decides what is sent: a hint under the field, not a tooltip.
	const fromItem = (keys: string) => (required ? {} : { hint: `Empty: read from the item (${keys})` });
	return [
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. ana@example.com',
			default: '',
			description: 'Profile email',
			...fromItem('customer.email, then email'),
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			placeholder: 'e.g. +15005550006',
			default: '',
			description: 'Profile phone number, as typed (normalized to E.164; a number that cannot be is left out with a warning on the item)',
			...fromItem('customer.phone, then phone_number or phone'),
		},
		defaultPhoneCountryField,
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			default: '',
			description: 'Your own customer ID for the profile',
			...fromItem('customer.id, then external_id'),
		},
	];
}

export const nameFields: INodeProperties[] = [
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		hint: 'Empty: read from the item (customer.firstName)',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		hint: 'Empty: read from the item (customer.lastName)',
	},
];

export const includeAiAttributesField: INodeProperties = {
	displayName: 'Include AI Attributes',
	name: 'includeAiAttributes',
	type: 'boolean',
	default: true,
	description: 'Whether to copy the AI Scorer\'s fields (ai_* and the primitive fields of "ai") into the properties',
};

export const maxConcurrencyOption: INodeProperties = {
	displayName: 'Max Concurrent Requests',
	name: 'maxConcurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100 },
	default: 16,
	description: "How many requests may be in flight at once. Klaviyo's rate limits still set the pace.",
};

export function listLocator(required: boolean, description: string): INodeProperties {
	return {
		displayName: 'List',
		name: 'listId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchLists', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. Y6nRLr',
				validation: [{ type: 'regex', properties: { regex: '^[A-Za-z0-9]+$', errorMessage: 'Not a Klaviyo list ID' } }],
			},
		],
	};
}
