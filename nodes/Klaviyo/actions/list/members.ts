import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { itemIsShadow, shadowModeProperty } from '../../../shared/governance';
import { LIMITS, listMembersBody, profileImportBody } from '../../helpers/bodies';
import { asText, identifiersOf, isPlausibleEmail } from '../../helpers/item';
import { lookupProfilesByEmail } from '../../helpers/lookup';
import { asNodeError, errorForItem, fieldError, type ItemOutcome } from '../../helpers/outcome';
import type { RowNotes } from '../../helpers/rows';
import { baseUrlOf, describeRequest, klaviyoRequest, type DescribedRequest } from '../../transport';
import { listLocator } from '../common.description';

export type MembersMode = 'add' | 'remove';

export function memberFields(mode: MembersMode): INodeProperties[] {
	const fields: INodeProperties[] = [
		listLocator(true, mode === 'add' ? 'The list to add the profiles to' : 'The list to remove the profiles from'),
		{
			displayName: 'Identify Profile By',
			name: 'identifyBy',
			type: 'options',
			options: [
				{ name: 'Email', value: 'email', description: 'Look the Klaviyo profile ID up by email' },
				{ name: 'Profile ID', value: 'profileId', description: 'The item already carries the Klaviyo profile ID' },
			],
			default: 'email',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. ana@example.com',
			default: '',
			description: "Leave empty to use the item's customer.email (or email)",
			displayOptions: { show: { identifyBy: ['email'] } },
		},
		{
			displayName: 'Profile ID',
			name: 'profileId',
			type: 'string',
			required: true,
			placeholder: 'e.g. 01GDDKASAP8TKDDA2GRZDSVP4H',
			default: '',
			displayOptions: { show: { identifyBy: ['profileId'] } },
		},
	];
	if (mode === 'add') {
		fields.push({
			displayName: 'Create Missing Profiles',
			name: 'createMissingProfiles',
			type: 'boolean',
			default: false,
			description: 'Whether to create a profile (email only, no consent) when no profile has the email; otherwise the item fails',
			displayOptions: { show: { identifyBy: ['email'] } },
		});
	}
	fields.push({
		...shadowModeProperty,
		description: `${shadowModeProperty.description} Profile IDs are still looked up (read only), so the request shown is exact.`,
	});
	return fields;
}

interface Member {
	index: number;
	listId: string;
	email?: string;
	profileId?: string;
	shadow: boolean;
}

/**
 * Add or remove list members. Klaviyo takes profile ids, so emails are resolved first (100 per
 * lookup), then ids are sent 1,000 per call per list, each id once.
 */
