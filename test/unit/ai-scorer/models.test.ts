import { applyCalibration, fitIsotonic, fitPlatt } from '../../../nodes/AiScorer/models/calibration';
import { DEFAULT_REPEAT_PARAMS, expectedPurchases, probabilityAlive, probabilityRebook } from '../../../nodes/AiScorer/models/bgnbd';
import { TASKS } from '../../../nodes/AiScorer/models/features';
import { fitGbdt, gbdtRaw } from '../../../nodes/AiScorer/models/gbdt';
import { kmeans } from '../../../nodes/AiScorer/models/kmeans';
import { fitLogistic, logisticRaw } from '../../../nodes/AiScorer/models/logistic';
import { auc, calibrationReport, logLoss } from '../../../nodes/AiScorer/models/metrics';
import { defaultModel, parseModel, probability, train } from '../../../nodes/AiScorer/models/model';
import { createRng, sigmoid } from '../../../nodes/AiScorer/models/rng';
import { segmentCustomers } from '../../../nodes/AiScorer/models/segments';
import { syntheticBookings } from './synthetic';

function featurize(n: number, seed: number) {
	const data = syntheticBookings(n, seed);
	const spec = TASKS.noShow;
	const cols = spec.features.map(() => new Float64Array(n));
	const x = new Float64Array(spec.features.length);
	const y = new Float64Array(n);
	const truth = new Float64Array(n);
	data.forEach((d, i) => {
		spec.extract(d.json, x, Date.UTC(2025, 0, 1));
		x.forEach((v, f) => (cols[f][i] = v));
		y[i] = d.label;
		truth[i] = d.trueProbability;
	});
	return { cols, y, truth, data };
}

describe('metrics', () => {
	it('AUC counts ties as half and matches a hand computation', () => {
		expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 10);
		expect(auc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 10);
		expect(auc([0.2, 0.9], [0, 1])).toBe(1);
	});
	it('log loss and calibration report', () => {
		expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.log(2), 10);
		const rep = calibrationReport([0.05, 0.05, 0.95, 0.95], [0, 0, 1, 1]);
		expect(rep.ece).toBeCloseTo(0.05, 4);
		expect(rep.bins.map((b) => b.count)).toEqual([2, 2]);
	});
});

describe('logistic regression', () => {
	it('recovers the coefficients of a logistic model', () => {
		const rng = createRng(3);
		const n = 20000;
		const a = new Float64Array(n);
		const b = new Float64Array(n);
		const y = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			a[i] = rng() * 4 - 2;
			b[i] = rng() * 2;
			y[i] = rng() < sigmoid(-0.5 + 1.5 * a[i] - 1.0 * b[i]) ? 1 : 0;
		}
		const rows = Uint32Array.from({ length: n }, (_, i) => i);
		const m = fitLogistic([a, b], y, rows, { C: 1e6 });
		// Coefficients are on standardised features: convert back.
		expect(m.coefficients[0] / m.scales[0]).toBeCloseTo(1.5, 1);
		expect(m.coefficients[1] / m.scales[1]).toBeCloseTo(-1.0, 1);
		const contrib = new Float64Array(2);
		const z = logisticRaw(m, [m.means[0], m.means[1] + m.scales[1]], contrib);
		expect(contrib[0]).toBeCloseTo(0, 10);
		expect(z - m.intercept).toBeCloseTo(m.coefficients[1], 10);
	});
});

