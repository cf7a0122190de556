import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { shadowModeProperty } from '../../../shared/governance';
import { LIMITS, unsubscribeBody, type UnsubscribeSpec } from '../../helpers/bodies';
import { asNodeError, fieldError, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { listLocator, profileIdentifierFields } from '../common.description';
import { asText, channelsParam, contactOf, isE164, itemIsShadow, sendConsentJobs, type ConsentEntry } from './consent.shared';
import { channelsField } from './subscribe.operation';

const properties: INodeProperties[] = [
	{ ...channelsField, description: 'Channels to unsubscribe from' },
	...profileIdentifierFields().slice(0, 3),
	{
		displayName: 'Profiles not in the chosen list are unsubscribed globally (Klaviyo behaviour). Leave List empty to unsubscribe globally on purpose.',
		name: 'unsubscribeNotice',
		type: 'notice',
		default: '',
	},
	listLocator(false, 'Optional list the unsubscribe applies to'),
	shadowModeProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['consent'], operation: ['unsubscribe'] } }, properties);

/** Unsubscribes, at most 100 profiles per job (Klaviyo's limit for this endpoint). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const entries: Array<ConsentEntry<UnsubscribeSpec>> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const contact = contactOf(this, items[i], i);
			notes.warn(i, contact.warnings);
			const channels = channelsParam(this, i);
			if (!channels.length) throw fieldError(this, i, 'channels', 'No channel is selected', 'Choose Email Marketing, SMS Marketing or both');
			if (channels.includes('email') && !contact.email) throw fieldError(this, i, 'email', 'The item has no email to unsubscribe', 'Set Email, or send items with customer.email');
			if (channels.includes('sms')) {
				if (!contact.phone_number) {
					const note = contact.warnings.find((w) => w.field === 'phone_number');
					throw fieldError(this, i, 'phoneNumber', 'The item has no phone number to unsubscribe', note ? note.reason : 'Set Phone Number, or send items with customer.phone');
				}
				if (!isE164(contact.phone_number)) throw fieldError(this, i, 'phoneNumber', 'Phone Number is not in E.164 format', 'Klaviyo needs E.164, e.g. +15005550006');
			}
			const listId = asText(this.getNodeParameter('listId', i, '', { extractValue: true })) ?? '';
			entries.push({
				index: i,
				shadow: (this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(items[i].json),
				spec: { email: channels.includes('email') ? contact.email : undefined, phone_number: channels.includes('sms') ? contact.phone_number : undefined, channels },
				groupKey: listId,
			});
		} catch (error) {
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}
	await sendConsentJobs(this, entries, outcomes, {
		path: '/api/profile-subscription-bulk-delete-jobs',
		max: LIMITS.unsubscribePerRequest,
		// Unsubscribing twice is the same as once.
		idempotent: true,
		body: (specs, listId) => unsubscribeBody(specs, { listId: listId || undefined }),
		result: (spec) => ({ unsubscribed: spec.channels }),
	});
	return outcomes;
}
