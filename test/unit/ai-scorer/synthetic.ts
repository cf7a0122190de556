/**
 * Synthetic booking history drawn from a known no-show model, so the best achievable AUC is known:
 * it is the AUC of the true probabilities. Used by the unit tests (small) and the quality and speed
 * benchmarks (bundled with esbuild). The true model has non-linear terms and an interaction, which
 * trees can learn and a linear model only approximates.
 */
import type { IDataObject } from 'n8n-workflow';

import { createRng, sigmoid } from '../../../nodes/AiScorer/models/rng';

export interface SyntheticBooking {
	json: IDataObject;
	label: number;
	trueProbability: number;
}

function poisson(rng: () => number, mean: number): number {
	let k = 0;
	let p = Math.exp(-mean);
	let s = p;
	const u = rng();
	while (u > s && k < 20) {
		k++;
		p *= mean / k;
		s += p;
	}
	return k;
}

const CHANNELS = ['website', 'website', 'website', 'phone', 'viator', 'getyourguide'];

export function trueNoShowLogit(f: { lead: number; party: number; ppp: number; weekend: number; hour: number; prior: number; noShows: number; cancels: number; opened: boolean | undefined; weather: number; reseller: number; balance: number }): number {
	let z = -3.1;
	z += 0.35 * Math.log1p(f.lead);
	z += f.lead < 1 ? 0.6 : 0; // same-day bookings flake more: a step a linear model misses
	z += -0.12 * (f.party - 2);
	z += -0.5 * (Math.log1p(f.ppp) - Math.log1p(60));
	z += f.hour < 9 ? 0.7 : f.hour >= 17 ? 0.3 : 0;
	z += -0.15 * f.weekend;
	z += f.prior === 0 ? 0.5 : 0;
	z += 1.0 * Math.min(f.noShows, 3);
	z += 0.3 * f.cancels;
	z += f.opened === undefined ? 0 : f.opened ? -0.9 : 0.4;
	z += 1.5 * f.weather + (f.weather > 0.5 && f.reseller ? 0.8 : 0);
	z += 0.45 * f.reseller;
	z += 0.5 * f.balance;
	return z;
}

export function syntheticBookings(n: number, seed = 1): SyntheticBooking[] {
	const rng = createRng(seed);
	const out: SyntheticBooking[] = [];
	const base = Date.UTC(2025, 0, 1);
	for (let i = 0; i < n; i++) {
		const lead = rng() < 0.15 ? rng() * 1 : -Math.log(1 - rng()) * 18;
		const party = 1 + Math.floor(-Math.log(1 - rng()) * 1.6);
		const ppp = 25 + Math.floor(rng() * rng() * 250);
		const start = base + Math.floor(rng() * 365) * 86400000 + (7 + Math.floor(rng() * 12)) * 3600000;
		const hour = new Date(start).getUTCHours();
		const day = new Date(start).getUTCDay();
		const prior = rng() < 0.6 ? 0 : 1 + poisson(rng, 1.5);
		const noShows = prior ? poisson(rng, 0.15 * prior) : 0;
		const cancels = prior ? poisson(rng, 0.2 * prior) : 0;
		const openedRoll = rng();
		const opened = openedRoll < 0.1 ? undefined : openedRoll < 0.7;
		const weather = rng() < 0.75 ? rng() * 0.3 : 0.3 + rng() * 0.7;
		const channel = CHANNELS[Math.floor(rng() * CHANNELS.length)];
		const reseller = /viator|getyourguide/.test(channel) ? 1 : 0;
		const balance = rng() < 0.2 ? 1 : 0;
		const z = trueNoShowLogit({ lead, party, ppp, weekend: day === 0 || day === 6 ? 1 : 0, hour, prior, noShows, cancels, opened, weather, reseller, balance });
		const p = sigmoid(z);
		const label = rng() < p ? 1 : 0;
		const purchased = start - lead * 86400000;
		out.push({
			json: {
				id: `bk_${i}`,
				startsAt: new Date(start).toISOString().replace('.000Z', 'Z'),
				purchasedAt: new Date(purchased).toISOString(),
				partySize: party,
				total: { amount: ppp * party, currency: 'USD' },
				balance: { amount: balance ? ppp : 0, currency: 'USD' },
				marketing: { channel },
				customerHistory: { priorBookings: prior, priorNoShows: noShows, priorCancellations: cancels },
				...(opened === undefined ? {} : { openedConfirmation: opened }),
				weatherRisk: Math.round(weather * 1000) / 1000,
				noShow: label === 1,
			},
			label,
			trueProbability: p,
		});
	}
	return out;
}
