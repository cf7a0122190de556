/**
 * The AI Scorer's cost inside a real n8n 2.41.1, for 10,000 items: two workflows, identical up to the
 * node under test,
 *   Manual Trigger → Code (10,000 bookings) → No Operation          (A: n8n's own cheapest node)
 *   Manual Trigger → Code (10,000 bookings) → AI Scorer, no-show     (B: default model, shadow off)
 * each run 1 + RUNS times through the editor's "Execute workflow" REST call. Per run, the node's own
 * `executionTime` comes from the saved execution's run data; the overhead per item is
 * (median AI Scorer time − median No-Op time) / 10,000.
 *
 * Runs the BUILT package (dist/) from wherever this file lives, so run it from a private copy while
 * others edit the checkout (the build wipes dist/):
 *
 *   rsync -a --delete --exclude node_modules --exclude .n8n-test --exclude .git ./ /tmp/ai-bench/ \
 *     && ln -sfn "$PWD/node_modules" /tmp/ai-bench/node_modules \
 *     && cd /tmp/ai-bench && npm run build && node bench/ai-scorer/n8n-overhead.mjs [runs=5] [items=10000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { prepareHost, projectRoot } from '../../test/harness/n8n.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const ITEMS = Number(process.argv[3] ?? 10000);
const require = createRequire(join(projectRoot, 'package.json'));
const { parse: parseFlatted } = require('flatted');

const benchDir = join(projectRoot, '.cache', 'bench', 'ai-scorer');
const userFolder = join(benchDir, 'n8n');

/** Seeded bookings in the canonical shape, generated inside n8n's Code node (JavaScript, all items). */
const GENERATOR = `
let s = 12345;
const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
const channels = ['direct', 'website', 'viator', 'getyourguide', 'email', 'partner'];
const base = Date.UTC(2026, 5, 1);
const out = [];
for (let i = 0; i < ${ITEMS}; i++) {
  const starts = base + Math.floor(rnd() * 60) * 86400000 + (8 + Math.floor(rnd() * 10)) * 3600000;
  const purchased = starts - Math.floor(rnd() * 90 * 86400000);
  const party = 1 + Math.floor(rnd() * 6);
  out.push({ json: {
    id: 'bk_' + i,
    status: 'confirmed',
    startsAt: new Date(starts).toISOString(),
    purchasedAt: new Date(purchased).toISOString(),
    partySize: party,
    total: { amount: Math.round(party * (40 + rnd() * 120) * 100) / 100, currency: 'USD' },
    balance: { amount: rnd() < 0.2 ? 50 : 0, currency: 'USD' },
    marketing: { channel: channels[Math.floor(rnd() * channels.length)] },
    customer: { email: 'guest' + i + '@example.com', priorBookings: Math.floor(rnd() * 4), priorNoShows: rnd() < 0.05 ? 1 : 0 },
    openedConfirmation: rnd() < 0.7,
    weatherRisk: Math.round(rnd() * 100) / 100,
  } });
}
return out;
`;

function workflow(id, name, target) {
	const node = (n, name, type, typeVersion, parameters, x) => ({ id: `5e1d0c00-0000-4000-8000-00000000000${n}`, name, type, typeVersion, position: [x, 0], parameters });
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node(1, 'Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
			node(2, 'Bookings', 'n8n-nodes-base.code', 2, { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: GENERATOR }, 220),
			node(3, target.name, target.type, target.typeVersion, target.parameters, 440),
		],
		connections: {
			Start: { main: [[{ node: 'Bookings', type: 'main', index: 0 }]] },
			Bookings: { main: [[{ node: target.name, type: 'main', index: 0 }]] },
		},
	};
}

const CASES = [
	{ key: 'noop', label: 'No Operation', wf: workflow('PeekProAiBnchNop', '[bench] 10k bookings → No Operation', { name: 'Target', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }) },
	{
		key: 'scorer',
		label: 'AI Scorer (no-show, default model)',
		wf: workflow('PeekProAiBnchScr', '[bench] 10k bookings → AI Scorer no-show', {
			name: 'Target',
			type: 'n8n-nodes-peekpro-ai.aiScorer',
			typeVersion: 1,
			parameters: { resource: 'score', operation: 'noShow', modelSource: 'default', shadowMode: false, options: {} },
		}),
	},
];

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');

