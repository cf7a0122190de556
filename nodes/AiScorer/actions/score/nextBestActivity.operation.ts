import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { round, scoreItem } from '../../helpers/output';
import { pick, str } from '../../../shared/fields';
import { recommend, toBaskets, toCatalogueEntry, type CatalogueEntry } from '../../models/similarity';

const show = { resource: ['score'], operation: ['nextBestActivity'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Catalogue',
		name: 'catalogue',
		type: 'json',
		default: '[]',
		required: true,
		description: 'Activities and add-ons to choose from: an array of {ID, name, type, location, tags, price}',
		hint: 'Usually the products of a Peek Pro node (Product → Get Many), e.g. {{ $(\'Activity catalogue\').all().map(i => i.json) }}',
		displayOptions: { show },
	},
	{
		displayName: 'Co-Booking History',
		name: 'coBookingHistory',
		type: 'json',
		default: '[]',
		description: 'Past bookings for "booked together" counts: arrays of activity IDs per customer, or rows of {customerKey, activityId}',
		hint: 'Optional; [] recommends by similarity alone. One array of activity IDs per past customer, e.g. [["kayak", "sunset-paddle"], ["kayak", "hike"]].',
		displayOptions: { show },
	},
	{
		displayName: 'Number of Recommendations',
		name: 'topK',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 1, maxValue: 20 },
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Content Weight',
				name: 'contentWeight',
				type: 'number',
				default: 0.6,
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				description: 'Share of the score from content similarity; the rest comes from co-booking counts',
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInput',
				type: 'boolean',
				default: true,
				description: 'Whether to keep the input item\'s fields in the output next to the recommendations',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

function jsonParam(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, '[]') as unknown;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value || '[]');
	} catch {
		throw new NodeOperationError(ctx.getNode(), `${name === 'catalogue' ? 'Catalogue' : 'Co-Booking History'} is not valid JSON`, {
			description: 'Enter a JSON array, or an expression that returns one.',
			itemIndex,
		});
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<INodeExecutionData> {
	const rawCatalogue = jsonParam(this, 'catalogue', itemIndex);
	const catalogue = (Array.isArray(rawCatalogue) ? rawCatalogue : []).map((e) => toCatalogueEntry(e as IDataObject)).filter((e): e is CatalogueEntry => !!e);
	if (!catalogue.length) {
		throw new NodeOperationError(this.getNode(), 'The catalogue is empty', { description: 'Set Catalogue to an array of activities with at least an ID each.', itemIndex });
	}
	const json = item.json;
	const activity = pick(json, ['activity', 'booking.activity', 'product']);
	const anchorId = str(pick(json, ['activity.id', 'activityId', 'activity_id', 'booking.activity.id', 'product.id', 'productId']));
	const anchor = catalogue.find((c) => c.id === anchorId) ?? (activity && typeof activity === 'object' ? toCatalogueEntry(activity as IDataObject) : undefined);
	if (!anchor) {
		throw new NodeOperationError(this.getNode(), `The item has no booked activity [item ${itemIndex}]`, {
			description: 'Expected activity.id (or activityId) matching a catalogue entry, or an activity object with type and tags.',
			itemIndex,
		});
	}
	const booked = pick(json, ['bookedActivityIds', 'customerHistory.activityIds', 'history.activityIds']);
	const exclude = new Set<string>(Array.isArray(booked) ? booked.map(String) : []);
	const topK = this.getNodeParameter('topK', itemIndex, 3) as number;
	const weight = this.getNodeParameter('options.contentWeight', itemIndex, 0.6) as number;
	const recs = recommend(anchor, catalogue, toBaskets(jsonParam(this, 'coBookingHistory', itemIndex)), exclude, topK, weight);
	const best = recs[0];
	return scoreItem(this, itemIndex, json, {
		operation: 'nextBestActivity',
		attributes: {
			ai_next_best_activity: best?.name ?? null,
			ai_next_best_activity_id: best?.id ?? null,
			ai_next_best_activity_reason: best?.reason ?? null,
			ai_next_best_activities: recs.map((r) => r.name).join(', '),
		},
		details: { bookedActivityId: anchor.id, recommendations: recs as unknown as IDataObject[], topScore: best ? round(best.score) : null },
		model: { id: 'peekpro.next_best_activity', version: '1.0.0', trained: false, kind: 'rule', algorithm: 'content-similarity+co-booking' },
		decision: best ? `recommend ${best.id}` : 'no recommendation',
	});
}
