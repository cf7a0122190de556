/** Plain data in and out of the decision core: no n8n types, so the core runs anywhere (tests, benches). */

export type RankingPolicy = 'fifo' | 'score' | 'hybrid';
export type GovernanceMode = 'shadow' | 'assisted' | 'autonomous';

/** One waitlist entry after the real-world input was read (see entries.ts). */
export interface Entry {
	id: string;
	partySize: number;
	/** Epoch ms when the entry joined the waitlist. */
	createdAt: number;
	hasContact: boolean;
	/** Would take another slot than the one asked for. */
	flexible: boolean;
	/** The slot the entry asked for, when it names one. */
	desiredSlot?: string;
	alreadyBooked: boolean;
	/** P(accepts the offer) from the AI Scorer or another model. */
	acceptance?: number;
	/** P(no-show once booked). */
	noShowRisk?: number;
	/** Booking value of the promotion (money, the slot's currency). */
	value?: number;
	/**
	 * The contact, normalized (lowercased email, or tel:digits), to see the same person twice. Kept in
	 * memory only: outputs and audit records carry its hash (shared/pii customerKey), never this.
	 */
	contactKey?: string;
}

export interface ConfirmedBooking {
	partySize: number;
	noShowRisk: number;
	contactKey?: string;
}

export interface Policy {
	ranking: RankingPolicy;
	/** Hybrid: width of a score band (0.2 → bands [0, 0.2), [0.2, 0.4), …). */
	bandWidth: number;
	maxPromotions: number;
	/** Acceptance assumed for an entry without a score (score and hybrid). */
	defaultAcceptance: number;
	overbooking: { enabled: boolean; maxOverflowProbability: number };
}

/** The cascade's state. It travels in the items (never in node memory), so it survives Wait nodes and queue mode. */
export interface RoundState {
	slotKey: string;
	/** Seats freed for this round (before overbooking). */
	freedSeats: number;
	/** Extra seats allowed by the overbooking rule when the round was planned. */
	extraSeats: number;
	/** Every entry offered (or sent for approval) in this round: never offered again. */
	offered: string[];
	/** Party size per offered entry, so held seats are known without the waitlist. */
	offeredSeats: Record<string, number>;
	declined: string[];
	expired: string[];
	accepted: string[];
	/** Ids of the events (cancellations, scans) already counted into freedSeats: a repeat adds nothing. */
	events?: string[];
}

export interface DecideInput {
	slotKey: string;
	/** Freed seats; null when the slot's capacity is unknown. */
	freedSeats: number | null;
	entries: Entry[];
	confirmed: ConfirmedBooking[];
	policy: Policy;
	round?: RoundState;
	/** Use this overbooking allowance instead of recomputing it (a cascade keeps the plan's). */
	extraSeatsOverride?: number;
}

export type SkipCode =
	| 'duplicate_entry'
	| 'duplicate_customer'
	| 'already_booked'
	| 'already_offered'
	| 'no_contact'
	| 'other_slot';

export interface Skipped {
	entryId: string;
	/** Index in DecideInput.entries. */
	index: number;
	code: SkipCode;
	reason: string;
}

export interface Choice {
	entryId: string;
	index: number;
	partySize: number;
	/** 1-based place in the offer order (longest waiting first among the chosen). */
	rank: number;
	/** Acceptance used by the objective (1 for FIFO; the band's midpoint for hybrid). */
	acceptanceUsed: number;
	acceptanceScored: boolean;
	/** size × acceptance × (1 − no-show risk), the entry's share of the objective. */
	expectedSeats: number;
	/** Seats of this offer beyond the freed ones, i.e. taken from the overbooking allowance. */
	overbookedSeats: number;
	reasons: string[];
}

export interface Decision {
	slotKey: string;
	/** Why nothing at all can be offered for the slot (capacity unknown, no seats left, …). */
	slotReason?: string;
	policy: RankingPolicy;
	capacity: {
		freedSeats: number | null;
		heldByEarlierOffers: number;
		extraSeats: number;
		seatsToOffer: number;
		promotionsLeft: number;
	};
	overbooking?: import('./overbooking').OverbookingArithmetic;
	chosen: Choice[];
	skipped: Skipped[];
	/** Eligible entries not chosen (did not fit, or a better set existed). */
	notChosen: number;
	expectedFilledSeats: number;
	/** Algorithm used and the number of candidates it ran over. */
	method: string;
	round: RoundState;
}
