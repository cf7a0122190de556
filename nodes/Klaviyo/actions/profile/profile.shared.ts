import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { jsonBytes, LIMITS, profileResource, type ProfileSpec } from '../../helpers/bodies';
import { aiAttributesOf, asText, customerOf } from '../../helpers/item';
import { fieldError } from '../../helpers/outcome';
import { keyValueOrJson, readKeyValueOrJson } from '../../../shared/panel';
import { includeAiAttributesField, nameFields, profileIdentifierFields } from '../common.description';
import { parseJsonObject, profileIdentifiers } from '../event/event.shared';

export const profileFields: INodeProperties[] = [
	...profileIdentifierFields(),
	...nameFields,
	...keyValueOrJson({
		name: 'customProperties',
		label: 'Custom Properties',
		keyPlaceholder: 'e.g. favourite_activity',
		valuePlaceholder: 'e.g. {{ $json.activity.name }}',
		hint: 'Merged over the AI attributes: a key given here wins',
	}),
	includeAiAttributesField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{ displayName: 'Address 1', name: 'address1', type: 'string', default: '' },
			{ displayName: 'Address 2', name: 'address2', type: 'string', default: '' },
			{ displayName: 'City', name: 'city', type: 'string', default: '' },
			{ displayName: 'Country', name: 'country', type: 'string', default: '', description: "Defaults to the item's customer.country" },
			{ displayName: 'Locale', name: 'locale', type: 'string', default: '', placeholder: 'e.g. en-US', description: "IETF BCP 47 tag. Defaults to the item's customer.locale." },
			{ displayName: 'Organization', name: 'organization', type: 'string', default: '' },
			{ displayName: 'Region', name: 'region', type: 'string', default: '', description: 'State or province' },
			{ displayName: 'Time Zone', name: 'timezone', type: 'string', default: '', placeholder: 'e.g. America/Denver' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'Job title' },
			{ displayName: 'Zip', name: 'zip', type: 'string', default: '', description: "Postal code. Defaults to the item's customer.postalCode." },
		],
	},
];

/** Reads and validates one item's profile. Throws a NodeOperationError naming the field. */
export function buildProfile(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): ProfileSpec {
	const json = item.json ?? {};
	const { ids, warnings } = profileIdentifiers(ctx, json, i);
	const customer = customerOf(json);
	const extra = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const location: IDataObject = {};
	const loc = (key: string, fallback?: unknown) => {
		const value = asText(extra[key]) ?? asText(fallback);
		if (value) location[key] = value;
	};
	loc('address1');
	loc('address2');
	loc('city');
	loc('region');
	loc('country', customer.country);
	loc('zip', customer.postalCode);
	loc('timezone');

	const properties: IDataObject = {
		...(ctx.getNodeParameter('includeAiAttributes', i, true) ? aiAttributesOf(json) : {}),
		...parseJsonObject(ctx, readKeyValueOrJson(ctx, i, 'customProperties'), i, 'customProperties'),
	};
	const spec: ProfileSpec = {
		ids,
		first_name: asText(ctx.getNodeParameter('firstName', i, '')) ?? asText(customer.firstName),
		last_name: asText(ctx.getNodeParameter('lastName', i, '')) ?? asText(customer.lastName),
		organization: asText(extra.organization),
		locale: asText(extra.locale) ?? asText(customer.locale),
		title: asText(extra.title),
		location,
		properties,
		warnings,
	};
	if (jsonBytes(profileResource(spec)) > LIMITS.profileBytes) {
		throw fieldError(ctx, i, 'customProperties', 'The profile is larger than 100 KB', 'Klaviyo accepts profiles up to 100 KB; send fewer or smaller properties');
	}
	return spec;
}
