import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createAuditRecord } from '../../../shared/audit';
import { itemIsShadow } from '../../../shared/governance';
import { pick, str, time } from '../../../shared/fields';
import { HEURISTIC_MODELS, MODEL_LABELS, modelWeights, splitCents, type HeuristicModel, type ModelParams } from '../../engine/models';
import { asNodeError } from '../../../shared/errors';
import { bookingValue, formatMoney, dataError, jsonParam, minorDigits, perItem } from '../common';

export const MODEL_VERSION = 'attribution-heuristics@1';

const properties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'First Touch', value: 'firstTouch', description: 'All credit to the first touch' },
			{ name: 'Last Non-Direct Touch', value: 'lastNonDirect', description: 'All credit to the last touch that is not Direct (GA\'s classic rule)' },
			{ name: 'Last Touch', value: 'lastTouch', description: 'All credit to the last touch' },
			{ name: 'Linear', value: 'linear', description: 'Equal credit to every touch' },
			{ name: 'Position-Based', value: 'positionBased', description: 'Shares for the first and last touch, the rest split over the middle (40/20/40)' },
			{ name: 'Time Decay', value: 'timeDecay', description: 'Credit halves for every half-life before the booking' },
		],
		default: 'lastNonDirect',
	},
	{
		displayName:
			'The incoming item must carry its touchpoints (as the Normalize Touchpoints operation puts them out: {{ $json.touchpoints }}) and the booking value, e.g. {{ $json.total.amount }}.',
		name: 'attributeNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Half-Life (Days)',
		name: 'halfLifeDays',
		type: 'number',
		typeOptions: { minValue: 0.01 },
		default: 7,
		displayOptions: { show: { model: ['timeDecay'] } },
		description: 'A touch this many days before the booking gets half the weight of one at the booking',
	},
	{
		displayName: 'First Touch Share',
		name: 'firstShare',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.4,
		displayOptions: { show: { model: ['positionBased'] } },
	},
	{
		displayName: 'Last Touch Share',
		name: 'lastShare',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.4,
		displayOptions: { show: { model: ['positionBased'] } },
	},
	{
		displayName: 'Booking Value',
		name: 'bookingValue',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.total.amount }}',
		hint: 'Empty: read from total.amount, totalPrice, total_amount or value. Text such as "$1,234.50" is read by the pack\'s number parser.',
	},
	{
		displayName: 'Options',
		name: 'attributeOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'e.g. USD',
				description: 'ISO currency of the value; empty reads total.currency or the symbol in the value',
			},
			{
				displayName: 'Minimum Bookings in Average',
				name: 'minHistory',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description: 'Shifts are flagged only once the running average holds this many bookings',
			},
			{
				displayName: 'Running Average',
				name: 'runningAverage',
				type: 'json',
				default: '',
				placeholder: 'e.g. {{ $json.runningAverage }}',
				description: 'The model\'s running average of channel shares as a previous run put it out (attribution.runningAverage), read back from a Data Table row. The node keeps no memory, so this is how the average survives between executions and across queue-mode workers.',
			},
			{
				displayName: 'Shift Threshold',
				name: 'shiftThreshold',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0.2,
				description: 'Flag for review when a channel\'s share in this run differs from its running average by more than this (0.2 = 20 percentage points)',
			},
			{
				displayName: 'Touchpoints Field',
				name: 'touchpointsField',
				type: 'string',
				default: 'touchpoints',
				description: 'Field of the item holding the touchpoints',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['attribute'] } }, properties);

interface Touch {
	channel: string;
	campaign?: string;
	source?: string;
	medium?: string;
	at: number;
	atIso?: string;
}

function readTouches(json: IDataObject, field: string): Touch[] {
	let raw = pick(json, [field]);
	if (typeof raw === 'string') raw = jsonParam(raw, field);
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) raw = Object.values(raw as IDataObject);
	if (!Array.isArray(raw) || raw.length === 0) {
		throw dataError(`The item has no touchpoints in ${field}`, field, 'Run Attribution → Normalize Touchpoints first, or point Touchpoints Field at an array of {channel, campaign, at}.');
	}
	const touches: Touch[] = [];
	raw.forEach((t, k) => {
		if (!t || typeof t !== 'object') throw dataError(`${field}[${k}] is not a touchpoint object`, `${field}[${k}]`);
		const o = t as IDataObject;
		const channel = str(pick(o, ['channel', 'channelGroup', 'default_channel_group']));
		if (!channel) throw dataError(`${field}[${k}] has no channel`, `${field}[${k}].channel`, 'Normalize Touchpoints sets it; a history from elsewhere needs a channel per touch.');
		const at = time(pick(o, ['at', 'timestamp', 'occurredAt']));
		touches.push({ channel: channel.trim(), campaign: str(o.campaign) || undefined, source: str(o.source), medium: str(o.medium), at, atIso: Number.isNaN(at) ? undefined : new Date(at).toISOString() });
	});
	return touches;
}