describe('gradient-boosted trees', () => {
	const train8k = featurize(8000, 11);
	const test4k = featurize(4000, 12);

	it('learns a non-linear model to near the optimal AUC, deterministically', () => {
		const rows = Uint32Array.from({ length: 8000 }, (_, i) => i);
		const fit = fitGbdt(train8k.cols, train8k.y, rows, { seed: 5, maxIter: 80 });
		const again = fitGbdt(train8k.cols, train8k.y, rows, { seed: 5, maxIter: 80 });
		expect(JSON.stringify(again.model)).toBe(JSON.stringify(fit.model));
		const x = new Float64Array(train8k.cols.length);
		const scores = Array.from({ length: 4000 }, (_, i) => {
			test4k.cols.forEach((c, f) => (x[f] = c[i]));
			return gbdtRaw(fit.model, x);
		});
		const optimum = auc(test4k.truth, test4k.y);
		const got = auc(scores, test4k.y);
		expect(got).toBeGreaterThan(optimum - 0.03);
		expect(got).toBeLessThanOrEqual(optimum + 0.02);
	});

	it('attributes the log-odds to features (contributions + base = raw score)', () => {
		const rows = Uint32Array.from({ length: 2000 }, (_, i) => i);
		const { model } = fitGbdt(train8k.cols, train8k.y, rows, { seed: 1, maxIter: 20, earlyStopping: false });
		const x = Float64Array.from(train8k.cols.map((c) => c[7]));
		const contrib = new Float64Array(x.length);
		const raw = gbdtRaw(model, x, contrib);
		const base = model.baseScore + model.trees.reduce((s, t) => s + t.value[0], 0);
		expect(base + contrib.reduce((s, v) => s + v, 0)).toBeCloseTo(raw, 8);
		expect(gbdtRaw(model, x)).toBeCloseTo(raw, 10);
	});

	it('sends missing values left and scores NaN without throwing', () => {
		const rows = Uint32Array.from({ length: 2000 }, (_, i) => i);
		const { model } = fitGbdt(train8k.cols, train8k.y, rows, { seed: 1, maxIter: 5, earlyStopping: false });
		const p = sigmoid(gbdtRaw(model, new Float64Array(12).fill(Number.NaN)));
		expect(p).toBeGreaterThan(0);
		expect(p).toBeLessThan(1);
	});
});

describe('train()', () => {
	it('reports held-out metrics, beats the default prior and round-trips through JSON', () => {
		const { cols, y } = featurize(6000, 21);
		const res = train('noShow', cols, y, { algorithm: 'gbdt', holdoutFraction: 0.25, calibration: 'auto', seed: 3, gbdt: { maxIter: 60, earlyStopping: true } });
		expect(res.metrics.testRows).toBe(1500);
		// The synthetic truth is close to the documented prior, so training must at least match it.
		expect(res.metrics.auc).toBeGreaterThan((res.metrics.defaultPriorAuc ?? 1) - 0.01);
		expect(res.metrics.auc).toBeGreaterThan(0.72);
		expect(res.metrics.calibration.ece).toBeLessThan(0.05);
		// 'auto' picks the method with the lowest cross-fitted log loss on the calibration fold.
		const losses = res.metrics.calibrationLogLoss as Record<string, number>;
		expect(res.model.calibration?.kind).toBe(res.metrics.calibrationMethod);
		expect(losses[res.metrics.calibrationMethod]).toBe(Math.min(...Object.values(losses)));
		const parsed = parseModel(JSON.stringify(res.model), 'noShow');
		const x = Float64Array.from(cols.map((c) => c[0]));
		expect(probability(parsed, x)).toBeCloseTo(probability(parseModel(res.model, 'noShow'), x), 12);
		expect(() => parseModel(res.model, 'rebook')).toThrow(/trained for "noShow"/);
	});

	it('early-stops the trees on the calibration fold by default, also below 10,000 rows', () => {
		const { cols, y } = featurize(6000, 21);
		const base = { algorithm: 'gbdt' as const, holdoutFraction: 0.2, calibration: 'none' as const, seed: 3 };
		const stopped = train('noShow', cols, y, { ...base, gbdt: { maxIter: 300 } });
		const full = train('noShow', cols, y, { ...base, gbdt: { maxIter: 300, earlyStopping: false } });
		// 300 trees of 31 leaves on 4,320 rows overfit; the stopped model keeps fewer and scores better.
		expect(stopped.metrics.iterations).toBeLessThan(150);
		expect(full.metrics.iterations).toBe(300);
		// The final fit on all 6,000 rows grows the stopped count in proportion to its rows (4,320 fitted).
		expect(stopped.model.gbdt?.trees.length).toBe(Math.min(300, Math.round(((stopped.metrics.iterations ?? 0) * 6000) / 4320)));
		expect(stopped.metrics.finalTrees).toBe(stopped.model.gbdt?.trees.length);
		expect(stopped.metrics.logLoss).toBeLessThan(full.metrics.logLoss);
	});

	it('does not early-stop when the fold holds fewer than 10 rows of an outcome', () => {
		// 400 rows, ~4% positive: the 10% fold of the earlier rows has a handful of positives at most.
		const rng = createRng(9);
		const n = 400;
		const cols = [Float64Array.from({ length: n }, () => rng())];
		const y = Float64Array.from({ length: n }, (_, i) => (i % 25 === 0 ? 1 : 0));
		const res = train('noShow', cols, y, { algorithm: 'gbdt', holdoutFraction: 0.2, calibration: 'none', seed: 1, gbdt: { maxIter: 7, minSamplesLeaf: 5 } });
		expect(res.metrics.iterations).toBe(7);
	});

	it('the default prior is a logistic model on the documented features', () => {
		const m = defaultModel('noShow');
		expect(m.trained).toBe(false);
		expect(m.features).toEqual(TASKS.noShow.features.map((f) => f.name));
		// At the reference profile the prior returns its base rate.
		expect(probability(m, m.logistic!.means)).toBeCloseTo(0.06, 6);
	});
});

