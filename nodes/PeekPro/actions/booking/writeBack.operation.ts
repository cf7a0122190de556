import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { upsertBlock, type BlockValue } from '../../shared/notesBlock';
import { peekRequest, seg } from '../../shared/transport';
import { keyValueOrJson, readKeyValueOrJson } from '../../../shared/panel';
import { requiredString, show, toItems, writeOrShadow } from '../common';
import { bookingId } from './fields';

/** Writes to Peek: gets the Shadow Mode switch (see actions/common.ts). */
export const writes = true;

export const description: INodeProperties[] = [
	bookingId(['writeBack']),
	// Version 1 took the values as JSON only (and shipped sample values as its default: run unedited,
	// it wrote a made-up score). Both versions now start empty; an unedited node stops with
	// "No values to write" instead of writing anything.
	...keyValueOrJson({
		name: 'values',
		label: 'Values',
		show: show('booking', 'writeBack').show,
		keyPlaceholder: 'e.g. ai.score',
		valuePlaceholder: 'e.g. {{ $json.ai_no_show_probability }}',
		hint: 'Kept in the note\'s [peekpro-ai] block; the operator\'s own text is never changed. Keys are dotted names (ai.score); in JSON, nested objects become dotted keys and null removes a key.',
	}),
	{
		displayName: 'Replace Whole Block',
		name: 'replaceBlock',
		type: 'boolean',
		default: false,
		displayOptions: show('booking', 'writeBack'),
		description: 'Whether to drop keys not given here (otherwise they are kept and these are merged over them)',
	},
];

/** `{ai: {score: 1}}` → `{"ai.score": 1}`; arrays become comma-separated text. */
export function flattenValues(input: unknown, prefix = '', out: Record<string, BlockValue | null> = {}): Record<string, BlockValue | null> {
	if (input === null && prefix) {
		out[prefix] = null;
		return out;
	}
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		if (!prefix) return out;
		if (Array.isArray(input)) out[prefix] = input.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
		else if (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean') out[prefix] = input;
		return out;
	}
	for (const [k, v] of Object.entries(input as IDataObject)) flattenValues(v, prefix ? `${prefix}.${k}` : k, out);
	return out;
}

/** The values the user gave, from fields or JSON (see Specify Values). */
function readValues(this: IExecuteFunctions, i: number): IDataObject {
	let raw = readKeyValueOrJson(this, i, 'values');
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw);
		} catch {
			throw new NodeOperationError(this.getNode(), `Values (JSON) is not valid JSON [item ${i}]`, {
				description: 'Give an object such as {"ai.score": 0.8} (parameter values).',
				itemIndex: i,
			});
		}
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw new NodeOperationError(this.getNode(), `Values (JSON) must be an object [item ${i}]`, {
			description: 'Give an object such as {"ai.score": 0.8} (parameter values).',
			itemIndex: i,
		});
	}
	return raw as IDataObject;
}

function noteOf(body: unknown): string {
	const root = (body ?? {}) as IDataObject;
	const b = ((root.booking ?? root.data ?? root) as IDataObject) ?? {};
	const note = b.notes ?? b.operatorNotes ?? b.note;
	return typeof note === 'string' ? note : '';
}

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = requiredString.call(this, 'bookingId', 'Booking ID', i);
	const values = flattenValues(readValues.call(this, i));
	if (Object.keys(values).length === 0) {
		throw new NodeOperationError(this.getNode(), `No values to write [item ${i}]`, {
			description: 'Add at least one key and value under "Values" (or an object under "Values (JSON)"), e.g. ai.score = {{ $json.ai_no_show_probability }}.',
			itemIndex: i,
		});
	}
	const replace = this.getNodeParameter('replaceBlock', i, false) as boolean;
	// Peek can only append or overwrite a whole note: read it, replace our block, overwrite.
	const current = await peekRequest.call(this, { method: 'GET', path: `/bookings/${seg(id)}`, itemIndex: i });
	const next = upsertBlock(noteOf(current.body), values, { replace });
	if (!next.changed) return toItems({ bookingId: id, changed: false, values: next.values }, i);
	const result = await writeOrShadow.call(
		this,
		{ method: 'POST', path: `/bookings/${seg(id)}/notes`, body: { note: next.note, appendOrOverwrite: 'overwrite' }, idempotent: true },
		i,
	);
	if (result.shadow) return toItems({ shadow: true, bookingId: id, changed: true, values: next.values, request: result.request }, i);
	return toItems({ bookingId: id, changed: true, values: next.values, note: next.note }, i);
}