interface RunningAverage {
	model: string;
	n: number;
	shares: Record<string, number>;
}

function readAverage(value: unknown, model: string): RunningAverage {
	const v = jsonParam(value, 'Running Average') as IDataObject | undefined;
	if (!v || typeof v !== 'object') return { model, n: 0, shares: {} };
	const n = Number(v.n);
	const shares = (v.shares && typeof v.shares === 'object' ? v.shares : {}) as Record<string, unknown>;
	if (!Number.isFinite(n) || n < 0) throw dataError('Running Average has no count n', 'runningAverage.n');
	if (v.model && v.model !== model) throw dataError(`Running Average belongs to the ${String(v.model)} model, not ${model}`, 'runningAverage.model', 'Keep one running average per model.');
	return { model, n, shares: Object.fromEntries(Object.entries(shares).map(([k, x]) => [k, Number(x) || 0])) };
}

/** "40% Paid Social 'summer adventures'": a channel, with its campaign when it has one. */
function label(channel: string, campaign: string | undefined): string {
	return campaign ? `${channel} '${campaign}'` : channel;
}

export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const model = this.getNodeParameter('model', 0) as HeuristicModel;
	if (!HEURISTIC_MODELS.includes(model)) throw dataError(`Unknown model ${model}`, 'model');
	const shares: Array<Record<string, number>> = [];
	const outputs = perItem(this, items, (i, json) => {
		const opts = this.getNodeParameter('attributeOptions', i, {}) as { currency?: string; touchpointsField?: string };
		const params: ModelParams = {};
		if (model === 'timeDecay') params.halfLifeDays = this.getNodeParameter('halfLifeDays', i, 7) as number;
		if (model === 'positionBased') {
			params.firstShare = this.getNodeParameter('firstShare', i, 0.4) as number;
			params.lastShare = this.getNodeParameter('lastShare', i, 0.4) as number;
			if (params.firstShare + params.lastShare > 1 + 1e-9) throw dataError('First and last touch shares add up to more than 1', 'firstShare');
		}
		const field = opts.touchpointsField || 'touchpoints';
		const touches = readTouches(json, field);
		const value = bookingValue(json, this.getNodeParameter('bookingValue', i, ''), opts.currency ?? '');
		const conversionAt = time(pick(json, ['purchasedAt', 'purchased_at', 'createdAt', 'timestamp']));
		const weights = modelWeights(model, touches, conversionAt, params);
		const cents = splitCents(value.minor, weights);
		const credits = touches.map((t, k) => ({
			index: k,
			channel: t.channel,
			...(t.campaign ? { campaign: t.campaign } : {}),
			...(t.source ? { source: t.source } : {}),
			...(t.atIso ? { at: t.atIso } : {}),
			weight: weights[k],
			cents: cents[k],
			amount: cents[k] / 10 ** minorDigits(value.currency),
		}));
		const group = (key: (c: (typeof credits)[number]) => string): Array<{ key: string; cents: number }> => {
			const m = new Map<string, number>();
			for (const c of credits) m.set(key(c), (m.get(key(c)) ?? 0) + c.cents);
			return [...m].map(([k, v]) => ({ key: k, cents: v })).sort((a, b) => b.cents - a.cents);
		};
		const byChannel = group((c) => c.channel).map((g) => ({ channel: g.key, cents: g.cents, share: value.minor ? g.cents / value.minor : 0 }));
		const byCampaign = group((c) => `${c.channel}\u0000${c.campaign ?? ''}`).map((g) => {
			const [channel, campaign] = g.key.split('\u0000');
			return { channel, campaign: campaign || null, cents: g.cents, share: value.minor ? g.cents / value.minor : 0 };
		});
		// Whole percentages that add up to 100, by the same largest-remainder rule as the cents.
		const credited = byCampaign.filter((g) => g.cents > 0);
		const percents = splitCents(100, credited.map((g) => g.cents));
		const bookingId = str(pick(json, ['id', 'bookingId', 'booking_id']));
		const display = str(pick(json, ['displayId', 'display_id'])) ?? bookingId ?? `item ${i}`;
		const summary = `Booking #${display.replace(/^#/, '')} (${formatMoney(value.minor, value.currency)}): ${credited.map((g, k) => `${percents[k]}% ${label(g.channel, g.campaign ?? undefined)}`).join(', ') || 'no credit'} — ${MODEL_LABELS[model]} model`;
		const itemShares: Record<string, number> = {};
		for (const c of byChannel) itemShares[c.channel] = c.share;
		shares.push(itemShares);
		const shadow = itemIsShadow(json);
		const top = byCampaign[0];
		const attribution: IDataObject = {
			model,
			parameters: params as IDataObject,
			bookingId,
			valueCents: value.minor,
			value: value.minor / 10 ** minorDigits(value.currency),
			currency: value.currency ?? null,
			valueFrom: value.field,
			rounding: 'largest remainder: floor of each exact share, leftover cents to the largest remainders (ties to the earlier touch)',
			credits,
			byChannel,
			byCampaign,
			summary,
			writeBack: {
				'attribution.model': model,
				'attribution.channel': top?.channel ?? '',
				'attribution.campaign': top?.campaign ?? '',
				// JSON, so campaign names with commas or colons survive; the daily report reads it back from the note.
				'attribution.credits': JSON.stringify(byCampaign.map((g) => [g.channel, g.campaign, g.cents])),
				'attribution.valueCents': value.minor,
				'attribution.currency': value.currency ?? '',
			},
		};
		const audit = createAuditRecord(this, {
			decision: 'attribution.attribute',
			decidedBy: { kind: 'rule', id: `attribution.${model}`, version: MODEL_VERSION },
			input: { touchpoints: touches, valueCents: value.minor, currency: value.currency },
			bookingId,
			summary: { model, parameters: params as IDataObject, valueCents: value.minor, currency: value.currency ?? null, byChannel: byChannel.map((c) => ({ channel: c.channel, cents: c.cents })) },
			result: shadow ? 'shadow' : 'decided',
			detail: summary,
			shadow,
		});
		return { json: { ...json, attribution, audit: audit as unknown as IDataObject }, pairedItem: { item: i } };
	});

	// Shift against the model's running average (state in the items, never in node memory).
	const opts = this.getNodeParameter('attributeOptions', 0, {}) as { runningAverage?: unknown; shiftThreshold?: number; minHistory?: number };
	let average: RunningAverage;
	try {
		average = readAverage(opts.runningAverage, model);
	} catch (error) {
		if (!this.continueOnFail()) throw asNodeError(this, error);
		average = { model, n: 0, shares: {} };
	}
	if (shares.length) {
		const threshold = opts.shiftThreshold ?? 0.2;
		const minHistory = opts.minHistory ?? 20;
		const channels = new Set([...Object.keys(average.shares), ...shares.flatMap((s) => Object.keys(s))]);
		const batch: Record<string, number> = {};
		for (const c of channels) batch[c] = shares.reduce((s, x) => s + (x[c] ?? 0), 0) / shares.length;
		const diffs = [...channels].map((c) => ({ channel: c, run: batch[c], average: average.shares[c] ?? 0, difference: batch[c] - (average.shares[c] ?? 0) })).sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference));
		const biggest = diffs[0];
		const comparable = average.n >= minHistory;
		const flagged = comparable && Math.abs(biggest.difference) > threshold;
		const n = average.n + shares.length;
		const next: RunningAverage = { model, n, shares: {} };
		for (const c of channels) next.shares[c] = ((average.shares[c] ?? 0) * average.n + batch[c] * shares.length) / n;
		const shift: IDataObject = {
			flagged,
			threshold,
			comparedWith: average.n,
			...(comparable ? {} : { reason: `the running average holds ${average.n} bookings, fewer than ${minHistory}` }),
			largest: biggest as unknown as IDataObject,
			...(flagged ? { message: `${biggest.channel}: ${Math.round(biggest.run * 100)}% of credit in this run against a running average of ${Math.round(biggest.average * 100)}% (${model}); review before acting on it` } : {}),
		};
		for (const o of outputs) {
			const a = o.json.attribution as IDataObject | undefined;
			if (!a) continue;
			a.shift = shift;
			a.runningAverage = next as unknown as IDataObject;
			a.reviewRequired = flagged;
		}
	}
	return outputs;
}
