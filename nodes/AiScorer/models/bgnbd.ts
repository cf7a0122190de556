/**
 * MBG/NBD repeat-purchase model (Batislam, Denizel & Filiztekin 2007; the BG/NBD of Fader, Hardie &
 * Lee 2005 with a possible dropout right after the first booking too, so one-time customers can be
 * "dead" — most tour customers book once). While alive a customer books at a Poisson rate drawn from
 * Gamma(r, alpha); at each booking they drop out with a probability drawn from Beta(a, b).
 * Time unit: days. Default parameters are priors for tour customers, see MODELS.md.
 */
export interface RepeatPurchaseParams {
	r: number;
	alpha: number;
	a: number;
	b: number;
}

export const DEFAULT_REPEAT_PARAMS: RepeatPurchaseParams = { r: 0.6, alpha: 250, a: 0.9, b: 2.0 };

/** Gauss hypergeometric 2F1(a, b; c; z) by its series, 0 <= z < 1. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
	let term = 1;
	let sum = 1;
	for (let k = 0; k < 5000; k++) {
		term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
		sum += term;
		if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
	}
	return sum;
}

function deadOdds(p: RepeatPurchaseParams, x: number, tx: number, T: number): number {
	return (p.a / (p.b + x)) * Math.pow((p.alpha + T) / (p.alpha + tx), p.r + x);
}

/** x = repeat bookings (after the first), tx = days from first to last booking, T = days from first booking to now. */
export function probabilityAlive(p: RepeatPurchaseParams, x: number, tx: number, T: number): number {
	return 1 / (1 + deadOdds(p, x, tx, T));
}

/** Expected bookings in the next t days. */
export function expectedPurchases(p: RepeatPurchaseParams, x: number, tx: number, T: number, t: number): number {
	const { r, alpha, a, b } = p;
	const z = t / (alpha + T + t);
	const lead = (a + b + x) / (a - 1);
	const body = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z);
	return Math.max(0, (lead * body) / (1 + deadOdds(p, x, tx, T)));
}

/**
 * Probability of at least one booking in the next t days: alive now, and at least one Poisson event
 * at the posterior Gamma(r + x, alpha + T) rate (dropout inside the horizon ignored: a small upward bias).
 */
export function probabilityRebook(p: RepeatPurchaseParams, x: number, tx: number, T: number, t: number): number {
	const noEvent = Math.pow((p.alpha + T) / (p.alpha + T + t), p.r + x);
	return probabilityAlive(p, x, tx, T) * (1 - noEvent);
}

/** Gamma-Gamma style shrinkage of a customer's average booking value towards the population mean. */
export function shrunkValue(average: number, bookings: number, populationMean: number, strength = 2): number {
	if (!Number.isFinite(average) || !(bookings > 0)) return populationMean;
	return (bookings * average + strength * populationMean) / (bookings + strength);
}
