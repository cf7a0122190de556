import type { Choice, Decision, Entry, GovernanceMode } from './types';

/**
 * Who carries out a chosen offer: the flow at once ("promote now") or a person first ("needs approval").
 *
 * - shadow: routed as autonomous would, but every item is marked `shadow: true`, so the pack's Peek Pro
 *   and Klaviyo nodes downstream send nothing; the operator reads what would have happened.
 * - assisted: every promotion needs approval.
 * - autonomous: approval only when a rule below says so.
 *
 * Confidence of an offer is the lowest of the signals it has: the entry's acceptance score, 1 − its
 * no-show risk, and, when it uses overbooking seats, 1 − P(guests > seats). An entry with no signal at
 * all (plain FIFO) has no confidence figure and is not held back for it: FIFO is a rule, not a guess.
 */
export interface ApprovalRules {
	confidenceThreshold: number;
	/** 0 = no limit. */
	maxPartySize: number;
	/** 0 = no limit. */
	maxBookingValue: number;
	/** Slot keys, or dates (YYYY-MM-DD) matched against the slot key's and start time's date. */
	blackout: string[];
}

export interface Routed {
	route: 'promote' | 'approval';
	confidence: number | null;
	reasons: string[];
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function isBlackedOut(blackout: readonly string[], slotKey: string, startsAt?: string): string | undefined {
	for (const raw of blackout) {
		const b = raw.trim();
		if (!b) continue;
		if (b === slotKey || (startsAt && startsAt.slice(0, 10) === b) || slotKey.slice(0, 10) === b) return b;
	}
	return undefined;
}

export function routeChoices(
	decision: Decision,
	entries: readonly Entry[],
	mode: GovernanceMode,
	rules: ApprovalRules,
	slotStartsAt?: string,
): Routed[] {
	const blackout = isBlackedOut(rules.blackout, decision.slotKey, slotStartsAt);
	const steps = decision.overbooking?.overflowProbabilityByExtraSeats ?? [];
	let overbookedSoFar = 0;
	return decision.chosen.map((choice: Choice) => {
		const entry = entries[choice.index];
		const signals: number[] = [];
		if (choice.acceptanceScored && entry.acceptance !== undefined) signals.push(entry.acceptance);
		if (entry.noShowRisk !== undefined) signals.push(1 - entry.noShowRisk);
		overbookedSoFar += choice.overbookedSeats;
		if (choice.overbookedSeats > 0) {
			const step = steps[overbookedSoFar - 1];
			signals.push(1 - (step ? step.overflowProbability : 1));
		}
		const confidence = signals.length ? r4(Math.min(...signals)) : null;
		const holds: string[] = [];
		if (mode === 'assisted') holds.push('Assisted mode: every promotion needs approval.');
		else {
			if (confidence !== null && confidence < rules.confidenceThreshold) {
				holds.push(`Confidence ${confidence} is below the threshold ${rules.confidenceThreshold}.`);
			}
			if (rules.maxPartySize > 0 && choice.partySize > rules.maxPartySize) {
				holds.push(`Party of ${choice.partySize} is above the limit of ${rules.maxPartySize} for automatic promotion.`);
			}
			if (rules.maxBookingValue > 0 && entry.value !== undefined && entry.value > rules.maxBookingValue) {
				holds.push(`Booking value ${entry.value} is above the limit of ${rules.maxBookingValue} for automatic promotion.`);
			}
			if (blackout) holds.push(`The slot is in the blackout list (${blackout}).`);
		}
		const reasons = [...choice.reasons];
		if (holds.length) return { route: 'approval', confidence, reasons: [...reasons, ...holds] };
		reasons.push(
			mode === 'shadow'
				? 'Shadow mode: decided as autonomous would, marked shadow so nothing downstream sends.'
				: `Autonomous mode: no approval rule applies${confidence !== null ? ` (confidence ${confidence})` : ''}.`,
		);
		return { route: 'promote', confidence, reasons };
	});
}
