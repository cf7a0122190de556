import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { loadModel } from '../../helpers/modelSource';
import type { ModelInfo } from '../../helpers/output';
import { time } from '../../../shared/fields';
import type { SatisfactionScale, TaskId } from '../../models/features';
import { encodeItem } from '../../models/itemTraining';
import { featureSpecs, probability, reasons, reasonSentence, type Reason, type ScoringModel } from '../../models/model';
import { normalizeShopifyOrder } from '../../../shared/model/order';

export const scoreOptions = (operations: string[], extra: INodeProperties[] = []): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['score'], operation: operations } },
	options: [
		{
			displayName: 'As Of',
			name: 'asOf',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2026-05-01T00:00:00Z',
			description: 'Reference time for recency and lead-time features (ISO-8601). Empty means now.',
		},
		{
			displayName: 'Input',
			name: 'input',
			type: 'options',
			default: 'booking',
			options: [
				{ name: 'Booking', value: 'booking', description: 'A canonical booking (Peek Pro nodes) or a flat item with the fields MODELS.md lists' },
				{
					name: 'Shopify Order or Checkout',
					value: 'shopifyOrder',
					description: 'A Shopify order/checkout as the Shopify Trigger or a Webhook node delivers it; normalized first (line items as list or object, money as "$298.71")',
				},
			],
			description: 'What the items are. The normalized item is what the output keeps and later nodes read.',
		},
		{
			displayName: 'Include Input Fields',
			name: 'includeInput',
			type: 'boolean',
			default: true,
			description: 'Whether to keep the input item\'s fields in the output next to the scores',
		},
		{
			displayName: 'Number of Reasons',
			name: 'topReasons',
			type: 'number',
			default: 3,
			typeOptions: { minValue: 0, maxValue: 10 },
			description: 'How many of the strongest feature contributions to explain',
		},
		...extra,
	],
});

/**
 * The survey scale, chosen explicitly (stars by default: the scale review sites use). A score
 * outside the chosen range is ignored rather than re-read on another scale.
 */
export function satisfactionScaleProperty(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Satisfaction Scale',
		name: 'satisfactionScale',
		type: 'options',
		default: 'stars',
		options: [
			{ name: 'Stars (1–5)', value: 'stars', description: '3 is neutral, 5 the best' },
			{ name: 'NPS (0–10)', value: 'nps', description: '9–10 promoters, 7–8 passives, 0–6 detractors' },
			{ name: 'Percent (0–100)', value: 'percent', description: 'CSAT-style percentage; 70 is neutral' },
		],
		description: 'The scale of survey scores in the items (surveyScore, rating, nps, csat). Scores outside it are ignored; review text is used instead.',
		displayOptions: { show },
	};
}

export function satisfactionScaleOf(ctx: IExecuteFunctions, itemIndex: number): SatisfactionScale {
	return ctx.getNodeParameter('satisfactionScale', itemIndex, 'stars') as SatisfactionScale;
}

/**
 * The item as the scorers read it: Shopify orders are normalized here (nodes/shared/model/order.ts),
 * inside the pack, so amounts go through the pack's one number parser and not a copy in a Code node.
 */
export function scoringInput(ctx: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): INodeExecutionData {
	if (ctx.getNodeParameter('options.input', itemIndex, 'booking') !== 'shopifyOrder') return item;
	return { ...item, json: normalizeShopifyOrder(item.json ?? {}) };
}

export function asOf(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = ctx.getNodeParameter('options.asOf', itemIndex, '') as string;
	if (!value) return Date.now();
	const t = time(value);
	if (Number.isNaN(t)) {
		throw new NodeOperationError(ctx.getNode(), `"As Of" is not a date: ${value}`, {
			description: 'Use an ISO-8601 date-time such as 2026-05-01T00:00:00Z, or leave it empty for now.',
			itemIndex,
		});
	}
	return t;
}

export function modelInfo(model: ScoringModel): ModelInfo {
	return { id: model.id, version: model.version, trained: model.trained, kind: 'model', algorithm: model.algorithm, note: model.trained ? undefined : model.note };
}

export interface TabularScore {
	model: ScoringModel;
	probability: number;
	reasons: Reason[];
	sentence: string;
	features: IDataObject;
	x: Float64Array;
}

/** The minimum a task needs before a score means anything; otherwise the item goes to the error output. */
const REQUIRED: Record<TaskId, { anyOf: number[]; hint: string }> = {
	noShow: { anyOf: [0, 1, 2, 4], hint: 'a booking with startsAt and purchasedAt (or leadTimeDays), partySize or total' },
	cartAbandonment: { anyOf: [0, 2, 5, 6], hint: 'a cart with total (cart value), startsAt or checkoutStep' },
	rebook: { anyOf: [0, 1], hint: 'bookings (an array with purchasedAt and total) or bookingCount and lastBookingAt' },
};

export async function scoreTabular(ctx: IExecuteFunctions, itemIndex: number, task: TaskId, json: IDataObject): Promise<TabularScore> {
	const model = await loadModel(ctx, itemIndex, task, json);
	// A model trained on the operator's fields encodes with its own stored schema; the others with
	// the task's built-in extractor.
	const x = encodeItem(model, task, json, asOf(ctx, itemIndex), { satisfactionScale: satisfactionScaleOf(ctx, itemIndex) });
	const spec = { features: featureSpecs(model, task) };
	const req = model.schema ? undefined : REQUIRED[task];
	const nothing = req ? req.anyOf.every((f) => Number.isNaN(x[f])) : x.every((v) => Number.isNaN(v));
	if (nothing) {
		throw new NodeOperationError(ctx.getNode(), `The item has nothing to score for ${task} [item ${itemIndex}]`, {
			description: req
				? `Expected ${req.hint}. See MODELS.md in the package for every accepted field name.`
				: `The model reads ${model.features.slice(0, 10).join(', ')}${model.features.length > 10 ? '…' : ''}; the item has none of them.`,
			itemIndex,
		});
	}
	const contrib = new Float64Array(x.length);
	const p = probability(model, x, contrib);
	const top = ctx.getNodeParameter('options.topReasons', itemIndex, 3) as number;
	const list = reasons(spec, x, contrib, top);
	const features: IDataObject = {};
	spec.features.forEach((f, k) => (features[f.name] = Number.isNaN(x[k]) ? null : Math.round(x[k] * 1e4) / 1e4));
	return { model, probability: p, reasons: list, sentence: reasonSentence(list), features, x };
}
