import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { piiSalt, Pseudonymizer } from '../../../shared/pii';
import { llmOptionFields, OPENAI_CREDENTIAL } from '../../llm/client';
import { num, pick, str } from '../../../shared/fields';

export const backendProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Backend',
	name: 'backend',
	type: 'options',
	default: 'local',
	options: [
		{ name: 'Local Rules (No Network)', value: 'local', description: 'Deterministic keyword rules and templates; nothing leaves the machine' },
		{ name: 'LLM (OpenAI-Compatible)', value: 'llm', description: 'Personal data is pseudonymised before the call; falls back to local rules on failure' },
	],
	displayOptions: { show },
});

/**
 * The Options collection every Text operation shares. From version 1.1 it also holds the LLM call's
 * tuning (shown only for Backend: LLM), so one Options collection sits last instead of two stacked.
 */
export const textOptionsProperty = (show: Record<string, string[]>, withLlm = false): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show },
	options: [
		{ displayName: 'Include Input Fields', name: 'includeInput', type: 'boolean', default: true, description: 'Whether to keep the input item\'s fields in the output' },
		...(withLlm ? llmOptionFields.map((o) => ({ ...o, displayOptions: { show: { '/backend': ['llm'] } } })) : []),
	],
});

/**
 * The pseudonymizer for one item's prompt. Its salt comes from the OpenAI-compatible credential's
 * secret (`piiSalt`), so tokens are stable for one installation and cannot be recomputed from a
 * customer list by anyone without that secret. Every person named anywhere in the item (customer,
 * guests, guardians, signers, under any `*Name` key or a person's `name`) is registered first, so
 * those names are replaced wherever they appear, notes and reviews included.
 */
export async function promptPseudonymizer(ctx: IExecuteFunctions, itemIndex: number, json: IDataObject): Promise<{ pseudonymizer: Pseudonymizer; salt: string }> {
	const salt = await piiSalt(ctx, OPENAI_CREDENTIAL, itemIndex);
	const pseudonymizer = new Pseudonymizer(salt);
	pseudonymizer.registerPeople(json);
	return { pseudonymizer, salt };
}

/**
 * The allow-list of what a generation prompt may contain: each fact is read from these paths
 * only, and nothing else of the item reaches the LLM. Free text among them (notes) is
 * pseudonymized like the rest before it is sent.
 */
/**
 * `person`: a name, tokenized whole. `text`: free text, every detector. `catalogue`: the operator's
 * own values (activity names, segments), where the name-list detector would take "Ridge Hike" for a
 * person; registered names, emails and phones are still replaced there.
 */
export type PromptFactKind = 'person' | 'text' | 'catalogue' | 'number';

export const PROMPT_FACTS: Record<string, { paths: string[]; kind: PromptFactKind }> = {
	firstName: { paths: ['customer.firstName', 'firstName', 'first_name', 'booking.customer.firstName'], kind: 'person' },
	activity: { paths: ['activity.name', 'activityName', 'activity_name', 'product.name', 'booking.activity.name'], kind: 'catalogue' },
	activityType: { paths: ['activity.type', 'activityType'], kind: 'catalogue' },
	startsAt: { paths: ['startsAt', 'booking_date', 'booking.startsAt'], kind: 'catalogue' },
	partySize: { paths: ['partySize', 'party_size', 'booking.partySize'], kind: 'number' },
	segment: { paths: ['ai_segment'], kind: 'catalogue' },
	nextBestActivity: { paths: ['ai_next_best_activity'], kind: 'catalogue' },
	recoveryIncentive: { paths: ['ai_recovery_incentive'], kind: 'catalogue' },
	recoveryDiscountPercent: { paths: ['ai_recovery_discount_percent'], kind: 'number' },
	valueTier: { paths: ['ai_value_tier'], kind: 'catalogue' },
	// What a template prepared for the copy (welcome-back: previous activity and guide, offer).
	context: { paths: ['contentContext'], kind: 'text' },
	// The operator's booking notes: often name other guests, so they are pseudonymized like the rest.
	notes: { paths: ['notes', 'booking.notes'], kind: 'text' },
};

/** The allowed facts, pseudonymized by kind: what the prompt may contain. */
export function pseudonymizedFacts(facts: IDataObject, p: Pseudonymizer): IDataObject {
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(facts)) {
		const kind = PROMPT_FACTS[name]?.kind ?? 'text';
		if (typeof value !== 'string') out[name] = value;
		else if (kind === 'person') out[name] = p.redactValue({ [name]: value })[name];
		else out[name] = p.redactText(value, { freeTextNames: kind !== 'catalogue' });
	}
	return out;
}

/** The allowed facts of an item (unset ones left out), before pseudonymization. */
export function promptFacts(json: IDataObject): IDataObject {
	const f: IDataObject = {};
	for (const [name, spec] of Object.entries(PROMPT_FACTS)) {
		const raw = pick(json, spec.paths);
		const value = spec.kind === 'number' ? num(raw) || undefined : str(raw);
		if (value !== undefined) f[name] = value;
	}
	return f;
}
