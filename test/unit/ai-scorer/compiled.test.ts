/**
 * The compiled forest (flat typed arrays, cached per model) must score exactly as the reference walk
 * over the stored trees: same log-odds and same per-feature contributions, bit for bit, so the speed-up
 * changes no score, risk band or reason. Likewise the top-k reason selection against the sorted one.
 */
import { TASKS } from '../../../nodes/AiScorer/models/features';
import { compileGbdt, fitGbdt, gbdtRaw, gbdtRawReference, type GbdtModel } from '../../../nodes/AiScorer/models/gbdt';
import { parseModel, probability, reasons, reasonsBySort, reasonSentence, train } from '../../../nodes/AiScorer/models/model';
import { applyCalibration, type Calibration } from '../../../nodes/AiScorer/models/calibration';
import { createRng } from '../../../nodes/AiScorer/models/rng';
import { syntheticBookings } from './synthetic';

const spec = TASKS.noShow;
const NF = spec.features.length;

function featurize(n: number, seed: number) {
	const data = syntheticBookings(n, seed);
	const cols = spec.features.map(() => new Float64Array(n));
	const x = new Float64Array(NF);
	const y = new Float64Array(n);
	data.forEach((d, i) => {
		spec.extract(d.json, x, Date.UTC(2025, 0, 1));
		x.forEach((v, f) => (cols[f][i] = v));
		y[i] = d.label;
	});
	return { cols, y };
}

const { cols, y } = featurize(6000, 11);
const allRows = Uint32Array.from({ length: y.length }, (_, i) => i);

/** Rows that hit the edges: values exactly on thresholds, missing, ±Infinity, far out of range. */
function randomRows(model: GbdtModel, count: number, seed: number): Float64Array[] {
	const rng = createRng(seed);
	const thresholds: number[][] = Array.from({ length: NF }, () => []);
	for (const t of model.trees) t.feature.forEach((f, k) => f >= 0 && thresholds[f].push(Number(t.threshold[k])));
	const rows: Float64Array[] = [];
	for (let i = 0; i < count; i++) {
		const x = new Float64Array(NF);
		const r = Math.floor(rng() * y.length);
		for (let f = 0; f < NF; f++) {
			const u = rng();
			const ths = thresholds[f].filter((v) => Number.isFinite(v));
			if (u < 0.1) x[f] = Number.NaN;
			else if (u < 0.3 && ths.length) x[f] = ths[Math.floor(rng() * ths.length)];
			else if (u < 0.33) x[f] = rng() < 0.5 ? -Infinity : Infinity;
			else if (u < 0.4) x[f] = (rng() - 0.5) * 1e4;
			else x[f] = cols[f][r];
		}
		rows.push(x);
	}
	return rows;
}

function expectSameAsReference(model: GbdtModel, rows: Float64Array[]) {
	let compared = 0;
	for (const x of rows) {
		const c1 = new Float64Array(NF);
		const c2 = new Float64Array(NF);
		const z = gbdtRaw(model, x, c1);
		expect(z).toBe(gbdtRawReference(model, x, c2));
		expect(Array.from(c1)).toEqual(Array.from(c2));
		expect(gbdtRaw(model, x)).toBe(gbdtRawReference(model, x));
		compared++;
	}
	expect(compared).toBe(rows.length);
}

