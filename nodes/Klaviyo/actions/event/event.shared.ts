import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { stableStringify } from '../../../shared/audit';
import { shadowModeProperty } from '../../../shared/governance';
import { keyValueOrJson, readKeyValueOrJson } from '../../../shared/panel';
import { LIMITS, type EventSpec } from '../../helpers/bodies';
import {
	aiAttributesOf,
	amountOf,
	asObject,
	asText,
	bookingEventOf,
	bookingIdOf,
	bookingProperties,
	bookingValueOf,
	customerOf,
	hasIdentifier,
	identifiersOf,
	isPlausibleEmail,
	profileKey,
	type ProfileIdentifiers,
} from '../../helpers/item';
import type { FieldWarning } from '../../../shared/phone';
import { fieldError } from '../../helpers/outcome';
import { includeAiAttributesField, profileIdentifierFields } from '../common.description';

export const eventFields: INodeProperties[] = [
	{
		displayName: 'Metric Name',
		name: 'metricName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Tour Booked',
		description: 'The Klaviyo metric the event is recorded under; flows trigger on it',
	},
	...profileIdentifierFields(),
	...keyValueOrJson({
		name: 'eventProperties',
		label: 'Event Properties',
		keyPlaceholder: 'e.g. tour_name',
		valuePlaceholder: 'e.g. {{ $json.activity.name }}',
		hint: 'Merged over the booking and AI properties below: a key given here wins',
	}),
	{
		displayName: 'Include Booking Properties',
		name: 'includeBookingProperties',
		type: 'boolean',
		default: true,
		description: 'Whether to add the booking facts of a canonical booking item (booking_id, activity_name, starts_at, party_size, ...)',
	},
	includeAiAttributesField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{
				displayName: 'Backfill',
				name: 'backfill',
				type: 'boolean',
				default: false,
				description: 'Whether to record the event without triggering flows (for historical events)',
			},
			{
				displayName: 'First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				description: "Profile first name. Defaults to the item's customer.firstName.",
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				description: "Profile last name. Defaults to the item's customer.lastName.",
			},
			{
				displayName: 'Time',
				name: 'time',
				type: 'dateTime',
				default: '',
				description: 'When the event happened. Defaults to the time Klaviyo receives it.',
			},
			{
				displayName: 'Unique ID',
				name: 'uniqueId',
				type: 'string',
				default: '',
				description:
					'Klaviyo\'s deduplication key. Defaults to "booking ID:booking event" (or the metric name when the booking has no event), or to a hash of the event when the item has no booking ID.',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 0,
				description: "Monetary value of the event. Defaults to the booking's total.amount.",
			},
			{
				displayName: 'Value Currency',
				name: 'valueCurrency',
				type: 'string',
				default: '',
				placeholder: 'e.g. EUR',
				description: "ISO 4217 code. Defaults to the booking's total.currency.",
			},
		],
	},
];

export const eventShadowField: INodeProperties = shadowModeProperty;

function slug(text: string): string {
	return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * The default `unique_id`: booking id plus the booking's event (or the metric), so a retried or
 * replayed booking webhook never records a second event. Without a booking id, a hash of what the
 * event says, so re-running the same item is still safe.
 */
export function defaultUniqueId(json: IDataObject, e: Omit<EventSpec, 'uniqueId'>): string {
	const bookingId = bookingIdOf(json);
	if (bookingId) return `${bookingId}:${bookingEventOf(json) ?? slug(e.metric)}`;
	const hash = createHash('sha256')
		.update(stableStringify({ metric: e.metric, profile: e.profile, properties: e.properties, time: e.time ?? null, value: e.value ?? null }))
		.digest('hex');
	return `h:${hash.slice(0, 32)}`;
}

function parseJsonObject(ctx: IExecuteFunctions, value: unknown, itemIndex: number, field: string): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = jsonParse(value);
		} catch {
			throw fieldError(ctx, itemIndex, field, `"${field}" is not valid JSON`, 'Enter a JSON object, e.g. {"tour_name": "Alps day trip"}');
		}
	}
	const object = asObject(parsed);
	if (!object) throw fieldError(ctx, itemIndex, field, `"${field}" must be a JSON object`, 'Enter an object such as {"key": "value"}, not a list or a single value');
	return object;
}

export { parseJsonObject };

