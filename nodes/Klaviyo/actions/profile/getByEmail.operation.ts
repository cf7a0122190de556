import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { identifiersOf } from '../../helpers/item';
import { lookupProfilesByEmail } from '../../helpers/lookup';
import { errorForItem, fieldError, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { baseUrlOf } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. ana@example.com',
		default: '',
		description: "Email to look up. Leave empty to use the item's customer.email (or email).",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['profile'], operation: ['getByEmail'] } }, properties);

/** Looks profiles up 100 emails per request. Not found is an answer, not a failure: `found: false`. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	const emailOf = new Map<number, string>();
	for (let i = 0; i < items.length; i++) {
		const email = identifiersOf(items[i].json ?? {}, { email: this.getNodeParameter('email', i, '') as string }).email;
		if (!email || !email.includes('@')) {
			outcomes[i] = notes.reject(i, fieldError(this, i, 'email', 'The item has no email to look up', 'Set Email, or send items with customer.email'));
		} else emailOf.set(i, email);
	}

	const firstItem = new Map<string, number>();
	for (const [i, email] of emailOf) if (!firstItem.has(email.toLowerCase())) firstItem.set(email.toLowerCase(), i);
	const lookup = await lookupProfilesByEmail(this, [...emailOf.values()], baseUrl, (e) => firstItem.get(e) ?? 0);
	for (const [i, email] of emailOf) {
		const key = email.toLowerCase();
		const request = lookup.requestOf.get(key)!;
		if (lookup.failed.has(key)) {
			outcomes[i] = { kind: 'failed', error: errorForItem(this, lookup.failed.get(key), i), request };
			continue;
		}
		const profile = lookup.found.get(key);
		outcomes[i] = { kind: 'sent', request, json: profile ? { found: true, id: profile.id, ...profile.attributes } : { found: false, email } };
	}
	return outcomes;
}
