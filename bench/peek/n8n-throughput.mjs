/**
 * Webhook throughput of the Peek Pro Trigger inside a real n8n 2.41.1, against n8n's own Webhook node
 * on the same workflow shape (issue 3). Three workflows, trigger → No Operation:
 *   A  n8n-nodes-base.webhook 2.1, POST, respond immediately          (the baseline)
 *   B  Peek Pro Trigger, verify-by-fetch off
 *   C  Peek Pro Trigger, verify-by-fetch on (the loopback Peek fake holds every booking sent)
 * All three receive the same delivery body (Peek automation API shape, booking.created), each with its
 * own booking id, so the trigger's duplicate guard never drops one. Per workflow and repeat, N deliveries
 * go out over loopback with bounded concurrency; measured:
 *   accepted/s     2xx answers / wall time of the sending phase
 *   executions/s   N / time from the first send until n8n reports all N executions finished
 *   latency        median answer time of 40 deliveries sent one at a time (C's rate-limit bucket full)
 * Workflows are measured interleaved (A, B, C, A, B, C, ...) so drift hits all three alike; the table
 * shows medians over the repeats and the ratios B/A and C/A.
 *
 * Verify-on is bounded by the pack's client-side limit on verify reads (nodes/PeekPro/shared/transport.ts,
 * burst 50 then 25/s per credential), so C sends fewer deliveries. `--dedupe-off` adds a diagnostic
 * workflow D (verify off, duplicate window 0); `--webhook-credential` adds E, n8n's Webhook node with
 * header auth, to separate n8n's cost of a credential-bearing trigger from the Peek trigger's own.
 * `--lazy-isolates` runs n8n with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: its default "vm" expression
 * engine otherwise takes an isolate per request to any trigger but its own Webhook node, and per
 * credential read (README, "Bad input at volume"), which is most of the gap between A and B.
 * Defaults keep the bench under ~10 minutes on 2 busy cores.
 *
 * Runs the built package: `npm run build && node bench/peek/n8n-throughput.mjs [--n 800] [--n-verify 150]
 * [--concurrency 16] [--repeats 3] [--dedupe-off] [--webhook-credential] [--lazy-isolates] [--version-1]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { sampleDelivery, samplePeekBooking, startPeekFake } from '../../test/fakes/peek.mjs';
import { prepareHost, projectRoot } from '../../test/harness/n8n.mjs';

const args = Object.fromEntries(
	process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const N = Number(args.n ?? 800);
const N_VERIFY = Number(args['n-verify'] ?? 150);
const CONCURRENCY = Number(args.concurrency ?? 16);
const REPEATS = Number(args.repeats ?? 3);
const WARMUP = Number(args.warmup ?? 100);
const LATENCY_SAMPLES = 40;
const LAZY = process.argv.includes('--lazy-isolates');
const API_KEY = 'peek-bench-key';

const benchDir = join(projectRoot, '.cache', 'bench', 'peek');
const userFolder = join(benchDir, 'n8n');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const CREDENTIAL = { id: 'PeekBenchCred001', name: 'Peek Pro (bench)', type: 'peekProAiPeekProApi' };
// Every delivery carries this header; only the --webhook-credential case (E) checks it.
const BENCH_TOKEN = 'bench-token';
const HEADER_CREDENTIAL = { id: 'PeekBenchHdrAuth', name: 'Bench header auth', type: 'httpHeaderAuth' };
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

function workflow(key, name, webhookId, trigger) {
	const uuid = (n) => `b3e4c000-000${'ABCDEF'.indexOf(key) + 1}-4000-8000-00000000000${n}`;
	return {
		id: `PeekBenchWf0000${key}`,
		name: `[bench] ${name}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: uuid(1), name: 'Trigger', webhookId, position: [0, 0], ...trigger },
			{ id: uuid(2), name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} },
		],
		connections: { Trigger: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	};
}

// Version 1.1, as the editor creates the node and the templates ship it. `typeVersion: 1` is the
// diagnostic F: n8n evaluates `$parameter["options"]["binaryData"]` for every start node of version 1
// (webhook-helpers parseRequestBody, for its own Webhook node 1), an expression and so an isolate per
// delivery that version 1.1 does not pay.
const peekTrigger = (verifyByFetch, options = {}, typeVersion = 1.1) => ({
	type: 'n8n-nodes-peekpro-ai.peekProTrigger',
	typeVersion,
	parameters: { events: ['booking.created', 'booking.updated'], verifyByFetch, ...(typeVersion === 1 ? { signature: 'none', sharedSecret: 'none' } : { authentication: 'none' }), options },
	credentials: { peekProAiPeekProApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
});

const CASES = [
	{
		key: 'A',
		label: "n8n Webhook node",
		n: N,
		wf: workflow('A', 'n8n Webhook → NoOp', 'b3e4c0a0-0000-4000-8000-00000000000a', {
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			parameters: { httpMethod: 'POST', path: 'peek-bench-n8n-webhook', responseMode: 'onReceived', options: {} },
		}),
		path: '/webhook/peek-bench-n8n-webhook',
	},
	{
		key: 'B',
		label: 'Peek Pro Trigger, verify off',
		n: N,
		wf: workflow('B', 'Peek Pro Trigger (verify off) → NoOp', 'b3e4c0b0-0000-4000-8000-00000000000b', peekTrigger(false)),
		verify: false,
	},
	{
		key: 'C',
		label: 'Peek Pro Trigger, verify on',
		n: N_VERIFY,
		wf: workflow('C', 'Peek Pro Trigger (verify on) → NoOp', 'b3e4c0c0-0000-4000-8000-00000000000c', peekTrigger(true)),
		verify: true,
	},
];
// Diagnostic: the duplicate guard also records keys in workflow static data, which n8n then writes
// back to the database after every execution.
if ('dedupe-off' in args) {
	CASES.push({
		key: 'D',
		label: 'Peek Pro Trigger, verify off, duplicate window 0',
		n: N,
		wf: workflow('D', 'Peek Pro Trigger (verify off, no dedupe) → NoOp', 'b3e4c0d0-0000-4000-8000-00000000000d', peekTrigger(false, { dedupeWindowSeconds: 0 })),
		verify: false,
	});
}
// Diagnostic: n8n's own Webhook node with a credential (header auth), to tell n8n's per-execution cost
// of a credential-bearing trigger apart from the Peek trigger's own work.
if ('webhook-credential' in args) {
	CASES.push({
		key: 'E',
		label: 'n8n Webhook node with header auth',
		n: N,
		wf: workflow('E', 'n8n Webhook (header auth) → NoOp', 'b3e4c0e0-0000-4000-8000-00000000000e', {
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			parameters: { httpMethod: 'POST', path: 'peek-bench-n8n-webhook-auth', authentication: 'headerAuth', responseMode: 'onReceived', options: {} },
			credentials: { httpHeaderAuth: { id: HEADER_CREDENTIAL.id, name: HEADER_CREDENTIAL.name } },
		}),
		path: '/webhook/peek-bench-n8n-webhook-auth',
	});
}
// Diagnostic: a node saved at version 1 (see peekTrigger).
if ('version-1' in args) {
	CASES.push({
		key: 'F',
		label: 'Peek Pro Trigger 1 (saved before 1.1), verify off',
		n: N,
		wf: workflow('F', 'Peek Pro Trigger 1 (verify off) → NoOp', 'b3e4c0f0-0000-4000-8000-00000000000f', peekTrigger(false, {}, 1)),
		verify: false,
	});
}
for (const c of CASES) c.path ??= `/webhook/${c.wf.nodes[0].webhookId}/webhook`;

// One keep-alive pool for all sends: the client's own cost stays small next to n8n's.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(port, path, body) {
	return new Promise((resolvePost) => {
		const t0 = process.hrtime.bigint();
		const req = request(
			{ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-bench-token': BENCH_TOKEN } },
			(res) => {
				res.resume();
				res.on('end', () => resolvePost({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
			},
		);
		req.on('error', (error) => resolvePost({ status: 0, error, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
		req.end(body);
	});
}

/** Sends every body with at most `concurrency` in flight; returns the answers in send order. */
async function sendAll(port, path, bodies, concurrency) {
	const results = new Array(bodies.length);
	let next = 0;
	const worker = async () => {
		while (next < bodies.length) {
			const i = next++;
			results[i] = await post(port, path, bodies[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
	return results;
}

let serial = 0;
/** Distinct booking ids (and so distinct event ids and bodies) across the whole bench. */
function makeBodies(c, count, fake) {
	const bodies = [];
	for (let i = 0; i < count; i++) {
		const id = `b_bench_${c.key}_${++serial}`;
		if (c.verify) fake.bookings.set(id, samplePeekBooking({ id }));
		bodies.push(Buffer.from(JSON.stringify(sampleDelivery('peek_automation_api', { id }))));
	}
	return bodies;
}

async function countExecutions(host, workflowId, status) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, ...(status ? { status } : {}) }));
	const data = await host.rest('GET', `/rest/executions?filter=${filter}&limit=1`);
	return data.count;
}

