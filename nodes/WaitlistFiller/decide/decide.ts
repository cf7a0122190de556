import { firstFit, knapsackArrays } from './knapsack';
import { overbookingAllowance, type OverbookingArithmetic } from './overbooking';
import type { Choice, DecideInput, Decision, Entry, Policy, RoundState, Skipped } from './types';

/** Values are integers in millionths of a seat: exact sums, exact ties, the same answer on every machine. */
export const VALUE_SCALE = 1_000_000;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Hybrid ranking: acceptance is replaced by the midpoint of its band, so within a band only waiting time decides. */
export function bandMidpoint(acceptance: number, bandWidth: number): number {
	const w = bandWidth > 0 && bandWidth <= 1 ? bandWidth : 1;
	const bands = Math.ceil(1 / w - 1e-9);
	const band = Math.min(bands - 1, Math.floor(clamp01(acceptance) / w + 1e-9));
	return Math.min(1, (band + 0.5) * w);
}

export function acceptanceUsed(entry: Entry, policy: Policy): { used: number; scored: boolean } {
	if (policy.ranking === 'fifo') return { used: 1, scored: entry.acceptance !== undefined };
	const scored = entry.acceptance !== undefined && Number.isFinite(entry.acceptance);
	const a = clamp01(scored ? (entry.acceptance as number) : policy.defaultAcceptance);
	return { used: policy.ranking === 'hybrid' ? bandMidpoint(a, policy.bandWidth) : a, scored };
}

/**
 * The objective's value of one entry, in millionths of a seat: party size × P(accept) × (1 − P(no-show)).
 * The no-show factor counts a promoted party that then stays away as an empty seat again; FIFO ignores
 * scores by definition (acceptance 1, no-show 0).
 */
export function entryValue(entry: Entry, policy: Policy): number {
	if (policy.ranking === 'fifo') return entry.partySize * VALUE_SCALE;
	const a = entry.acceptance;
	const p = clamp01(a !== undefined && Number.isFinite(a) ? a : policy.defaultAcceptance);
	const used = policy.ranking === 'hybrid' ? bandMidpoint(p, policy.bandWidth) : p;
	return Math.round(entry.partySize * used * (1 - clamp01(entry.noShowRisk ?? 0)) * VALUE_SCALE);
}

/**
 * Waiting order: earliest createdAt first, then id, then input position, so any input order gives one
 * queue. For speed on long waitlists the (createdAt, position) pair is packed into one exact double and
 * sorted natively when it fits in 53 bits (any realistic span of join times); runs with the same
 * createdAt are then put in id order. Otherwise a comparator sort does the same.
 */
export function waitingOrder(entries: readonly Entry[]): number[] {
	const n = entries.length;
	const t = new Float64Array(n);
	let min = Infinity;
	let max = -Infinity;
	let integers = true;
	for (let i = 0; i < n; i++) {
		const c = entries[i].createdAt;
		t[i] = Number.isFinite(c) ? c : Number.MAX_SAFE_INTEGER;
		if (Number.isFinite(c)) {
			if (!Number.isInteger(c)) integers = false;
			if (c < min) min = c;
			if (c > max) max = c;
		}
	}
	const byId = (a: number, b: number) => (entries[a].id < entries[b].id ? -1 : entries[a].id > entries[b].id ? 1 : 0) || a - b;
	if (min === Infinity) min = max = 0;
	const span = max - min + 2; // one more slot for "no createdAt"
	if (integers && span * n < Number.MAX_SAFE_INTEGER) {
		const packed = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const rel = t[i] === Number.MAX_SAFE_INTEGER ? span - 1 : Math.floor(t[i] - min);
			packed[i] = rel * n + i;
		}
		packed.sort();
		const order = new Array<number>(n);
		for (let k = 0; k < n; k++) order[k] = packed[k] % n;
		// Equal join times: id order, as the comparator sort would give.
		for (let k = 0; k < n; ) {
			let end = k + 1;
			while (end < n && t[order[end]] === t[order[k]]) end++;
			if (end - k > 1) {
				const run = order.slice(k, end).sort(byId);
				for (let j = 0; j < run.length; j++) order[k + j] = run[j];
			}
			k = end;
		}
		return order;
	}
	const order = Array.from({ length: n }, (_, i) => i);
	order.sort((a, b) => t[a] - t[b] || byId(a, b));
	return order;
}

