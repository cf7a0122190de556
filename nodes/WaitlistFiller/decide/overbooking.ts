/**
 * Overbooking allowance from the no-show risk of a slot's confirmed bookings.
 *
 * Model: each confirmed party i no-shows as a whole with probability p_i (a party travels together),
 * independently of the others. The number of no-show SEATS is then N = Σ size_i · X_i with
 * X_i ~ Bernoulli(p_i): a Poisson-binomial weighted by party size. Its exact distribution comes from
 * a dynamic programme over parties: dist_0 = [1]; dist_i[s] = dist_{i-1}[s]·(1-p_i) + dist_{i-1}[s-size_i]·p_i.
 * Cost O(B · S) for B parties and S confirmed seats.
 *
 * Offering k seats more than are free overflows the slot exactly when fewer than k confirmed seats
 * are left empty: guests = (confirmed − N) + (free + k) > seats = confirmed + free ⇔ N < k. So the
 * allowance is the largest k with P(N < k) = P(N ≤ k−1) ≤ cap. Promoted guests are counted as if they
 * all show: they just said yes to a last-minute offer, and counting them as certain keeps the bound
 * on the risk conservative (the real overflow probability can only be lower).
 */

export interface ConfirmedParty {
	partySize: number;
	noShowRisk: number;
}

export interface OverbookingArithmetic {
	/** The cap the operator set on P(guests > seats). */
	cap: number;
	confirmedSeats: number;
	/** P(N = s) for s = 0..confirmedSeats, rounded to 6 decimals for display. */
	noShowSeatDistribution: number[];
	/** Expected no-show seats E[N]. */
	expectedNoShowSeats: number;
	/** For k = 1, 2, …: P(guests > seats) if k extra seats were offered, up to the first k over the cap. */
	overflowProbabilityByExtraSeats: Array<{ extraSeats: number; overflowProbability: number; withinCap: boolean }>;
	extraSeats: number;
	/** One sentence with the numbers, for the output and the audit record. */
	explanation: string;
}

export function noShowSeatDistribution(parties: ConfirmedParty[]): Float64Array {
	const total = parties.reduce((s, p) => s + p.partySize, 0);
	let dist = new Float64Array(total + 1);
	dist[0] = 1;
	let reach = 0;
	for (const party of parties) {
		const p = Math.min(1, Math.max(0, party.noShowRisk));
		const next = new Float64Array(total + 1);
		for (let s = 0; s <= reach; s++) {
			const mass = dist[s];
			if (mass === 0) continue;
			next[s] += mass * (1 - p);
			next[s + party.partySize] += mass * p;
		}
		reach += party.partySize;
		dist = next;
	}
	return dist;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function overbookingAllowance(parties: ConfirmedParty[], cap: number): OverbookingArithmetic {
	const dist = noShowSeatDistribution(parties);
	const confirmedSeats = dist.length - 1;
	const steps: OverbookingArithmetic['overflowProbabilityByExtraSeats'] = [];
	let extra = 0;
	let below = 0; // P(N < k), built up as P(N ≤ k − 1)
	for (let k = 1; k <= confirmedSeats; k++) {
		below += dist[k - 1];
		const within = below <= cap + 1e-12;
		steps.push({ extraSeats: k, overflowProbability: r6(below), withinCap: within });
		if (!within) break;
		extra = k;
	}
	const expected = Array.from(dist).reduce((s, pr, seats) => s + pr * seats, 0);
	const last = steps[steps.length - 1];
	const explanation =
		confirmedSeats === 0
			? 'No confirmed bookings with a no-show risk: no overbooking.'
			: `${parties.length} confirmed parties, ${confirmedSeats} seats, expected no-show seats ${r6(expected)}. ` +
				(extra === 0
					? `One extra seat would overflow with P(N < 1) = P(N = 0) = ${last ? last.overflowProbability : 1} > cap ${cap}: no extra seats.`
					: `${extra} extra seat(s): P(guests > seats) = P(N < ${extra}) = ${steps[extra - 1].overflowProbability} ≤ cap ${cap}` +
						(steps.length > extra ? `; ${extra + 1} would give ${steps[extra].overflowProbability} > cap.` : '.'));
	return {
		cap,
		confirmedSeats,
		noShowSeatDistribution: Array.from(dist, r6),
		expectedNoShowSeats: r6(expected),
		overflowProbabilityByExtraSeats: steps,
		extraSeats: extra,
		explanation,
	};
}