describe('compiled tree scoring', () => {
	it('gives bit-identical log-odds and contributions to the reference walk on random rows', () => {
		const { model } = fitGbdt(cols, y, allRows, { seed: 3, maxIter: 40, earlyStopping: false });
		const rows = randomRows(model, 3000, 99);
		expectSameAsReference(model, rows);
		// The contributions are real (not all zero) and add up to the log-odds, as Saabas promises.
		const contrib = new Float64Array(NF);
		const z = gbdtRaw(model, rows[0], contrib);
		expect(contrib.some((v) => v !== 0)).toBe(true);
		const rootSum = model.trees.reduce((s, t) => s + t.value[0], model.baseScore);
		expect(rootSum + contrib.reduce((s, v) => s + v, 0)).toBeCloseTo(z, 9);
	});

	it('scores a Train model read back from JSON exactly as the reference (probability included)', () => {
		const res = train('noShow', cols, y, { algorithm: 'gbdt', holdoutFraction: 0.2, calibration: 'auto', seed: 4, gbdt: { maxIter: 30 } });
		const parsed = parseModel(JSON.stringify(res.model), 'noShow');
		const gbdt = parsed.gbdt as unknown as GbdtModel;
		// Missing-only splits are stored as null in JSON: make sure the test covers at least the format.
		expect(JSON.stringify(res.model)).toContain('"threshold"');
		const rows = randomRows(gbdt, 1000, 7);
		expectSameAsReference(gbdt, rows);
		for (const x of rows.slice(0, 200)) {
			const c = new Float64Array(NF);
			const expected = applyCalibration(parsed.calibration as Calibration, gbdtRawReference(gbdt, x, new Float64Array(NF)));
			expect(probability(parsed, x, c)).toBe(expected);
		}
		// Compiled once per model object.
		expect(compileGbdt(gbdt)).toBe(compileGbdt(gbdt));
	});

	it('scores trees of any size (here up to 48 leaves) exactly as the reference', () => {
		const { model } = fitGbdt(cols, y, allRows, { seed: 8, maxIter: 10, maxLeafNodes: 48, minSamplesLeaf: 5, earlyStopping: false });
		expect(Math.max(...model.trees.map((t) => t.feature.filter((f) => f < 0).length))).toBeGreaterThan(32);
		expectSameAsReference(model, randomRows(model, 1000, 21));
	});

	it('handles hand-written trees: children in any order, missing-only (null) splits, deeper nodes first', () => {
		const json = {
			baseScore: -1,
			trees: [
				// root splits feature 2 at 0.5; its children are stored out of order (right at 1, left at 4)
				{ feature: [2, 0, -1, -1, 1, -1, -1], threshold: [0.5, null, 0, 0, 3, 0, 0], left: [4, 3, -1, -1, 5, -1, -1], right: [1, 2, -1, -1, 6, -1, -1], value: [0.1, 0.3, 0.7, -0.2, -0.1, -0.4, 0.2] },
				{ feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0.05] },
			],
		};
		const model = { baseScore: json.baseScore, trees: json.trees.map((t) => ({ ...t, threshold: t.threshold.map((v) => (v === null ? -Infinity : v)) })) };
		const cases: number[][] = [
			[0, 0, 0.5],
			[0, 0, 0.6],
			[Number.NaN, 0, 0.6],
			[1, 0, 0.6],
			[0, 3, 0.1],
			[0, 3.01, 0.1],
			[0, Number.NaN, Number.NaN],
		];
		const rows = cases.map((c) => Float64Array.from([...c, ...new Array(NF - c.length).fill(0)]));
		expectSameAsReference(model, rows);
		// Spot-check one path by hand: f2 = 0.6 > 0.5 → node 1 (f0 missing-only split), f0 = 1 present → right → node 2 (0.7).
		expect(gbdtRaw(model, rows[3])).toBeCloseTo(-1 + 0.7 + 0.05, 12);
	});

	it('rejects a tree whose children loop back instead of failing at scoring time', () => {
		const res = train('noShow', cols, y, { algorithm: 'gbdt', holdoutFraction: 0.2, calibration: 'auto', seed: 4, gbdt: { maxIter: 3 } });
		const broken = JSON.parse(JSON.stringify(res.model));
		broken.gbdt.trees[0].left[0] = 0;
		expect(() => parseModel(broken, 'noShow')).toThrow(/malformed/);
	});
});

describe('reason selection', () => {
	it('picks the same top reasons, in the same order, as sorting all contributions', () => {
		const rng = createRng(5);
		let checked = 0;
		for (let i = 0; i < 2000; i++) {
			const x = Float64Array.from({ length: NF }, () => (rng() < 0.1 ? Number.NaN : Math.floor(rng() * 5)));
			// Coarse values make ties common; some contributions fall under the 1e-3 floor.
			const contrib = Float64Array.from({ length: NF }, () => (rng() < 0.15 ? 0.0005 : Math.round((rng() - 0.5) * 8) / 4));
			const k = i % (NF + 2);
			const list = reasons(spec, x, contrib, k);
			expect(list).toEqual(reasonsBySort(spec, x, contrib, k));
			// The sentence loop against its former definition (raising reasons, else all, comma-joined).
			const up = list.filter((r) => r.effect === 'raises');
			expect(reasonSentence(list)).toBe((up.length ? up : list).map((r) => r.text).join(', '));
			checked++;
		}
		expect(checked).toBe(2000);
		const x = new Float64Array(NF).fill(1);
		const contrib = Float64Array.from({ length: NF }, (_, f) => (f === 3 ? -2 : f === 7 ? 2 : 0.5));
		expect(reasons(spec, x, contrib, 2).map((r) => r.feature)).toEqual([spec.features[3].name, spec.features[7].name]);
		expect(reasons(spec, x, contrib, -1)).toEqual(reasonsBySort(spec, x, contrib, -1));
	});
});
