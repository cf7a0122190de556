import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { shadowModeProperty } from '../../../shared/governance';
import { LIMITS, subscribeBody, type Channel, type SubscribeSpec } from '../../helpers/bodies';
import { bookingOf, isExplicitConsent } from '../../helpers/item';
import { asNodeError, fieldError, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { listLocator, profileIdentifierFields } from '../common.description';
import { asText, channelsParam, contactOf, isE164, itemIsShadow, readPath, sendConsentJobs, type ConsentEntry } from './consent.shared';

export const channelsField: INodeProperties = {
	displayName: 'Channels',
	name: 'channels',
	type: 'multiOptions',
	options: [
		{ name: 'Email Marketing', value: 'email' },
		{ name: 'SMS Marketing', value: 'sms' },
	],
	default: ['email'],
};

const properties: INodeProperties[] = [
	{ ...channelsField, description: 'Channels to subscribe, each only where the item carries explicit consent for it' },
	...profileIdentifierFields().slice(0, 3),
	{
		displayName: 'Email Consent Field',
		name: 'emailConsentField',
		type: 'string',
		default: 'customer.emailMarketingConsent',
		description: 'Path in the item to the explicit email-marketing consent. Only true (or "true"/"yes") subscribes; missing or anything else skips the channel.',
	},
	{
		displayName: 'SMS Consent Field',
		name: 'smsConsentField',
		type: 'string',
		default: 'customer.smsMarketingConsent',
		description: 'Path in the item to the explicit SMS-marketing consent. Only true (or "true"/"yes") subscribes.',
	},
	listLocator(false, 'Optional list to subscribe the profiles to; its opt-in setting (single or double) applies'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Consented At Field',
				name: 'consentedAtField',
				type: 'string',
				default: '',
				placeholder: 'e.g. customer.consentedAt',
				description: 'Path in the item to when consent was given. When set, the import is historical: no double opt-in, and "Added to list" flows do not fire.',
			},
			{
				displayName: 'Use Unverified Consent',
				name: 'useUnverifiedConsent',
				type: 'boolean',
				default: false,
				description:
					'Whether consent that only an unauthenticated delivery claims may subscribe. Off: consent under "unverified" (the Peek Pro Trigger keeps delivery-only fields there when it verifies by fetching), and consent on a booking that came from a delivery with no fetch and no HMAC, is ignored, because anyone who can reach the webhook could write it.',
			},
			{
				displayName: 'Custom Source',
				name: 'customSource',
				type: 'string',
				default: 'PeekPro AI (n8n)',
				description: 'Stored on the consent record as where the consent came from',
			},
		],
	},
	shadowModeProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['consent'], operation: ['subscribe'] } }, properties);