/** Waits until `workflowId` has `target` finished executions; returns the time it was seen (ms). */
async function waitFinished(host, workflowId, target, timeoutMs) {
	const t0 = Date.now();
	for (;;) {
		const done = await countExecutions(host, workflowId, FINISHED);
		if (done >= target) return performance.now();
		if (Date.now() - t0 > timeoutMs) throw new Error(`workflow ${workflowId}: ${done}/${target} executions finished after ${timeoutMs} ms`);
		await sleep(100);
	}
}

/** Waits until every execution of the workflow has finished; returns that count (the next run's baseline). */
async function settle(host, workflowId) {
	const t0 = Date.now();
	for (;;) {
		const [all, done] = await Promise.all([countExecutions(host, workflowId), countExecutions(host, workflowId, FINISHED)]);
		if (all === done) return done;
		if (Date.now() - t0 > 120_000) throw new Error(`workflow ${workflowId}: ${all - done} executions still running after 120 s`);
		await sleep(200);
	}
}

async function activate(host, fake, c) {
	await host.activate(c.wf.id);
	const t0 = Date.now();
	const url = `${host.baseUrl}${c.path}`;
	// Publishing returns before activation has finished: wait for Peek's registration (triggers), then
	// until n8n serves the production URL. The probe is a delivery like any other (warm-up).
	while (!c.wf.nodes[0].type.startsWith('n8n-nodes-base.') && ![...fake.webhooks.values()].some((h) => h.url === url)) {
		if (Date.now() - t0 > 30_000) throw new Error(`${c.label}: no registration at Peek after 30 s`);
		await sleep(200);
	}
	for (;;) {
		const [body] = makeBodies(c, 1, fake);
		const res = await post(host.port, c.path, body);
		if (res.status >= 200 && res.status < 300) return;
		if (Date.now() - t0 > 30_000) throw new Error(`${c.label}: ${url} answers ${res.status} 30 s after activation`);
		await sleep(200);
	}
}