function isoTime(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): string | undefined {
	const value = asText(raw);
	if (!value) return undefined;
	const ms = Date.parse(value);
	if (Number.isNaN(ms)) throw fieldError(ctx, itemIndex, 'additionalFields.time', 'Time is not a date', 'Use an ISO 8601 date-time such as 2026-06-01T10:15:00+00:00');
	// Klaviyo rejects events before 1990 and more than a year ahead.
	if (ms < Date.UTC(1990, 0, 1) || ms > Date.now() + 365 * 24 * 3600 * 1000) {
		throw fieldError(ctx, itemIndex, 'additionalFields.time', 'Time is out of the range Klaviyo accepts', 'Use a time after 1990 and at most one year from now');
	}
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * A row Klaviyo can take: at least one identifier, and a well-formed email when there is one
 * (Klaviyo fails a whole bulk job over one). Throws a NodeOperationError naming the field.
 */
export function checkIdentifiers(ctx: IExecuteFunctions, i: number, ids: ProfileIdentifiers, warnings: FieldWarning[]): void {
	if (!hasIdentifier(ids)) {
		const phoneNote = warnings.find((w) => w.field === 'phone_number');
		throw fieldError(
			ctx,
			i,
			phoneNote ? 'phoneNumber' : 'email',
			phoneNote ? 'The item has no usable profile identifier' : 'The item has no profile identifier',
			phoneNote ? `${phoneNote.reason}, and the item has no email or external ID` : 'Set Email, Phone Number or External ID, or send items with customer.email',
		);
	}
	if (ids.email !== undefined && !isPlausibleEmail(ids.email)) {
		throw fieldError(ctx, i, 'email', 'The email is not a valid address', 'Correct the email in the booking (or map another field); Klaviyo rejects malformed emails');
	}
}

/**
 * The item's profile identifiers from the node's Email / Phone Number / External ID (or the item's
 * customer), the phone in E.164 or left out with a warning, checked by `checkIdentifiers`.
 */
export function profileIdentifiers(ctx: IExecuteFunctions, json: IDataObject, i: number): { ids: ProfileIdentifiers; warnings: FieldWarning[] } {
	const warnings: FieldWarning[] = [];
	const ids = identifiersOf(
		json,
		{
			email: ctx.getNodeParameter('email', i, '') as string,
			phoneNumber: ctx.getNodeParameter('phoneNumber', i, '') as string,
			externalId: ctx.getNodeParameter('externalId', i, '') as string,
		},
		{ defaultCountry: ctx.getNodeParameter('defaultPhoneCountry', i, '') as string, warnings },
	);
	checkIdentifiers(ctx, i, ids, warnings);
	return { ids, warnings };
}

export interface BuiltEvent {
	spec: EventSpec;
	/** Why part of the item was left out (not sent). */
	warnings: FieldWarning[];
	/** Same profile and metric and unique_id: the same event to Klaviyo. */
	dedupeKey: string;
	profileKey: string;
}

/** Reads and validates one item's event. Throws a NodeOperationError naming the field. */
export function buildEvent(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): BuiltEvent {
	const json = item.json ?? {};
	const metric = (ctx.getNodeParameter('metricName', i, '') as string).trim();
	if (!metric) throw fieldError(ctx, i, 'metricName', 'Metric Name is empty', 'Enter the Klaviyo metric, e.g. "Tour Booked"');
	if (metric.length > LIMITS.metricNameChars) throw fieldError(ctx, i, 'metricName', 'Metric Name is too long', 'Klaviyo accepts metric names under 128 characters');

	const { ids, warnings } = profileIdentifiers(ctx, json, i);

	const additional = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const customer = customerOf(json);
	const profile: EventSpec['profile'] = { ...ids };
	const firstName = asText(additional.firstName) ?? asText(customer.firstName);
	const lastName = asText(additional.lastName) ?? asText(customer.lastName);
	if (firstName) profile.first_name = firstName;
	if (lastName) profile.last_name = lastName;

	const properties: IDataObject = {
		...(ctx.getNodeParameter('includeBookingProperties', i, true) ? bookingProperties(json) : {}),
		...(ctx.getNodeParameter('includeAiAttributes', i, true) ? aiAttributesOf(json) : {}),
		...parseJsonObject(ctx, readKeyValueOrJson(ctx, i, 'eventProperties'), i, 'eventProperties'),
	};
	if (Object.keys(properties).length > LIMITS.eventProperties) {
		throw fieldError(ctx, i, 'eventProperties', `The event has ${Object.keys(properties).length} properties`, `Klaviyo accepts at most ${LIMITS.eventProperties} properties per event; send fewer`);
	}

	const bookingValue = bookingValueOf(json);
	const explicitValue = amountOf(additional.value);
	const value = explicitValue !== undefined && explicitValue !== 0 ? explicitValue : bookingValue.amount;
	const valueCurrency = asText(additional.valueCurrency)?.toUpperCase() ?? (value !== undefined ? bookingValue.currency : undefined);
	if (valueCurrency !== undefined && !/^[A-Z]{3}$/.test(valueCurrency)) {
		throw fieldError(ctx, i, 'additionalFields.valueCurrency', 'Value Currency is not an ISO 4217 code', 'Use a three-letter code such as EUR or USD');
	}

	const partial: Omit<EventSpec, 'uniqueId'> = {
		metric,
		profile,
		properties,
		time: isoTime(ctx, additional.time, i),
		value,
		valueCurrency,
		backfill: additional.backfill === true ? true : undefined,
	};
	const uniqueId = asText(additional.uniqueId) ?? defaultUniqueId(json, partial);
	const spec: EventSpec = { ...partial, uniqueId };
	const key = profileKey(ids);
	return { spec, warnings, profileKey: key, dedupeKey: `${metric}\u0000${uniqueId}\u0000${key}` };
}
