import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { hashInput } from '../../../shared/audit';
import { errorItem } from '../../../shared/errors';
import { scoreItem } from '../../helpers/output';
import { pick, str } from '../../../shared/fields';
import { segmentCustomers, segmentFeatures } from '../../models/segments';

const show = { resource: ['score'], operation: ['segment'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Number of Segments',
		name: 'numberOfSegments',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 1, maxValue: 12 },
		description: 'How many segments to form across all input customers (fewer if there are fewer customers)',
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
				displayName: 'Include Input Fields',
				name: 'includeInput',
				type: 'boolean',
				default: true,
				description: 'Whether to keep the input item\'s fields in the output next to the segment',
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				default: 7,
				description: 'Seed of the k-means++ initialisation; the same seed and customers give the same segments',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

/** Runs once over all items: segments only mean something relative to the other customers. */
export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const rows: number[][] = [];
	const keys: string[] = [];
	const indices: number[] = [];
	const out: INodeExecutionData[] = new Array(items.length);
	items.forEach((item, i) => {
		const row = segmentFeatures(item.json);
		if (!row) {
			const message = `The item has no booking history to segment on [item ${i}]`;
			const description = 'Expected bookings (an array with total, partySize, startsAt, activity) or totalSpent, bookingCount and averagePartySize.';
			const error = new NodeOperationError(this.getNode(), message, { description, itemIndex: i });
			if (!this.continueOnFail()) throw error;
			out[i] = errorItem(i, item.json, error);
			return;
		}
		rows.push(row);
		const email = str(pick(item.json, ['email', 'customer.email', 'customer_email']));
		const id = str(pick(item.json, ['customerId', 'customer_id', 'customer.id', 'id']));
		// Only orders the rows so the result does not depend on input order; never output, so a plain hash.
		keys.push(email ? `email:${hashInput(email.trim().toLowerCase())}` : id ? `id:${id}` : `row:${hashInput(row)}`);
		indices.push(i);
	});
	if (rows.length) {
		const k = this.getNodeParameter('numberOfSegments', 0, 5) as number;
		const seed = this.getNodeParameter('options.seed', 0, 7) as number;
		const res = segmentCustomers(rows, keys, k, seed);
		indices.forEach((i, pos) => {
			const seg = res.segments[res.assignment[pos]];
			out[i] = scoreItem(this, i, items[i].json, {
				operation: 'segment',
				attributes: { ai_segment: seg.name, ai_segment_id: seg.id, ai_segment_traits: seg.traits.join(', ') },
				details: { segment: seg as unknown as IDataObject, segmentCount: res.segments.length, reasons: seg.traits, reasonText: seg.traits.join(', ') },
				model: { id: 'peekpro.segments', version: '1.0.0', trained: false, kind: 'model', algorithm: 'k-means++' },
				decision: `segment ${seg.id}`,
			});
		});
	}
	return out;
}