async function measure(host, fake, c) {
	const baseline = await settle(host, c.wf.id);
	const errorsBefore = await countExecutions(host, c.wf.id, ['error', 'crashed']);
	const bodies = makeBodies(c, c.n, fake);
	const t0 = performance.now();
	const answers = await sendAll(host.port, c.path, bodies, CONCURRENCY);
	const tSent = performance.now();
	const ok = answers.filter((a) => a.status >= 200 && a.status < 300).length;
	const tDone = await waitFinished(host, c.wf.id, baseline + ok, 300_000);
	const errors = (await countExecutions(host, c.wf.id, ['error', 'crashed'])) - errorsBefore;
	const failed = answers.filter((a) => !(a.status >= 200 && a.status < 300));
	const statuses = [...new Set(failed.map((a) => a.status))];
	return {
		sent: c.n,
		accepted: ok,
		rejected: failed.length,
		rejectedStatuses: statuses,
		acceptedPerSec: ok / ((tSent - t0) / 1000),
		executionsPerSec: ok / ((tDone - t0) / 1000),
		drainMs: tDone - tSent,
		failedExecutions: errors,
		p50AnswerMs: median(answers.map((a) => a.ms)),
	};
}

/** Median answer time of deliveries sent one at a time (after a pause that refills C's verify bucket). */
async function latency(host, fake, c) {
	await settle(host, c.wf.id);
	await sleep(2500);
	const times = [];
	for (const body of makeBodies(c, LATENCY_SAMPLES, fake)) times.push((await post(host.port, c.path, body)).ms);
	return median(times);
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

async function main() {
	const started = Date.now();
	const fake = await startPeekFake({ apiKey: API_KEY, seed: false });
	let host;
	try {
		mkdirSync(benchDir, { recursive: true });
		// Pruning would delete executions while they are counted; this bench creates ~15,000.
		host = await prepareHost({ userFolder, build: false, env: { EXECUTIONS_DATA_PRUNE: 'false', ...(LAZY ? { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } : {}) } });
		host.importCredentials([
			{ ...CREDENTIAL, data: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: '' } },
			{ ...HEADER_CREDENTIAL, data: { name: 'x-bench-token', value: BENCH_TOKEN } },
		]);
		const importDir = join(userFolder, 'import');
		mkdirSync(importDir, { recursive: true });
		for (const c of CASES) writeFileSync(join(importDir, `${c.wf.id}.json`), JSON.stringify(c.wf));
		host.cli(['import:workflow', '--separate', `--input=${importDir}`]);
		await host.start();
		await host.login();

		for (const c of CASES) {
			await activate(host, fake, c);
			log(`${c.label}: active at ${c.path}; warming up with ${WARMUP} deliveries`);
			await sendAll(host.port, c.path, makeBodies(c, WARMUP, fake), CONCURRENCY);
		}

		const runs = Object.fromEntries(CASES.map((c) => [c.key, []]));
		const latencies = Object.fromEntries(CASES.map((c) => [c.key, []]));
		for (let r = 1; r <= REPEATS; r++) {
			for (const c of CASES) {
				const m = await measure(host, fake, c);
				runs[c.key].push(m);
				log(
					`repeat ${r} ${c.label}: ${m.accepted}/${m.sent} accepted, ${fmt(m.acceptedPerSec)}/s accepted, ${fmt(m.executionsPerSec)}/s executions finished` +
						(m.rejected ? `, rejected ${m.rejected} (${m.rejectedStatuses.join(', ')})` : '') +
						(m.failedExecutions ? `, ${m.failedExecutions} failed executions` : ''),
				);
			}
			for (const c of CASES) latencies[c.key].push(await latency(host, fake, c));
		}

		const verifyGets = fake.requests.filter((q) => q.method === 'GET' && q.path.startsWith('/bookings/')).length;
		const rows = CASES.map((c) => {
			const rs = runs[c.key];
			return {
				key: c.key,
				label: c.label,
				n: c.n,
				accepted: rs.reduce((s, m) => s + m.accepted, 0),
				rejected: rs.reduce((s, m) => s + m.rejected, 0),
				failedExecutions: rs.reduce((s, m) => s + m.failedExecutions, 0),
				acceptedPerSec: median(rs.map((m) => m.acceptedPerSec)),
				executionsPerSec: median(rs.map((m) => m.executionsPerSec)),
				p50AnswerMs: median(rs.map((m) => m.p50AnswerMs)),
				serialMs: median(latencies[c.key]),
				all: rs,
			};
		});
		const [a, b, cc] = rows;

		console.log(`\nPeek Pro Trigger vs n8n's Webhook node in n8n 2.41.1 (workflow: trigger → No Operation, SQLite, regular mode; expression isolates ${LAZY ? 'acquired lazily' : "as n8n's defaults: one per request and per credential read"})`);
		console.log(
			`deliveries per run: A/B ${N}, C ${N_VERIFY}; concurrency ${CONCURRENCY}; ${REPEATS} repeats (medians), interleaved; warm-up ${WARMUP}; ` +
				`loopback, client and n8n on the same ${cpus().length} cores; every delivery a distinct booking id; executions saved (EXECUTIONS_DATA_SAVE_ON_SUCCESS=all)`,
		);
		console.table(
			rows.map((r) => ({
				workflow: `${r.key}: ${r.label}`,
				'accepted/s': Math.round(r.acceptedPerSec),
				'executions finished/s': Math.round(r.executionsPerSec),
				'p50 answer @16 (ms)': Number(r.p50AnswerMs.toFixed(1)),
				'p50 answer serial (ms)': Number(r.serialMs.toFixed(1)),
				'accepted / sent': `${r.accepted}/${r.n * REPEATS}`,
				'failed executions': r.failedExecutions,
			})),
		);
		console.log('per run (accepted/s | executions/s):');
		for (const r of rows) console.log(`  ${r.key}: ${r.all.map((m) => `${fmt(m.acceptedPerSec)} | ${fmt(m.executionsPerSec)}`).join('   ')}`);
		const pct = (x) => `${(x * 100).toFixed(0)}%`;
		console.log(`\nratios (median over median):`);
		console.log(`  B/A accepted/s ${(b.acceptedPerSec / a.acceptedPerSec).toFixed(3)} (${pct(b.acceptedPerSec / a.acceptedPerSec)})   executions finished/s ${(b.executionsPerSec / a.executionsPerSec).toFixed(3)} (${pct(b.executionsPerSec / a.executionsPerSec)})   goal ≥ 0.90`);
		console.log(`  C/A accepted/s ${(cc.acceptedPerSec / a.acceptedPerSec).toFixed(3)} (${pct(cc.acceptedPerSec / a.acceptedPerSec)})   executions finished/s ${(cc.executionsPerSec / a.executionsPerSec).toFixed(3)} (${pct(cc.executionsPerSec / a.executionsPerSec)})`);
		const burst = 50;
		const ceiling = N_VERIFY <= burst ? Infinity : N_VERIFY / ((N_VERIFY - burst) / 25);
		console.log(
			`\ncost of verify-by-fetch: ${fmt(cc.serialMs - b.serialMs, 1)} ms more per delivery than verify off, sent one at a time ` +
				`(one GET /bookings/:id to the loopback fake inside n8n; ${verifyGets} made in all); under load C reaches ` +
				`${pct(cc.acceptedPerSec / b.acceptedPerSec)} of B's accepted/s.`,
		);
		console.log(
			`verify-on throughput is capped by the pack's client-side verify limit (burst ${burst}, then 25/s per Peek credential, ` +
				`nodes/PeekPro/shared/transport.ts): at most ≈ ${fmt(ceiling)}/s for a run of ${N_VERIFY}. ` +
				(cc.acceptedPerSec < 0.8 * ceiling
					? `Measured ${fmt(cc.acceptedPerSec)}/s is below that cap, so on this machine n8n's own cost per verify request bounds C, not the limit.`
					: `Measured ${fmt(cc.acceptedPerSec)}/s is at that cap: the limit, not n8n, bounds C.`),
		);
		console.log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
	} finally {
		agent.destroy();
		await host?.stop();
		await fake.close();
	}
}

await main();
