import type { IDataObject } from 'n8n-workflow';

import type { FieldWarning } from '../../shared/phone';
import type { ProfileIdentifiers } from './item';

/**
 * JSON:API bodies exactly as the spec at the pinned revision wants them. Pure functions, so the
 * contract tests can run every shape through the official OpenAPI schemas.
 */

/** Klaviyo's limits at the pinned revision (FACTS §1.5). */
export const LIMITS = {
	bulkEventsPerRequest: 1000,
	bulkProfilesPerJob: 10_000,
	listMembersPerRequest: 1000,
	subscribePerRequest: 1000,
	unsubscribePerRequest: 100,
	/** Profile ids resolved per `any(email,[...])` lookup (page size maximum is 100). */
	emailsPerLookup: 100,
	/** 5 MB less room for the envelope. */
	bulkPayloadBytes: 5 * 1024 * 1024 - 16 * 1024,
	eventPayloadBytes: 5 * 1024 * 1024,
	profileBytes: 100 * 1024,
	/** Spec says 400, the docs' ingestion table 300: keep to both. */
	eventProperties: 300,
	metricNameChars: 127,
};

export function jsonBytes(value: unknown): number {
	return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

export interface EventSpec {
	metric: string;
	profile: ProfileIdentifiers & { first_name?: string; last_name?: string };
	properties: IDataObject;
	uniqueId: string;
	time?: string;
	value?: number;
	valueCurrency?: string;
	backfill?: boolean;
}

function eventAttributes(e: EventSpec): IDataObject {
	const attributes: IDataObject = { properties: e.properties };
	if (e.time !== undefined) attributes.time = e.time;
	if (e.value !== undefined) attributes.value = e.value;
	if (e.valueCurrency !== undefined) attributes.value_currency = e.valueCurrency;
	attributes.unique_id = e.uniqueId;
	if (e.backfill) attributes.backfill = true;
	attributes.metric = { data: { type: 'metric', attributes: { name: e.metric } } };
	return attributes;
}

function profileData(profile: EventSpec['profile']): IDataObject {
	return { type: 'profile', attributes: { ...profile } };
}

/** `POST /api/events` (EventCreateQueryV2). */
export function eventCreateBody(e: EventSpec): IDataObject {
	return { data: { type: 'event', attributes: { ...eventAttributes(e), profile: { data: profileData(e.profile) } } } };
}

/** One entry of a bulk job: a profile and its events. */
export function bulkEventEntry(profile: EventSpec['profile'], events: EventSpec[]): IDataObject {
	return {
		type: 'event-bulk-create',
		attributes: {
			profile: { data: profileData(profile) },
			events: { data: events.map((e) => ({ type: 'event', attributes: eventAttributes(e) })) },
		},
	};
}

/** `POST /api/event-bulk-create-jobs` (EventsBulkCreateJob): events grouped per profile. */
export function bulkEventsBody(entries: IDataObject[]): IDataObject {
	return { data: { type: 'event-bulk-create-job', attributes: { 'events-bulk-create': { data: entries } } } };
}

export interface ProfileSpec {
	ids: ProfileIdentifiers;
	first_name?: string;
	last_name?: string;
	organization?: string;
	locale?: string;
	title?: string;
	location?: IDataObject;
	properties?: IDataObject;
	/** Why part of the item was left out (not sent). */
	warnings?: FieldWarning[];
}

/** The resource object shared by profile-import and bulk import (ProfileUpsertQueryResourceObject). */
export function profileResource(p: ProfileSpec): IDataObject {
	const attributes: IDataObject = { ...p.ids };
	for (const key of ['first_name', 'last_name', 'organization', 'locale', 'title'] as const) {
		if (p[key] !== undefined) attributes[key] = p[key];
	}
	if (p.location && Object.keys(p.location).length) attributes.location = p.location;
	if (p.properties && Object.keys(p.properties).length) attributes.properties = p.properties;
	return { type: 'profile', attributes };
}

/** `POST /api/profile-import` (ProfileUpsertQuery). */
export function profileImportBody(p: ProfileSpec): IDataObject {
	return { data: profileResource(p) };
}

/** `POST /api/profile-bulk-import-jobs` (ProfileImportJobCreateQuery). */
export function bulkImportBody(profiles: IDataObject[], listIds: string[]): IDataObject {
	const data: IDataObject = { type: 'profile-bulk-import-job', attributes: { profiles: { data: profiles } } };
	if (listIds.length) data.relationships = { lists: { data: listIds.map((id) => ({ type: 'list', id })) } };
	return { data };
}

/** `POST|DELETE /api/lists/{id}/relationships/profiles` (ListMembersAddQuery / ListMembersDeleteQuery). */
export function listMembersBody(profileIds: string[]): IDataObject {
	return { data: profileIds.map((id) => ({ type: 'profile', id })) };
}

export type Channel = 'email' | 'sms';

export interface SubscribeSpec {
	email?: string;
	phone_number?: string;
	channels: Channel[];
	consentedAt?: string;
}

/** `POST /api/profile-subscription-bulk-create-jobs` (SubscriptionCreateJobCreateQuery). */
export function subscribeBody(profiles: SubscribeSpec[], opts: { listId?: string; customSource?: string; historicalImport: boolean }): IDataObject {
	const data: IDataObject = {
		type: 'profile-subscription-bulk-create-job',
		attributes: {
			...(opts.customSource ? { custom_source: opts.customSource } : {}),
			profiles: {
				data: profiles.map((p) => {
					const consent: IDataObject = { consent: 'SUBSCRIBED' };
					if (p.consentedAt) consent.consented_at = p.consentedAt;
					const subscriptions: IDataObject = {};
					for (const channel of p.channels) subscriptions[channel] = { marketing: { ...consent } };
					const attributes: IDataObject = {};
					if (p.email) attributes.email = p.email;
					if (p.phone_number) attributes.phone_number = p.phone_number;
					attributes.subscriptions = subscriptions;
					return { type: 'profile', attributes };
				}),
			},
			...(opts.historicalImport ? { historical_import: true } : {}),
		},
	};
	if (opts.listId) data.relationships = { list: { data: { type: 'list', id: opts.listId } } };
	return { data };
}

export interface UnsubscribeSpec {
	email?: string;
	phone_number?: string;
	channels: Channel[];
}

/** `POST /api/profile-subscription-bulk-delete-jobs` (SubscriptionDeleteJobCreateQuery). */
export function unsubscribeBody(profiles: UnsubscribeSpec[], opts: { listId?: string }): IDataObject {
	const data: IDataObject = {
		type: 'profile-subscription-bulk-delete-job',
		attributes: {
			profiles: {
				data: profiles.map((p) => {
					const subscriptions: IDataObject = {};
					for (const channel of p.channels) subscriptions[channel] = { marketing: { consent: 'UNSUBSCRIBED' } };
					const attributes: IDataObject = {};
					if (p.email) attributes.email = p.email;
					if (p.phone_number) attributes.phone_number = p.phone_number;
					attributes.subscriptions = subscriptions;
					return { type: 'profile', attributes };
				}),
			},
		},
	};
	if (opts.listId) data.relationships = { list: { data: { type: 'list', id: opts.listId } } };
	return { data };
}

/** Klaviyo filter strings: string values quoted, with quotes and backslashes escaped. */
export function quoteFilterValue(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function emailEqualsFilter(email: string): string {
	return `equals(email,${quoteFilterValue(email)})`;
}

export function emailAnyFilter(emails: string[]): string {
	return `any(email,[${emails.map(quoteFilterValue).join(',')}])`;
}
