import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../../shared/errors';
import { str, time } from '../../../shared/fields';
import { createAuditRecord, hashInput, type AuditResult } from '../../../shared/audit';
import { itemIsShadow } from '../../../shared/governance';
import {
	decide,
	readConfirmed,
	readEntries,
	readSeats,
	routeChoices,
	type ApprovalRules,
	type Decision,
	type GovernanceMode,
	type Policy,
	type RankingPolicy,
	type RoundState,
} from '../../decide';

export const OUTPUT = { promote: 0, approval: 1, noAction: 2 } as const;
export const RULE_VERSION = '1';

type Operation = 'planOffers' | 'nextOffer';

interface Group {
	key: string;
	/** Input item indices of the slot, in input order. */
	members: number[];
}

const MODES: GovernanceMode[] = ['shadow', 'assisted', 'autonomous'];
const RANKINGS: RankingPolicy[] = ['fifo', 'score', 'hybrid'];

/** Ids from an expression result: an array, or text separated by commas, semicolons or spaces. */
export function idList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => str(v)?.trim() ?? '').filter(Boolean);
	const text = str(value);
	return text ? text.split(/[,;\s]+/).filter(Boolean) : [];
}

/** Round state from an item; anything malformed is reported rather than trusted. */
export function readRound(value: unknown, slotKey: string): RoundState | { error: string } | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let v = value;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			return { error: 'the round state is text that is not JSON' };
		}
	}
	if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'the round state is not an object' };
	const o = v as IDataObject;
	const freed = Number(o.freedSeats);
	if (!Number.isInteger(freed) || freed < 0) return { error: 'the round state has no freedSeats' };
	const offeredSeats: Record<string, number> = {};
	if (o.offeredSeats && typeof o.offeredSeats === 'object') {
		for (const [id, seats] of Object.entries(o.offeredSeats as IDataObject)) {
			const n = Number(seats);
			if (Number.isInteger(n) && n > 0) offeredSeats[id] = n;
		}
	}
	const extra = Number(o.extraSeats);
	const events = idList(o.events);
	return {
		slotKey: str(o.slotKey) ?? slotKey,
		freedSeats: freed,
		extraSeats: Number.isInteger(extra) && extra > 0 ? extra : 0,
		offered: idList(o.offered),
		offeredSeats,
		declined: idList(o.declined),
		expired: idList(o.expired),
		accepted: idList(o.accepted),
		...(events.length ? { events } : {}),
	};
}

function slotKeyOf(ctx: IExecuteFunctions, i: number): string {
	const raw = ctx.getNodeParameter('slotKey', i, '') as unknown;
	return (str(raw) ?? '').trim();
}

function groupItems(ctx: IExecuteFunctions, items: INodeExecutionData[], shape: string): { groups: Group[]; keyless: number[] } {
	const groups = new Map<string, Group>();
	const keyless: number[] = [];
	const list: Group[] = [];
	items.forEach((_, i) => {
		const key = slotKeyOf(ctx, i);
		if (!key) {
			keyless.push(i);
			return;
		}
		// One item per slot: every item is its own slot, even when two share a key (two events).
		if (shape === 'slotItems') {
			list.push({ key, members: [i] });
			return;
		}
		const g = groups.get(key);
		if (g) g.members.push(i);
		else {
			const created = { key, members: [i] };
			groups.set(key, created);
			list.push(created);
		}
	});
	return { groups: list, keyless };
}

function firstField(items: INodeExecutionData[], members: number[], field: string): unknown {
	for (const i of members) {
		const v = items[i].json[field];
		if (v !== undefined && v !== null && v !== '') return v;
	}
	return undefined;
}