async function runOnce(host, wf, done) {
	// n8n 2.x's "Execute workflow" names the trigger to start from (the harness's runManually() sends
	// only the workflow, which 2.41 rejects with 400); the workflow itself is read from the database.
	await host.rest('POST', `/rest/workflows/${wf.id}/run`, { triggerToStartFrom: { name: 'Start' } });
	const finished = await host.waitForExecutions(wf.id, done + 1, { timeoutMs: 300_000 });
	const latest = finished.reduce((a, b) => (Number(b.id) > Number(a.id) ? b : a));
	const exec = await host.execution(latest.id);
	const data = typeof exec.data === 'string' ? parseFlatted(exec.data) : exec.data;
	const runData = data?.resultData?.runData ?? {};
	if (data?.resultData?.error || exec.status !== 'success') {
		throw new Error(`execution ${latest.id} of ${wf.id} ended ${exec.status}: ${data?.resultData?.error?.message ?? ''}`);
	}
	const nodeRun = (name) => runData[name]?.[0];
	const target = nodeRun('Target');
	const outItems = (target?.data?.main?.[0] ?? []).length;
	if (outItems !== ITEMS) throw new Error(`${wf.id}: the target node output ${outItems} items, expected ${ITEMS}`);
	const e2e = new Date(exec.stoppedAt).getTime() - new Date(exec.startedAt).getTime();
	return { targetMs: target.executionTime, codeMs: nodeRun('Bookings').executionTime, e2eMs: e2e, sample: target.data.main[0][0].json };
}

mkdirSync(benchDir, { recursive: true });
const host = await prepareHost({ userFolder, build: false });
const results = {};
try {
	for (const c of CASES) {
		const file = join(userFolder, `${c.wf.id}.json`);
		writeFileSync(file, JSON.stringify(c.wf, null, 2));
		host.importWorkflow(file);
	}
	await host.start();
	await host.login();
	for (const c of CASES) {
		const runs = [];
		for (let r = 0; r <= RUNS; r++) {
			const res = await runOnce(host, c.wf, r);
			if (r > 0) runs.push(res); // the first run warms up n8n, the task runner and the node
			process.stderr.write(`[bench] ${c.key} run ${r}${r ? '' : ' (warm-up)'}: node ${res.targetMs} ms, execution ${res.e2eMs} ms\n`);
		}
		results[c.key] = runs;
	}
} finally {
	await host.stop();
}

const nodeMs = (k) => results[k].map((r) => r.targetMs);
const e2eMs = (k) => results[k].map((r) => r.e2eMs);
const codeMs = (k) => results[k].map((r) => r.codeMs);
const scorer = median(nodeMs('scorer'));
const noop = median(nodeMs('noop'));
const sample = results.scorer[0].sample;
console.log(`AI Scorer overhead in real n8n 2.41.1 (manual executions, ${ITEMS} items, ${RUNS} measured runs after 1 warm-up, ${process.version} bench / n8n on Node 24)`);
console.log(`No Operation node time            median ${noop.toFixed(0)} ms   runs: ${fmt(nodeMs('noop'))}`);
console.log(`AI Scorer no-show node time       median ${scorer.toFixed(0)} ms   runs: ${fmt(nodeMs('scorer'))}`);
console.log(`overhead per item (AI Scorer − No Operation): ${(((scorer - noop) * 1000) / ITEMS).toFixed(1)} µs; AI Scorer alone ${((scorer * 1000) / ITEMS).toFixed(1)} µs/item`);
console.log(`Code node (generates the items)   median ${median(codeMs('noop')).toFixed(0)} ms (A), ${median(codeMs('scorer')).toFixed(0)} ms (B)`);
console.log(`end-to-end execution, No Operation   median ${median(e2eMs('noop')).toFixed(0)} ms   runs: ${fmt(e2eMs('noop'))}`);
console.log(`end-to-end execution, AI Scorer      median ${median(e2eMs('scorer')).toFixed(0)} ms   runs: ${fmt(e2eMs('scorer'))}`);
console.log(`sample output: ai_no_show_probability=${sample.ai_no_show_probability} risk=${sample.ai_no_show_risk} reasons="${sample.ai_no_show_reasons}" model=${sample.ai_model_id}@${sample.ai_model_version}`);
