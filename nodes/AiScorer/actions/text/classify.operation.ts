import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { scoreItem } from '../../helpers/output';
import { VERSION_1, VERSION_1_1_ON } from '../../../shared/panel';
import { chatJson, llmModelProperty, llmProperties, llmSettings, type LlmUsage } from '../../llm/client';
import { classifyByRules, LABELS, type ClassifyTask } from '../../llm/rules';
import { backendProperty, promptPseudonymizer, textOptionsProperty } from './common';

const show = { resource: ['text'], operation: ['classify'] };

/** Classification, Labels and Text: the same in both layouts. */
const fields: INodeProperties[] = [
	{
		displayName: 'Classification',
		name: 'classification',
		type: 'options',
		default: 'reviewSentiment',
		options: [
			{ name: 'Abandonment Reason', value: 'abandonmentReason', description: LABELS.abandonmentReason.join(', ') },
			{ name: 'Custom Labels', value: 'custom' },
			{ name: 'Referral Source', value: 'referralSource', description: LABELS.referralSource.join(', ') },
			{ name: 'Review Sentiment', value: 'reviewSentiment', description: LABELS.reviewSentiment.join(', ') },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Labels',
		name: 'labels',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. complaint, question, praise, other',
		description: 'Comma-separated label set; the result is always one of these',
		displayOptions: { show: { ...show, classification: ['custom'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 3 },
		placeholder: 'e.g. {{ $json.reviewText }}',
		description: 'The text to classify',
		displayOptions: { show },
	},
];

/** Version 1: the fields, then Backend, Model, "LLM Options" and Options. Kept for its workflows. */
const version1: INodeProperties[] = [...fields, backendProperty(show), ...llmProperties(show), textOptionsProperty(show)];

/** 1.1: Backend first (it decides whether anything leaves the machine), one Options last. */
const current: INodeProperties[] = [backendProperty(show), llmModelProperty(show), ...fields, textOptionsProperty(show, true)];

export const description = [
	...updateDisplayOptions({ show: { ...show, ...VERSION_1 } }, version1),
	...updateDisplayOptions({ show: { ...show, ...VERSION_1_1_ON } }, current),
];

const ATTRIBUTE: Record<ClassifyTask, string> = {
	referralSource: 'ai_referral_source',
	abandonmentReason: 'ai_abandonment_reason',
	reviewSentiment: 'ai_review_sentiment',
	custom: 'ai_label',
};

export async function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<INodeExecutionData> {
	const task = this.getNodeParameter('classification', itemIndex) as ClassifyTask;
	const labels =
		task === 'custom'
			? (this.getNodeParameter('labels', itemIndex, '') as string).split(',').map((l) => l.trim()).filter(Boolean)
			: LABELS[task];
	if (labels.length < 2) {
		throw new NodeOperationError(this.getNode(), 'Custom classification needs at least two labels', { description: 'List the labels separated by commas in Labels.', itemIndex });
	}
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	if (!text.trim()) {
		throw new NodeOperationError(this.getNode(), `There is no text to classify [item ${itemIndex}]`, { description: 'Set Text to the field holding the text, e.g. {{ $json.reviewText }}.', itemIndex });
	}
	const backend = this.getNodeParameter('backend', itemIndex, 'local') as string;
	let label: string;
	let confidence: number;
	let usage: LlmUsage | undefined;
	let fallback: { reason: string } | undefined;
	let decidedBy: 'llm' | 'rule' = 'rule';
	let modelName: string | undefined;
	let salt: string | undefined;
	const rule = () => classifyByRules(task, text, labels);
	if (backend === 'llm') {
		{
			// The customer's and guests' known names (from the item) are replaced in the text too.
			const { pseudonymizer: p, salt: promptSalt } = await promptPseudonymizer(this, itemIndex, item.json);
			salt = promptSalt;
			const redacted = p.redactText(text);
			const schema = z.object({ label: z.enum(labels as [string, ...string[]]), confidence: z.number().min(0).max(1) });
			const res = await chatJson(
				this,
				itemIndex,
				[
					{
						role: 'system',
						content: `You classify customer text for a tour and activity operator (${task === 'custom' ? 'custom labels' : task}). Answer with JSON {"label": one of [${labels.join(', ')}], "confidence": 0..1}. Bracketed tokens like [NAME_1a2b3c4d] stand for redacted personal data.`,
					},
					{ role: 'user', content: redacted },
				],
				'classification',
				{ type: 'object', additionalProperties: false, required: ['label', 'confidence'], properties: { label: { type: 'string', enum: labels }, confidence: { type: 'number' } } },
				schema,
				llmSettings(this, itemIndex, 0),
			);
			if (res.ok) {
				label = res.data.label;
				confidence = res.data.confidence;
				usage = res.usage;
				decidedBy = 'llm';
				modelName = res.model;
			} else {
				fallback = { reason: `${res.kind}: ${res.reason}` };
				({ label, confidence } = rule());
			}
		}
	} else {
		({ label, confidence } = rule());
	}
	const attr = ATTRIBUTE[task];
	const details: IDataObject = { classification: task, label, confidence, labels };
	if (usage) details.usage = usage as unknown as IDataObject;
	return scoreItem(this, itemIndex, item.json, {
		operation: 'classify',
		attributes: { [attr]: label, [`${attr}_confidence`]: confidence },
		details,
		model:
			decidedBy === 'llm'
				? { id: `llm:${modelName}`, version: modelName ?? 'unknown', trained: true, kind: 'llm', algorithm: 'chat-completions' }
				: { id: `peekpro.rules.${task}`, version: '1.0.0', trained: false, kind: 'rule', algorithm: 'keyword-rules' },
		decision: `${task} = ${label}`,
		fallback,
		salt,
	});
}
