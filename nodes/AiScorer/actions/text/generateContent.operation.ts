import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { scoreItem } from '../../helpers/output';
import { pick } from '../../../shared/fields';
import { VERSION_1, VERSION_1_1_ON } from '../../../shared/panel';
import { chatJson, llmModelProperty, llmProperties, llmSettings, type LlmUsage } from '../../llm/client';
import { applyGuardrails, type ContentVariant } from '../../llm/guardrails';
import { backendProperty, promptFacts, promptPseudonymizer, pseudonymizedFacts, textOptionsProperty } from './common';

const show = { resource: ['text'], operation: ['generateContent'] };

const FLOWS: Record<string, { name: string; goal: string }> = {
	upsell: { name: 'Post-Booking Upsell', goal: 'suggest a complementary add-on or tour to a customer who just booked' },
	abandonedCart: { name: 'Abandoned Cart Recovery', goal: 'bring back a customer who left an activity in the cart' },
	repeatBooking: { name: 'Repeat Booking Nurture', goal: 'invite a happy past customer to book another experience' },
	winBack: { name: 'Win-Back', goal: 're-engage a customer who has not booked for a long time' },
	postTrip: { name: 'Post-Trip Thank You', goal: 'thank the customer after the tour and ask for a review' },
	nextBestAction: { name: 'Next Best Action', goal: 'recommend the next best activity for this customer' },
	custom: { name: 'Custom Flow', goal: 'follow the flow description' },
};

/** What to write: the same in both layouts. */
const contentFields: INodeProperties[] = [
	{
		displayName: 'Flow',
		name: 'flow',
		type: 'options',
		default: 'upsell',
		options: Object.entries(FLOWS).map(([value, f]) => ({ name: f.name, value, description: f.goal })),
		displayOptions: { show },
	},
	{
		displayName: 'Flow Description',
		name: 'flowDescription',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'e.g. Invite last summer\'s kayakers to the new sunset paddle',
		description: 'What the message should achieve (required for Custom Flow, extra guidance otherwise)',
		displayOptions: { show },
	},
	{
		displayName: 'Brand Voice',
		name: 'brandVoice',
		type: 'string',
		default: 'Warm, outdoorsy and concise. Plain words, no hype, no exclamation marks in subject lines.',
		typeOptions: { rows: 2 },
		displayOptions: { show },
	},
	{ displayName: 'Variants', name: 'variants', type: 'number', default: 3, typeOptions: { minValue: 1, maxValue: 5 }, displayOptions: { show } },
];

/** Version 1's guardrails, six top-level fields. */
const guardrailFields: INodeProperties[] = [
	{ displayName: 'Subject Max Length', name: 'subjectMaxLength', type: 'number', default: 60, typeOptions: { minValue: 10 }, displayOptions: { show } },
	{ displayName: 'Body Max Length', name: 'bodyMaxLength', type: 'number', default: 600, typeOptions: { minValue: 50 }, displayOptions: { show } },
	{
		displayName: 'Max Discount (%)',
		name: 'maxDiscountPercent',
		type: 'number',
		default: 15,
		typeOptions: { minValue: 0, maxValue: 100 },
		description: 'Any percentage in the copy above this is lowered to it',
		displayOptions: { show },
	},
	{
		displayName: 'Banned Claims',
		name: 'bannedClaims',
		type: 'string',
		default: 'guaranteed, best in the world, risk-free, 100% safe, once in a lifetime',
		description: 'Comma-separated phrases; a sentence containing one is removed',
		displayOptions: { show },
	},
	{
		displayName: 'High-Value Segments',
		name: 'highValueSegments',
		type: 'string',
		default: 'Solo Luxury Travelers, Loyal Regulars, High-Value Groups, VIP',
		description: 'Comma-separated segments whose messages always need review (matched against ai_segment)',
		displayOptions: { show },
	},
];

/** Version 1: Backend twelfth, guardrails at top level, "LLM Options" and Options stacked. Kept for its workflows. */
const version1: INodeProperties[] = [...contentFields, ...guardrailFields, backendProperty(show), ...llmProperties(show), textOptionsProperty(show)];

/**
 * 1.1: Backend first (local rules or an LLM decides whether anything leaves the machine, and brings
 * the credential with it), the content, the guardrails in one collection, one Options last. The
 * guardrails are on with their defaults when the collection is empty (GUARDRAIL_DEFAULTS).
 */