function arrayFrom(value: unknown): unknown[] | undefined {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		try {
			const parsed = JSON.parse(value);
			return Array.isArray(parsed) ? parsed : undefined;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

function readPolicy(ctx: IExecuteFunctions, i: number, operation: Operation): Policy {
	const ranking = ctx.getNodeParameter('ranking', i, 'fifo') as RankingPolicy;
	if (!RANKINGS.includes(ranking)) {
		throw new NodeOperationError(ctx.getNode(), `Ranking policy "${ranking}" is not known [item ${i}]`, {
			description: 'Choose First in, first out, Score-ranked or Hybrid.',
			itemIndex: i,
		});
	}
	return {
		ranking,
		bandWidth: ctx.getNodeParameter('bandWidth', i, 0.2) as number,
		maxPromotions: Math.max(1, Math.floor(ctx.getNodeParameter('maxPromotions', i, 3) as number)),
		defaultAcceptance: ctx.getNodeParameter('options.defaultAcceptance', i, 0.5) as number,
		overbooking: {
			enabled: operation === 'planOffers' && (ctx.getNodeParameter('allowOverbooking', i, false) as boolean),
			maxOverflowProbability: ctx.getNodeParameter('maxOverflowProbability', i, 0.05) as number,
		},
	};
}

function readRules(ctx: IExecuteFunctions, i: number): ApprovalRules {
	return {
		confidenceThreshold: ctx.getNodeParameter('approvalRules.confidenceThreshold', i, 0.7) as number,
		maxPartySize: ctx.getNodeParameter('approvalRules.maxPartySize', i, 6) as number,
		maxBookingValue: ctx.getNodeParameter('approvalRules.maxBookingValue', i, 0) as number,
		blackout: idList(ctx.getNodeParameter('approvalRules.blackout', i, '')),
	};
}

function asOf(ctx: IExecuteFunctions, i: number): number {
	const value = String(ctx.getNodeParameter('options.asOf', i, '') ?? '').trim();
	if (!value) return Date.now();
	const t = time(value);
	if (Number.isNaN(t)) {
		throw new NodeOperationError(ctx.getNode(), `"As Of" is not a date: ${value} [item ${i}]`, {
			description: 'Use an ISO-8601 date-time such as 2026-07-01T09:00:00Z, or leave it empty for now.',
			itemIndex: i,
		});
	}
	return t;
}

/**
 * Both operations: group the items into slots, read each slot's waitlist, decide, route by governance
 * mode, and put one item per offer on "Promote now" / "Needs approval" and one per reason on "No action".
 */
export async function runWaitlist(this: IExecuteFunctions, items: INodeExecutionData[], operation: Operation): Promise<INodeExecutionData[][]> {
	const out: INodeExecutionData[][] = [[], [], []];
	const mode = this.getNodeParameter('mode', 0, 'shadow') as GovernanceMode;
	if (!MODES.includes(mode)) {
		throw new NodeOperationError(this.getNode(), `Governance mode "${mode}" is not known`, { description: 'Choose Shadow, Assisted or Autonomous.' });
	}
	const shape = this.getNodeParameter('inputShape', 0, 'entryItems') as string;
	const { groups, keyless } = groupItems(this, items, shape);

	const audit = (i: number, decision: string, input: unknown, result: AuditResult, detail: string, summary: IDataObject, shadow: boolean, contactKey?: string) =>
		createAuditRecord(this, {
			decision,
			decidedBy: { kind: 'rule', id: `waitlist-filler/${operation}`, version: RULE_VERSION },
			input,
			// The audit keys the contact with the instance's salt; the raw contact is never stored.
			customerEmail: contactKey,
			summary,
			result,
			detail,
			shadow,
		}) as unknown as IDataObject;

	for (const i of keyless) {
		const reason = 'The item has no slot key, so it belongs to no slot and nothing is offered.';
		const shadow = mode === 'shadow' || itemIsShadow(items[i].json);
		out[OUTPUT.noAction].push({
			json: {
				...items[i].json,
				waitlist: { action: 'none', code: 'no_slot_key', reason },
				audit: audit(i, 'no action: no slot key', items[i].json, 'skipped', reason, { code: 'no_slot_key' }, shadow),
			},
			pairedItem: { item: i },
		});
	}

	for (const group of groups) {
		const f = group.members[0];
		try {
			slot.call(this, items, group, operation, mode, audit, out);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, f);
			// The pack's error-item shape (nodes/shared/errors.ts), on "No action", one per item of the slot.
			for (const i of group.members) out[OUTPUT.noAction].push(errorItem(i, items[i].json, error));
		}
	}
	return out;
}

type AuditFn = (i: number, decision: string, input: unknown, result: AuditResult, detail: string, summary: IDataObject, shadow: boolean, customerHash?: string) => IDataObject;

function slot(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	group: Group,
	operation: Operation,
	mode: GovernanceMode,
	audit: AuditFn,
	out: INodeExecutionData[][],
): void {
	const f = group.members[0];
	const slotJson = items[f].json;
	const shadow = mode === 'shadow' || group.members.some((i) => itemIsShadow(items[i].json));
	const policy = readPolicy(this, f, operation);
	const rules = readRules(this, f);
	const start = asOf(this, f);
	const windowMinutes = this.getNodeParameter('options.offerWindowMinutes', f, 30) as number;
	const defaultNoShow = this.getNodeParameter('options.defaultNoShowRisk', f, 0.1) as number;
	const allPaired = group.members.map((item) => ({ item }));

	// Entries, and which input item each came from (for pairedItem).
	let rawEntries: unknown[];
	let itemOf: (entryIndex: number) => number;
	const noActionSlot = (code: string, reason: string, extra: IDataObject = {}, roundState?: IDataObject) => {
		out[OUTPUT.noAction].push({
			json: {
				slotKey: group.key,
				waitlist: { action: 'none', code, reason, ...extra },
				...(roundState ? { round: roundState } : {}),
				...(shadow ? { shadow: true } : {}),
				audit: audit(f, `no action for slot ${group.key}: ${code}`, { slotKey: group.key, code, ...extra }, shadow ? 'shadow' : 'skipped', reason, { slotKey: group.key, code }, shadow),
			},
			pairedItem: allPaired,
		});
	};
	if (this.getNodeParameter('inputShape', 0, 'entryItems') === 'slotItems') {
		const field = String(this.getNodeParameter('entriesField', f, 'entries'));
		const list = arrayFrom(slotJson[field]);
		if (!list) {
			noActionSlot('no_entries_field', `The item has no array in field "${field}", so there is no waitlist to choose from.`);
			return;
		}
		rawEntries = list;
		itemOf = () => f;
	} else {
		rawEntries = group.members.map((i) => items[i].json);
		itemOf = (k) => group.members[k];
	}

	// Round state: Next offer needs one, Plan offers uses one when the flow passes it back in.
	const roundField = operation === 'nextOffer' ? String(this.getNodeParameter('roundField', f, 'round')) : 'round';
	let round = readRound(firstField(items, group.members, roundField), group.key);
	if (round && 'error' in round) {
		noActionSlot('bad_round_state', `Field "${roundField}": ${round.error}; nothing is offered rather than risk a second offer.`);
		return;
	}
	if (round && round.slotKey !== group.key) {
		noActionSlot('round_for_other_slot', `Field "${roundField}" holds the round of slot ${round.slotKey}, not ${group.key}; nothing is offered rather than mix two rounds.`);
		return;
	}
	let freed: number | null;
	if (operation === 'nextOffer') {
		if (!round) {
			noActionSlot('no_round_state', `The item has no round state in field "${roundField}"; pass on the round a "Plan offers" item put out.`);
			return;
		}
		const closed = (name: string) => idList(this.getNodeParameter(name, f, ''));
		const r: RoundState = round;
		const add = (list: string[], ids: string[]) => [...list, ...ids.filter((id) => r.offered.includes(id) && !list.includes(id))];
		round = { ...r, declined: add(r.declined, closed('declinedIds')), expired: add(r.expired, closed('expiredIds')), accepted: add(r.accepted, closed('acceptedIds')) };
		freed = round.freedSeats;
	} else {
		const param = this.getNodeParameter('freedSeats', f, '') as unknown;
		freed = readSeats(param === '' || param === undefined ? firstField(items, group.members, 'freedSeats') : param);
		const eventId = (str(this.getNodeParameter('eventId', f, '')) ?? '').trim();
		if (round && freed !== null) {
			// A round already runs for this slot. With an event id, a new event adds its seats and a repeat
			// adds nothing; without one, Freed Seats is the slot's total so far, so a repeat changes nothing.
			const seen = round.events ?? [];
			if (eventId) freed = seen.includes(eventId) ? round.freedSeats : round.freedSeats + freed;
			else freed = Math.max(round.freedSeats, freed);
			round = { ...round, events: eventId && !seen.includes(eventId) ? [...seen, eventId] : seen };
		} else if (freed !== null && eventId) {
			round = { slotKey: group.key, freedSeats: 0, extraSeats: 0, offered: [], offeredSeats: {}, declined: [], expired: [], accepted: [], events: [eventId] };
		}
	}

	let confirmedRaw: unknown = firstField(items, group.members, 'confirmedBookings');
	if (policy.overbooking.enabled) {
		const param = this.getNodeParameter('confirmedBookings', f, '') as unknown;
		if (param !== '' && param !== undefined && param !== null) confirmedRaw = param;
	}
	const confirmed = readConfirmed(arrayFrom(confirmedRaw) ?? [], defaultNoShow);

	const { entries, rawIndex, invalid } = readEntries(rawEntries);
	const decision: Decision = decide({
		slotKey: group.key,
		freedSeats: freed,
		entries,
		confirmed,
		policy,
		round: round as RoundState | undefined,
		extraSeatsOverride: operation === 'nextOffer' ? (round as RoundState).extraSeats : undefined,
	});
	// The hash covers what the decision read (not every raw field): one line per entry is far cheaper
	// than key-sorted JSON of 10,000 rows, and equal inputs still hash equally.
	const entryLines = entries
		.map((e) => [e.id, e.partySize, e.createdAt, e.hasContact ? 1 : 0, e.flexible ? 1 : 0, e.desiredSlot ?? '', e.alreadyBooked ? 1 : 0, e.acceptance ?? '', e.noShowRisk ?? '', e.value ?? '', e.contactKey ?? ''].join('|'))
		.join('\n');
	const inputHash = hashInput({ operation, slotKey: group.key, freed, entryLines, invalid, confirmed, policy, round: round ?? null });
	const startsAt = str(slotJson.startsAt) ?? str(slotJson.slotStartsAt);
	const routed = routeChoices(decision, entries, mode, rules, startsAt);
	const roundOut = decision.round as unknown as IDataObject;
	const summary: IDataObject = {
		policy: decision.policy,
		method: decision.method,
		capacity: decision.capacity as unknown as IDataObject,
		expectedFilledSeats: decision.expectedFilledSeats,
		offers: decision.chosen.length,
		notChosen: decision.notChosen,
		skipped: decision.skipped.length + invalid.length,
		inputHash,
		...(decision.overbooking ? { overbooking: decision.overbooking as unknown as IDataObject } : {}),
	};
	const expiresAt = new Date(start + windowMinutes * 60_000).toISOString();

	decision.chosen.forEach((choice, k) => {
		const r = routed[k];
		const raw = rawEntries[rawIndex[choice.index]] as IDataObject;
		const entry = entries[choice.index];
		const route = r.route === 'promote' ? 'promote_now' : 'needs_approval';
		const result: AuditResult = shadow ? 'shadow' : r.route === 'approval' ? 'pending_approval' : 'decided';
		out[r.route === 'promote' ? OUTPUT.promote : OUTPUT.approval].push({
			json: {
				slotKey: group.key,
				entryId: choice.entryId,
				partySize: choice.partySize,
				entry: raw,
				offer: { seats: choice.partySize, windowMinutes, expiresAt, rank: choice.rank },
				waitlist: {
					action: route,
					confidence: r.confidence,
					reasons: r.reasons,
					acceptanceUsed: choice.acceptanceUsed,
					expectedSeats: choice.expectedSeats,
					overbookedSeats: choice.overbookedSeats,
					slot: summary,
				},
				round: roundOut,
				...(shadow ? { shadow: true } : {}),
				audit: audit(
					itemOf(rawIndex[choice.index]),
					`${route.replace('_', ' ')}: entry ${choice.entryId} for slot ${group.key}`,
					{ inputHash, entryId: choice.entryId },
					result,
					r.reasons.join(' '),
					{ slotKey: group.key, entryId: choice.entryId, partySize: choice.partySize, confidence: r.confidence, policy: decision.policy, inputHash },
					shadow,
					entry.contactKey,
				),
			},
			pairedItem: { item: itemOf(rawIndex[choice.index]) },
		});
	});

	const entryNoAction = (rawPos: number, entryId: string | undefined, code: string, reason: string, contactKey?: string) => {
		out[OUTPUT.noAction].push({
			json: {
				slotKey: group.key,
				entryId: entryId ?? null,
				entry: (rawEntries[rawPos] ?? null) as IDataObject,
				waitlist: { action: 'none', code, reason },
				round: roundOut,
				...(shadow ? { shadow: true } : {}),
				audit: audit(itemOf(rawPos), `no action: entry ${entryId ?? '(no id)'} for slot ${group.key}`, { inputHash, entryId: entryId ?? null, code }, shadow ? 'shadow' : 'skipped', reason, { slotKey: group.key, entryId: entryId ?? null, code }, shadow, contactKey),
			},
			pairedItem: { item: itemOf(rawPos) },
		});
	};
	for (const bad of invalid) entryNoAction(bad.index, bad.entryId, 'invalid_entry', bad.reason);
	for (const s of decision.skipped) entryNoAction(rawIndex[s.index], s.entryId, s.code, s.reason, entries[s.index].contactKey);
	if (decision.chosen.length === 0) {
		noActionSlot(decision.slotReason ? slotCode(decision) : 'nothing_fits', decision.slotReason ?? `No waiting entry fits the ${decision.capacity.seatsToOffer} seat(s) to offer.`, {
			slot: summary,
		}, roundOut);
	}
}

function slotCode(d: Decision): string {
	if (d.capacity.freedSeats === null) return 'capacity_unknown';
	if (d.capacity.seatsToOffer === 0) return 'no_seats';
	if (d.capacity.promotionsLeft === 0) return 'max_promotions';
	return 'no_eligible_entry';
}