export async function executeMembers(this: IExecuteFunctions, items: INodeExecutionData[], mode: MembersMode, notes: RowNotes): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = new Array(items.length);
	const baseUrl = await baseUrlOf(this);
	const members: Member[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const listId = asText(this.getNodeParameter('listId', i, '', { extractValue: true }));
			if (!listId) throw fieldError(this, i, 'listId', 'List is empty', 'Choose a list, or enter its ID');
			const shadow = (this.getNodeParameter('shadowMode', i, false) as boolean) || itemIsShadow(items[i].json);
			if (this.getNodeParameter('identifyBy', i, 'email') === 'profileId') {
				const profileId = asText(this.getNodeParameter('profileId', i, ''));
				if (!profileId) throw fieldError(this, i, 'profileId', 'Profile ID is empty', 'Map the Klaviyo profile ID (e.g. from Profile → Get by Email), or identify profiles by email');
				members.push({ index: i, listId, profileId, shadow });
			} else {
				const email = identifiersOf(items[i].json ?? {}, { email: this.getNodeParameter('email', i, '') as string }).email;
				if (!email) throw fieldError(this, i, 'email', 'The item has no email', 'Set Email, send items with customer.email, or identify profiles by ID');
				if (!isPlausibleEmail(email)) throw fieldError(this, i, 'email', 'The email is not a valid address', 'Correct the email in the booking (or map another field), or identify profiles by ID');
				members.push({ index: i, listId, email, shadow });
			}
		} catch (error) {
			// A bad row is left out (error item with its reason); the others are added or removed.
			outcomes[i] = notes.reject(i, asNodeError(this, error, i));
		}
	}
	const continueOnFail = this.continueOnFail();

	const byEmail = members.filter((m) => m.email);
	if (byEmail.length) {
		const firstItem = new Map<string, number>();
		for (const m of byEmail) if (!firstItem.has(m.email!.toLowerCase())) firstItem.set(m.email!.toLowerCase(), m.index);
		const lookup = await lookupProfilesByEmail(this, byEmail.map((m) => m.email!), baseUrl, (e) => firstItem.get(e) ?? 0);
		const createMissing = mode === 'add' && (this.getNodeParameter('createMissingProfiles', 0, false) as boolean);
		const created = new Map<string, string>();
		for (const m of byEmail) {
			const key = m.email!.toLowerCase();
			const request = lookup.requestOf.get(key);
			if (lookup.failed.has(key)) {
				outcomes[m.index] = { kind: 'failed', error: errorForItem(this, lookup.failed.get(key), m.index), request };
			} else if (lookup.found.has(key)) {
				m.profileId = lookup.found.get(key)!.id;
			} else if (mode === 'remove') {
				outcomes[m.index] = { kind: 'skipped', reason: 'No Klaviyo profile has this email, so it is in no list' };
			} else if (!createMissing) {
				outcomes[m.index] = notes.reject(
					m.index,
					fieldError(this, m.index, 'email', 'No Klaviyo profile has this email', 'Create the profile first (Profile → Create or Update), or turn on Create Missing Profiles'),
					request,
				);
			} else if (m.shadow) {
				const body = profileImportBody({ ids: { email: m.email } });
				outcomes[m.index] = { kind: 'shadow', request: describeRequest(baseUrl, { method: 'POST', path: '/api/profile-import', body }), json: { note: 'No profile has this email: it would be created first, then added' } };
			} else {
				const body = profileImportBody({ ids: { email: m.email } });
				const createRequest = describeRequest(baseUrl, { method: 'POST', path: '/api/profile-import', body });
				try {
					if (!created.has(key)) {
						const res = await klaviyoRequest.call(this, { method: 'POST', path: '/api/profile-import', body, rateClass: 'profiles', idempotent: true, itemIndex: m.index }, baseUrl);
						created.set(key, String((((res.body ?? {}) as IDataObject).data as IDataObject | undefined)?.id ?? ''));
					}
					m.profileId = created.get(key) || undefined;
					if (!m.profileId) throw fieldError(this, m.index, 'email', 'Klaviyo did not return a profile ID', 'Run the item again');
				} catch (error) {
					outcomes[m.index] = { kind: 'failed', error: asNodeError(this, error, m.index), request: createRequest };
				}
			}
		}
		if (!continueOnFail && notes.stoppingFailure(outcomes)) return outcomes;
	}

	const ready = members.filter((m) => m.profileId && !outcomes[m.index]);
	const method = mode === 'add' ? 'POST' : 'DELETE';
	for (const shadowPass of [true, false]) {
		const byList = new Map<string, Member[]>();
		for (const m of ready.filter((r) => r.shadow === shadowPass)) byList.set(m.listId, [...(byList.get(m.listId) ?? []), m]);
		for (const [listId, listMembers] of byList) {
			const path = `/api/lists/${encodeURIComponent(listId)}/relationships/profiles`;
			const ids = [...new Set(listMembers.map((m) => m.profileId!))];
			for (let start = 0; start < ids.length; start += LIMITS.listMembersPerRequest) {
				const batchIds = ids.slice(start, start + LIMITS.listMembersPerRequest);
				const inBatch = new Set(batchIds);
				const batchMembers = listMembers.filter((m) => inBatch.has(m.profileId!));
				const body = listMembersBody(batchIds);
				const request: DescribedRequest = describeRequest(baseUrl, { method, path, body });
				if (shadowPass) {
					batchMembers.forEach((m, n) => {
						const own = n === 0 ? request : { ...request, body: listMembersBody([m.profileId!]) };
						outcomes[m.index] = { kind: 'shadow', request: own, json: { listId, profileId: m.profileId, batch: { profiles: batchIds.length, fullBodyOnItem: batchMembers[0].index } } };
					});
					continue;
				}
				try {
					// Membership is a set: adding or removing twice is the same as once.
					await klaviyoRequest.call(this, { method, path, body, rateClass: 'listMembers', idempotent: true, itemIndex: batchMembers[0].index }, baseUrl);
					for (const m of batchMembers) {
						outcomes[m.index] = {
							kind: 'sent',
							request: { ...request, body: listMembersBody([m.profileId!]) },
							json: { listId, profileId: m.profileId, [mode === 'add' ? 'added' : 'removed']: true },
						};
					}
				} catch (error) {
					for (const m of batchMembers) outcomes[m.index] = { kind: 'failed', error: errorForItem(this, error, m.index), request: { ...request, body: listMembersBody([m.profileId!]) } };
					if (!continueOnFail) return outcomes;
				}
			}
		}
	}
	return outcomes;
}
