/**
 * Aggregates attributed bookings and ad spend per channel or campaign (optionally per day), and finds
 * anomalies in the daily series against a robust baseline.
 *
 * Baseline: the median and the median absolute deviation (MAD) of the previous `windowDays` days of
 * the same campaign (the day under test excluded), scaled by 1.4826 so it estimates a standard
 * deviation for normal data; robust z = (x − median) / (1.4826·MAD) (Iglewicz & Hoaglin's modified
 * z-score; flagged beyond ±3.5 by default). The median and MAD ignore up to half the history being
 * outliers, so last month's one-off promotion does not hide today's spike, as a mean and standard
 * deviation would. When MAD is 0 (a flat history) the scale falls back to 1.2533 × the mean absolute
 * deviation, and when that is 0 too, to 10% of the median (or 1 unit), so a flat series still flags
 * a real jump but not noise.
 */

export interface DailyRow {
	date: string;
	key: string;
	spend: number;
	bookings: number;
	revenue: number;
}

export function median(xs: number[]): number {
	if (!xs.length) return Number.NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Baseline {
	median: number;
	mad: number;
	scale: number;
	scaleFrom: 'mad' | 'meanAbsoluteDeviation' | 'floor';
	days: number;
}

export function robustBaseline(history: number[]): Baseline {
	const med = median(history);
	const dev = history.map((x) => Math.abs(x - med));
	const mad = median(dev);
	if (mad > 0) return { median: med, mad, scale: 1.4826 * mad, scaleFrom: 'mad', days: history.length };
	const meanAd = dev.reduce((s, x) => s + x, 0) / (dev.length || 1);
	if (meanAd > 0) return { median: med, mad, scale: 1.2533 * meanAd, scaleFrom: 'meanAbsoluteDeviation', days: history.length };
	return { median: med, mad, scale: Math.max(Math.abs(med) * 0.1, 1), scaleFrom: 'floor', days: history.length };
}

export function robustZ(x: number, b: Baseline): number {
	return (x - b.median) / b.scale;
}

export interface AnomalyOptions {
	windowDays: number;
	minHistoryDays: number;
	zThreshold: number;
	/** A campaign is "high-ROAS" when its baseline ROAS (median) is at least this. */
	highRoas: number;
}

export interface Anomaly {
	type: 'spendSpikeWithoutBookings' | 'highRoasDrop';
	key: string;
	date: string;
	message: string;
	evidence: Record<string, unknown>;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Every anomaly on the days of `rows` (one row per key and day) that have enough history before them. */
export function findAnomalies(rows: DailyRow[], opts: AnomalyOptions, onlyDate?: string): Anomaly[] {
	const byKey = new Map<string, DailyRow[]>();
	for (const r of rows) {
		const list = byKey.get(r.key) ?? [];
		list.push(r);
		byKey.set(r.key, list);
	}
	const out: Anomaly[] = [];
	for (const [key, list] of byKey) {
		list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
		for (let i = 0; i < list.length; i++) {
			const day = list[i];
			if (onlyDate && day.date !== onlyDate) continue;
			const from = Date.parse(day.date) - opts.windowDays * 86_400_000;
			const hist = list.slice(0, i).filter((h) => Date.parse(h.date) >= from);
			if (hist.length < opts.minHistoryDays) continue;
			const spendB = robustBaseline(hist.map((h) => h.spend));
			const bookB = robustBaseline(hist.map((h) => h.bookings));
			const zSpend = robustZ(day.spend, spendB);
			const zBook = robustZ(day.bookings, bookB);
			const window = { from: hist[0].date, to: hist[hist.length - 1].date, days: hist.length };
			// Spend far above its usual level while bookings stay at or below theirs.
			if (zSpend > opts.zThreshold && zBook <= 0.5) {
				out.push({
					type: 'spendSpikeWithoutBookings',
					key,
					date: day.date,
					message: `${key} spent ${r2(day.spend)} on ${day.date}, ${r2(zSpend)} robust deviations above its median of ${r2(spendB.median)}, with ${r2(day.bookings)} bookings (median ${r2(bookB.median)})`,
					evidence: { spend: r2(day.spend), bookings: r2(day.bookings), spendBaseline: round(spendB), bookingsBaseline: round(bookB), spendZ: r2(zSpend), bookingsZ: r2(zBook), window },
				});
			}
			const roasHist = hist.filter((h) => h.spend > 0).map((h) => h.revenue / h.spend);
			if (roasHist.length >= opts.minHistoryDays && day.spend > 0) {
				const roasB = robustBaseline(roasHist);
				const roas = day.revenue / day.spend;
				const zRoas = robustZ(roas, roasB);
				if (roasB.median >= opts.highRoas && zRoas < -opts.zThreshold) {
					out.push({
						type: 'highRoasDrop',
						key,
						date: day.date,
						message: `${key} returned ${r2(roas)}× its spend on ${day.date} against a usual ${r2(roasB.median)}× (${r2(zRoas)} robust deviations)`,
						evidence: { roas: r2(roas), spend: r2(day.spend), revenue: r2(day.revenue), roasBaseline: round(roasB), roasZ: r2(zRoas), window },
					});
				}
			}
		}
	}
	return out;
}

function round(b: Baseline): Record<string, unknown> {
	return { median: r2(b.median), mad: r2(b.mad), scale: r2(b.scale), scaleFrom: b.scaleFrom, days: b.days };
}