export function emptyRound(slotKey: string, freedSeats: number, extraSeats: number): RoundState {
	return { slotKey, freedSeats, extraSeats, offered: [], offeredSeats: {}, declined: [], expired: [], accepted: [] };
}

/** Seats still held by the round's offers: offered and not declined or expired (pending or accepted). */
export function heldSeats(round: RoundState | undefined, entries: readonly Entry[] = []): { seats: number; pending: number } {
	if (!round) return { seats: 0, pending: 0 };
	const released = new Set([...round.declined, ...round.expired]);
	const accepted = new Set(round.accepted);
	let seats = 0;
	let pending = 0;
	for (const id of new Set(round.offered)) {
		if (released.has(id)) continue;
		const size = round.offeredSeats[id] ?? entries.find((e) => e.id === id)?.partySize ?? 0;
		seats += size;
		if (!accepted.has(id)) pending++;
	}
	return { seats, pending };
}

/**
 * Decide which waitlist entries get an offer for one slot's freed seats. Pure and deterministic:
 * the same input gives the same decision (no clock, no randomness, no memory).
 */
export function decide(input: DecideInput): Decision {
	const { policy, entries, slotKey } = input;
	const round = input.round;
	const everOffered = new Set(round?.offered ?? []);
	const held = heldSeats(round, entries);

	// 1. Entries that cannot get an offer, each with its reason. First in waiting order wins a duplicate.
	const order = waitingOrder(entries);
	const skipped: Skipped[] = [];
	const seenIds = new Set<string>();
	const seenCustomers = new Map<string, string>();
	const booked = new Set(input.confirmed.map((b) => b.contactKey).filter((k): k is string => !!k));
	const eligible: number[] = [];
	for (const i of order) {
		const e = entries[i];
		// One hash operation per check where possible: a waitlist can be long.
		const known = seenIds.size;
		seenIds.add(e.id);
		if (seenIds.size === known) {
			skipped.push({ entryId: e.id, index: i, code: 'duplicate_entry', reason: `Entry ${e.id} appears more than once; only its first (longest-waiting) copy is considered.` });
			continue;
		}
		if (everOffered.size && everOffered.has(e.id)) {
			skipped.push({ entryId: e.id, index: i, code: 'already_offered', reason: `Entry ${e.id} was already offered this slot in this round; an entry is never offered twice for the same slot.` });
			continue;
		}
		if (e.alreadyBooked || (booked.size && e.contactKey !== undefined && booked.has(e.contactKey))) {
			skipped.push({ entryId: e.id, index: i, code: 'already_booked', reason: `Entry ${e.id} is already booked into this slot.` });
			continue;
		}
		if (e.contactKey !== undefined) {
			const first = seenCustomers.get(e.contactKey);
			if (first !== undefined) {
				skipped.push({ entryId: e.id, index: i, code: 'duplicate_customer', reason: `Entry ${e.id} is the same customer as entry ${first}, which waits longer; one offer per customer.` });
				continue;
			}
			seenCustomers.set(e.contactKey, e.id);
		}
		if (!e.hasContact) {
			skipped.push({ entryId: e.id, index: i, code: 'no_contact', reason: `Entry ${e.id} has no email or phone, so no offer can reach it.` });
			continue;
		}
		if (e.desiredSlot !== undefined && e.desiredSlot !== slotKey && !e.flexible) {
			skipped.push({ entryId: e.id, index: i, code: 'other_slot', reason: `Entry ${e.id} asked for slot ${e.desiredSlot}, not ${slotKey}, and is not flexible.` });
			continue;
		}
		eligible.push(i);
	}

	// 2. Seats that may be offered.
	let overbooking: OverbookingArithmetic | undefined;
	let extraSeats = 0;
	if (input.extraSeatsOverride !== undefined) extraSeats = Math.max(0, Math.floor(input.extraSeatsOverride));
	else if (policy.overbooking.enabled && input.freedSeats !== null) {
		const parties = input.confirmed.filter((b) => b.partySize >= 1 && Number.isFinite(b.noShowRisk));
		overbooking = overbookingAllowance(parties, policy.overbooking.maxOverflowProbability);
		extraSeats = overbooking.extraSeats;
	}
	const freed = input.freedSeats;
	const seatsToOffer = freed === null ? 0 : Math.max(0, Math.floor(freed) + extraSeats - held.seats);
	const promotionsLeft = Math.max(0, policy.maxPromotions - held.pending);
	const nextRound: RoundState = round
		? { ...round, freedSeats: freed ?? round.freedSeats, extraSeats, offered: [...round.offered], offeredSeats: { ...round.offeredSeats } }
		: emptyRound(slotKey, freed ?? 0, extraSeats);

	const base = {
		slotKey,
		policy: policy.ranking,
		capacity: { freedSeats: freed, heldByEarlierOffers: held.seats, extraSeats, seatsToOffer, promotionsLeft },
		overbooking,
		skipped,
	};
	let slotReason: string | undefined;
	if (freed === null) slotReason = 'The slot\'s freed capacity is unknown, so nothing is offered (an offer could oversell the slot).';
	else if (seatsToOffer === 0) slotReason = held.seats > 0 ? `No seats left: ${held.seats} seat(s) are held by this round's earlier offers.` : 'No freed seats to offer.';
	else if (promotionsLeft === 0) slotReason = `The maximum of ${policy.maxPromotions} promotion(s) for this slot is reached.`;
	else if (eligible.length === 0) slotReason = 'No waitlist entry can take an offer (see each entry\'s reason).';
	if (slotReason) {
		return { ...base, slotReason, chosen: [], notChosen: eligible.length, expectedFilledSeats: 0, method: 'none', round: nextRound };
	}

	// 3. Choose.
	const eligibleEntries = eligible.map((i) => entries[i]);
	let picked: number[];
	let method: string;
	if (policy.ranking === 'fifo') {
		picked = firstFit(eligibleEntries.map((e) => e.partySize), seatsToOffer, promotionsLeft);
		method = `first fit in waiting order over ${eligible.length} entries`;
	} else {
		const sizes = new Int32Array(eligibleEntries.length);
		const values = new Float64Array(eligibleEntries.length);
		for (let k = 0; k < eligibleEntries.length; k++) {
			sizes[k] = eligibleEntries[k].partySize;
			values[k] = entryValue(eligibleEntries[k], policy);
		}
		const result = knapsackArrays(sizes, values, seatsToOffer, promotionsLeft);
		picked = result.chosen;
		method = `exact 0/1 knapsack (dynamic programme over ${seatsToOffer} seats × ${Math.min(promotionsLeft, seatsToOffer)} promotions) over ${result.considered} of ${eligible.length} entries`;
	}

	let seatsUsed = 0;
	const freeSeats = Math.max(0, (freed ?? 0) - held.seats);
	const chosen: Choice[] = picked.map((p, k) => {
		const e = eligibleEntries[p];
		const { used, scored } = acceptanceUsed(e, policy);
		const expected = entryValue(e, policy) / VALUE_SCALE;
		const before = seatsUsed;
		seatsUsed += e.partySize;
		const overbookedSeats = Math.max(0, seatsUsed - Math.max(freeSeats, before));
		const reasons = [
			policy.ranking === 'fifo'
				? `Place ${k + 1} in waiting order among the entries that fit (party of ${e.partySize}).`
				: `Part of the set with the most expected filled seats: ${e.partySize} × ${r4(used)}${
						e.noShowRisk !== undefined ? ` × (1 − ${r4(e.noShowRisk)})` : ''
					} = ${r4(expected)} seats${scored ? '' : ` (no acceptance score; ${policy.defaultAcceptance} assumed)`}.`,
		];
		if (overbookedSeats > 0) reasons.push(`${overbookedSeats} seat(s) come from the overbooking allowance.`);
		return {
			entryId: e.id,
			index: eligible[p],
			partySize: e.partySize,
			rank: k + 1,
			acceptanceUsed: r4(used),
			acceptanceScored: scored,
			expectedSeats: r4(expected),
			overbookedSeats,
			reasons,
		};
	});
	for (const c of chosen) {
		nextRound.offered.push(c.entryId);
		nextRound.offeredSeats[c.entryId] = c.partySize;
	}
	return {
		...base,
		chosen,
		notChosen: eligible.length - chosen.length,
		expectedFilledSeats: r4(chosen.reduce((s, c) => s + c.expectedSeats, 0)),
		method,
		round: nextRound,
	};
}