/**
 * Subscribes only from explicit consent in the item, channel by channel; never by default. Items
 * without consent for any selected channel are skipped with the reason. A row whose own data cannot
 * be subscribed (consent for SMS but no usable phone, and nothing else consented) is rejected on its
 * own: the other rows are still subscribed.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const entries: Array<ConsentEntry<SubscribeSpec>> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const json = items[i].json ?? {};
			const contact = contactOf(this, items[i], i);
			notes.warn(i, contact.warnings);
			const fields: Record<Channel, string> = {
				email: (this.getNodeParameter('emailConsentField', i, 'customer.emailMarketingConsent') as string).trim(),
				sms: (this.getNodeParameter('smsConsentField', i, 'customer.smsMarketingConsent') as string).trim(),
			};
			const useUnverified = (this.getNodeParameter('options', i, {}) as IDataObject).useUnverifiedConsent === true;
			const read = (field: string) => consentAt(json, field, useUnverified);
			const reads = channelsParam(this, i).map((c) => ({ channel: c, ...(fields[c] !== '' ? read(fields[c]) : { consent: false, unverifiedOnly: false }) }));
			let consented = reads.filter((r) => r.consent).map((r) => r.channel);
			// SMS consent with a phone that could not be normalized: subscribe the other consented
			// channels and say why SMS was left out; the row fails only when nothing is left.
			if (consented.includes('sms') && consented.length > 1 && !(contact.phone_number && isE164(contact.phone_number))) {
				consented = consented.filter((c) => c !== 'sms');
				notes.warn(i, [{ field: 'phone_number', reason: 'SMS consent is given but the item has no phone number Klaviyo can take (E.164); SMS was not subscribed' }]);
			}
			if (!consented.length) {
				const held = reads.filter((r) => r.unverifiedOnly).map((r) => r.channel);
				outcomes[i] = {
					kind: 'skipped',
					reason: held.length
						? `Consent for ${held.join(' and ')} marketing comes only from an unauthenticated delivery (unverified); not subscribed. Turn on the option Use Unverified Consent to allow it.`
						: `No explicit consent in the item for ${channelsParam(this, i).join(' or ')} marketing (${channelsParam(this, i).map((c) => fields[c] || '(no field)').join(', ')}); not subscribed`,
				};
				continue;
			}
			if (consented.includes('email') && !contact.email) throw fieldError(this, i, 'email', 'Email consent is given but the item has no email', 'Set Email, or send items with customer.email');
			if (consented.includes('sms')) {
				if (!contact.phone_number) {
					const note = contact.warnings.find((w) => w.field === 'phone_number');
					throw fieldError(this, i, 'phoneNumber', 'SMS consent is given but the item has no phone number', note ? note.reason : 'Set Phone Number, or send items with customer.phone');
				}
				if (!isE164(contact.phone_number)) throw fieldError(this, i, 'phoneNumber', 'Phone Number is not in E.164 format', 'Klaviyo needs E.164, e.g. +15005550006');
			}
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			let consentedAt: string | undefined;
			const atField = asText(options.consentedAtField);
			if (atField) {
				const raw = asText(readPath(json, atField));
				const ms = raw ? Date.parse(raw) : NaN;
				if (Number.isNaN(ms)) throw fieldError(this, i, 'options.consentedAtField', 'The consent time in the item is missing or not a date', `Put an ISO 8601 time at "${atField}", or clear Consented At Field`);
				consentedAt = new Date(ms).toISOString();
			}
			const listId = asText(this.getNodeParameter('listId', i, '', { extractValue: true })) ?? '';
			const customSource = asText(options.customSource) ?? 'PeekPro AI (n8n)';
			const shadow = (this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(json);
			entries.push({
				index: i,
				shadow,
				spec: { email: contact.email, phone_number: consented.includes('sms') ? contact.phone_number : undefined, channels: consented, consentedAt },
				groupKey: JSON.stringify([listId, customSource, consentedAt !== undefined]),
			});
		} catch (error) {
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}
	await sendConsentJobs(this, entries, outcomes, {
		path: '/api/profile-subscription-bulk-create-jobs',
		max: LIMITS.subscribePerRequest,
		// Not retried after delivery: with double opt-in a repeat could send a second confirmation.
		idempotent: false,
		body: (specs, groupKey) => {
			const [listId, customSource, historical] = JSON.parse(groupKey) as [string, string, boolean];
			return subscribeBody(specs, { listId: listId || undefined, customSource, historicalImport: historical });
		},
		result: (spec) => ({ subscribed: spec.channels }),
	});
	return outcomes;
}

/**
 * Whether the item gives explicit consent at `field`, and whether consent was found only where it is
 * unverified: under `unverified` (delivery-only fields the trigger kept apart), or anywhere in a
 * booking that came straight from a delivery with no fetch and no HMAC (`verification.bookingFrom`
 * "delivery" without `deliveryTrusted`). Unverified consent counts only when the operator opts in.
 */
function consentAt(json: IDataObject, field: string, useUnverified: boolean): { consent: boolean; unverifiedOnly: boolean } {
	const inUnverified = field === 'unverified' || field.startsWith('unverified.');
	const value = readPath(json, field);
	const verification = (json.verification ?? bookingOf(json)?.verification) as IDataObject | undefined;
	const fromDelivery = !!verification && typeof verification === 'object' && verification.bookingFrom === 'delivery' && verification.deliveryTrusted !== true;
	if (isExplicitConsent(value)) {
		if (!inUnverified && !fromDelivery) return { consent: true, unverifiedOnly: false };
		return { consent: useUnverified, unverifiedOnly: !useUnverified };
	}
	if (inUnverified) return { consent: false, unverifiedOnly: false };
	const apart = readPath(json, `unverified.${field}`);
	if (isExplicitConsent(apart)) return { consent: useUnverified, unverifiedOnly: !useUnverified };
	return { consent: false, unverifiedOnly: false };
}