const current: INodeProperties[] = [
	backendProperty(show),
	llmModelProperty(show),
	...contentFields,
	{
		// Collections show no hint in n8n 2.41's panel: the label says the defaults apply.
		displayName: 'Guardrails (On by Default)',
		name: 'guardrails',
		type: 'collection',
		placeholder: 'Change a guardrail',
		default: {},
		displayOptions: { show },
		hint: 'On by default: subject up to 60 and body up to 600 characters, discounts capped at 15%, risky claims removed, VIP segments sent for review',
		// Alphabetical, as n8n lists a collection's choices.
		options: guardrailFields
			.map((field) => ({ ...field, displayOptions: undefined }))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
	textOptionsProperty(show, true),
];

export const description = [
	...updateDisplayOptions({ show: { ...show, ...VERSION_1 } }, version1),
	...updateDisplayOptions({ show: { ...show, ...VERSION_1_1_ON } }, current),
];

/** The guardrails when nothing is set (the Guardrails collection starts empty). */
const GUARDRAIL_DEFAULTS = Object.fromEntries(guardrailFields.map((f) => [f.name, f.default])) as Record<string, string | number>;

/** A guardrail: 1.1's collection, else version 1's top-level field, else its default. */
function guardrail<T extends string | number>(ctx: IExecuteFunctions, itemIndex: number, name: string): T {
	return ctx.getNodeParameter(`guardrails.${name}`, itemIndex, ctx.getNodeParameter(name, itemIndex, GUARDRAIL_DEFAULTS[name])) as T;
}

const VariantsSchema = z.object({
	variants: z.array(z.object({ subject: z.string().min(1), preheader: z.string().default(''), body: z.string().min(1) })).min(1),
});

const VARIANTS_JSON_SCHEMA = {
	type: 'object',
	additionalProperties: false,
	required: ['variants'],
	properties: {
		variants: {
			type: 'array',
			items: {
				type: 'object',
				additionalProperties: false,
				required: ['subject', 'preheader', 'body'],
				properties: { subject: { type: 'string' }, preheader: { type: 'string' }, body: { type: 'string' } },
			},
		},
	},
};

function templateVariants(flow: string, f: IDataObject, count: number): ContentVariant[] {
	const name = f.firstName ? `${f.firstName}, ` : '';
	const activity = (f.activity as string) ?? 'your adventure';
	const next = (f.nextBestActivity as string) ?? 'another of our tours';
	const pct = f.recoveryDiscountPercent as number | undefined;
	const offer = pct ? ` Use code COMEBACK${pct} for ${pct}% off.` : '';
	const base: Record<string, ContentVariant[]> = {
		upsell: [
			{ subject: `${name}make ${activity} even better`, preheader: `Add ${next} to your trip`, body: `Thanks for booking ${activity}. Guests who loved it often add ${next}. Spots are limited, so reserve yours early.` },
			{ subject: `Pair ${activity} with ${next}`, preheader: 'A perfect match for your day', body: `You're all set for ${activity}. Make a day of it with ${next}.` },
		],
		abandonedCart: [
			{ subject: `${name}your ${activity} spot is waiting`, preheader: 'Finish your booking in a minute', body: `You left ${activity} in your cart. Spots fill up fast, so finish your booking while dates are open.${offer}` },
			{ subject: `Still thinking about ${activity}?`, preheader: 'Your cart is saved', body: `We saved your cart for ${activity}. Questions? Just reply to this email.${offer}` },
		],
		repeatBooking: [
			{ subject: `${name}ready for your next adventure?`, preheader: `We think you'll love ${next}`, body: `Thanks for joining us for ${activity}. Next time, try ${next}.` },
		],
		winBack: [
			{ subject: `${name}we've missed you`, preheader: 'New tours this season', body: `It's been a while since ${activity}. Here's what's new, including ${next}.${offer}` },
		],
		postTrip: [
			{ subject: `${name}thanks for joining ${activity}`, preheader: 'Tell us how it went', body: `We hope you enjoyed ${activity}. A short review helps other travellers find us.` },
		],
	};
	const list = base[flow] ?? [{ subject: `${name}a note about ${activity}`, preheader: '', body: `Thanks for being part of ${activity}. We'd love to see you again for ${next}.` }];
	return Array.from({ length: count }, (_, i) => ({ ...list[i % list.length] }));
}

export async function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<INodeExecutionData> {
	const flow = this.getNodeParameter('flow', itemIndex, 'upsell') as string;
	const count = this.getNodeParameter('variants', itemIndex, 3) as number;
	const guard = {
		subjectMaxLength: guardrail<number>(this, itemIndex, 'subjectMaxLength'),
		bodyMaxLength: guardrail<number>(this, itemIndex, 'bodyMaxLength'),
		maxDiscountPercent: guardrail<number>(this, itemIndex, 'maxDiscountPercent'),
		bannedClaims: String(guardrail<string>(this, itemIndex, 'bannedClaims')).split(',').map((c) => c.trim()).filter(Boolean),
	};
	const highValue = String(guardrail<string>(this, itemIndex, 'highValueSegments')).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
	const f = promptFacts(item.json);
	const backend = this.getNodeParameter('backend', itemIndex, 'local') as string;
	let variants: ContentVariant[];
	let usage: LlmUsage | undefined;
	let fallback: { reason: string } | undefined;
	let modelName: string | undefined;
	let salt: string | undefined;
	if (backend === 'llm') {
		const { pseudonymizer: p, salt: promptSalt } = await promptPseudonymizer(this, itemIndex, item.json);
		salt = promptSalt;
		const redacted = pseudonymizedFacts(f, p);
		const goal = FLOWS[flow]?.goal ?? FLOWS.custom.goal;
		const extra = this.getNodeParameter('flowDescription', itemIndex, '') as string;
		const voice = this.getNodeParameter('brandVoice', itemIndex, '') as string;
		const system = [
			'You write marketing emails for a tour and activity operator.',
			`Goal: ${goal}.${extra ? ` ${p.redactText(extra)}` : ''}`,
			`Brand voice: ${p.redactText(voice)}`,
			`Write ${count} distinct variants. Subject at most ${guard.subjectMaxLength} characters, body at most ${guard.bodyMaxLength} characters.`,
			`Never offer more than ${guard.maxDiscountPercent}% off. Never claim: ${guard.bannedClaims.join('; ') || 'nothing banned'}.`,
			'Bracketed tokens like [NAME_1a2b3c4d] stand for personal data: copy them exactly where needed, never invent new ones.',
			'Answer with JSON: {"variants": [{"subject": "...", "preheader": "...", "body": "..."}]}.',
		].join('\n');
		{
			const res = await chatJson(
				this,
				itemIndex,
				[
					{ role: 'system', content: system },
					{ role: 'user', content: `Facts:\n${JSON.stringify(redacted)}` },
				],
				'email_variants',
				VARIANTS_JSON_SCHEMA,
				VariantsSchema,
				llmSettings(this, itemIndex, 0.7),
			);
			if (res.ok) {
				// Only names go back into the copy (to greet the customer); an email, phone, card or
				// address token the model copied stays a token and the guardrails remove it.
				variants = p.restoreValue(res.data.variants.slice(0, count).map((v) => ({ subject: v.subject, preheader: v.preheader ?? '', body: v.body })), ['NAME']);
				usage = res.usage;
				modelName = res.model;
			} else {
				fallback = { reason: `${res.kind}: ${res.reason}` };
				variants = templateVariants(flow, f, count);
			}
		}
	} else {
		variants = templateVariants(flow, f, count);
	}
	const checked = applyGuardrails(variants, guard);
	const segment = String(pick(item.json, ['ai_segment']) ?? '').toLowerCase();
	const highValueCustomer = (segment && highValue.includes(segment)) || pick(item.json, ['ai_value_tier']) === 'high';
	const needsReview = checked.events.length > 0 || !!highValueCustomer;
	const first = checked.variants[0];
	const details: IDataObject = {
		flow,
		variants: checked.variants as unknown as IDataObject[],
		guardrails: checked.events as unknown as IDataObject[],
		needs_review: needsReview,
		reviewReasons: [...(highValueCustomer ? ['high-value customer'] : []), ...checked.events.map((e) => `${e.rule}: ${e.detail}`)],
	};
	if (usage) details.usage = usage as unknown as IDataObject;
	return scoreItem(this, itemIndex, item.json, {
		operation: 'generateContent',
		attributes: { ai_subject_line: first.subject, ai_preheader: first.preheader, ai_body: first.body, ai_needs_review: needsReview, needs_review: needsReview },
		details,
		model: modelName
			? { id: `llm:${modelName}`, version: modelName, trained: true, kind: 'llm', algorithm: 'chat-completions' }
			: { id: `peekpro.templates.${flow}`, version: '1.0.0', trained: false, kind: 'rule', algorithm: 'templates' },
		decision: `content for ${flow}${needsReview ? ' (needs review)' : ''}`,
		fallback,
		salt,
	});
}