describe('calibration', () => {
	it('Platt maps an overconfident score back to observed rates', () => {
		const rng = createRng(9);
		const raw: number[] = [];
		const y: number[] = [];
		for (let i = 0; i < 5000; i++) {
			const z = rng() * 6 - 3;
			raw.push(z * 3);
			y.push(rng() < sigmoid(z) ? 1 : 0);
		}
		const cal = fitPlatt(raw, y);
		expect(cal.kind === 'platt' && cal.a).toBeCloseTo(1 / 3, 1);
		const iso = fitIsotonic(raw, y);
		expect(applyCalibration(iso, -9)).toBeLessThan(applyCalibration(iso, 9));
	});
});

describe('repeat-purchase model', () => {
	it('recent frequent customers are likelier alive than lapsed ones', () => {
		const p = DEFAULT_REPEAT_PARAMS;
		expect(probabilityAlive(p, 3, 700, 730)).toBeGreaterThan(probabilityAlive(p, 3, 100, 730));
		expect(probabilityAlive(p, 0, 0, 30)).toBeGreaterThan(probabilityAlive(p, 0, 0, 1000));
		expect(expectedPurchases(p, 4, 350, 365, 365)).toBeGreaterThan(expectedPurchases(p, 0, 0, 365, 365));
		const r = probabilityRebook(p, 2, 300, 365, 365);
		expect(r).toBeGreaterThan(0);
		expect(r).toBeLessThan(1);
	});
});

describe('k-means++ and segments', () => {
	it('is deterministic and independent of input order', () => {
		const rng = createRng(4);
		const rows = Array.from({ length: 60 }, (_, i) => {
			const g = i % 3;
			return [Math.log1p(200 + g * 800 + rng() * 50), 1 + g, g === 0 ? 4 : 1, Math.log1p(g === 2 ? 1 : 20), Math.log1p(g === 1 ? 400 : 50), g === 0 ? 1 : 0, 0, 0, 0, g === 0 ? 1 : 0, g === 1 ? 1 : 0];
		});
		const keys = rows.map((_, i) => `c${String(i).padStart(3, '0')}`);
		const a = segmentCustomers(rows, keys, 3);
		const perm = rows.map((_, i) => i).reverse();
		const b = segmentCustomers(perm.map((i) => rows[i]), perm.map((i) => keys[i]), 3);
		const namesA = a.assignment.map((s) => a.segments[s].name);
		const namesB = perm.map((_, pos) => b.segments[b.assignment[pos]].name).reverse();
		expect(namesB).toEqual(namesA);
		expect(new Set(namesA)).toEqual(new Set(['Adventure Families', 'Solo Luxury Travelers', 'Last-Minute Bookers']));
		expect(kmeans([[0], [0.1], [10], [10.2]], 2).inertia).toBeCloseTo(0.025, 6);
	});
});
