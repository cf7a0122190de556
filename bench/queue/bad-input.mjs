/**
 * Bad input at volume under n8n queue mode (issue 16): malformed requests and deliveries that fail
 * authenticity, mixed into good booking traffic, must start no execution, crash nothing and slow the
 * good traffic by less than 10 %.
 *
 * Topology: main + webhook-1 + 2 workers, Postgres, Redis (scripts/queue-topology.mjs), fakes from
 * scripts/sandboxes.mjs. Two copies of the post-booking-upsell template (shadow mode off, so a handled
 * booking is an event at the fake Klaviyo), both with the queue-mode claim step (`withFleetClaim`):
 *
 *   signed    the trigger's Authentication set to HMAC with a timestamp header (x-peek-signature over
 *             `<timestamp>.<body>`, 300 s replay window), verify-by-fetch on as shipped. Gets the good
 *             traffic, every malformed request (validly signed, so they reach the parser rather than
 *             stopping at the signature) and the signature failures.
 *   shipped   the template's trigger exactly as shipped (Authentication "None", verify-by-fetch on):
 *             there is no signature to fail, so the authenticity failures it can meet are forgeries that
 *             verify-by-fetch must catch (a booking Peek does not have; a claimed cancellation the
 *             template does not listen to). An unsigned delivery naming a real booking is NOT a
 *             failure there: the trigger re-reads the booking from Peek and the flow acts on Peek's
 *             record (verification.bookingFrom "peek"), never on what the delivery said.
 *
 * Every bad body names a booking the Peek fake knows (its own guest email), so only the trigger's
 * checks stand between it and an execution. Measured:
 *   - executions per workflow in Postgres (execution_entity) against good events sent, after each leg;
 *     plus events at the fake Klaviyo for any bad booking's email (must be none);
 *   - every n8n process alive and answering /healthz/readiness after each leg;
 *   - good traffic, interleaved legs with the same good load (N signed booking.created at R per second,
 *     open loop): without the bad mix, then with it (the leg's share of the bad requests spread evenly
 *     over the same window), in ABBA order so a steady drift cancels. Latency = send → its event at the fake Klaviyo; throughput =
 *     good events / (first send → last Klaviyo event). "Good slowdown" is the median latency increase
 *     (with an open loop the throughput is the arrival rate while the fleet keeps up; it is printed too).
 *
 *   - before the legs, one request at a time to webhook-1: answer time and webhook-1's CPU per request
 *     for a rejected delivery (template, trigger-only workflow, no credential read) against n8n's own
 *     Webhook node refusing by IP allow-list: what any request to a trigger URL costs n8n.
 *
 *   node bench/queue/bad-input.mjs [--good 150] [--legs 4] [--bad 2000] [--rate 1] [--no-build] [--n8n-engine-defaults]
 * (`--n8n-engine-defaults`: n8n's eager expression isolates instead of the layout's lazy ones.)
 * Last line: `bad N, executions started by bad N, crashed N, good slowdown X%`.
 */
import { Agent, request } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import { sampleDelivery, samplePeekBooking, signDelivery } from '../../test/fakes/peek.mjs';
import { projectRoot } from '../../test/harness/n8n.mjs';
import { alive } from '../../scripts/provision-n8n.mjs';
import { TEST_KEYS, pointTemplateAtSandboxes, startSandboxes, stopSandboxes } from '../../scripts/sandboxes.mjs';
import { down, engineEnv, redisCredential, up, withFleetClaim } from '../../scripts/queue-topology.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1]]] : pairs), []));
const GOOD = Number(args.good ?? 150);
const LEGS = Math.max(2, Number(args.legs ?? 4));
const BAD = Number(args.bad ?? 2000);
const RATE = Number(args.rate ?? 1);
const SECRET = 'whsec_bench_bad_input';
const ENGINE = engineEnv();
const log = (msg) => process.stderr.write(`[bad-input] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const sandboxes = await startSandboxes({ keys: TEST_KEYS });
const { peek, klaviyo } = sandboxes;

// Klaviyo's fake records requests without a time: stamp each as this process first sees it (10 ms polls).
let stamped = 0;
const stamper = setInterval(() => {
	const now = Date.now();
	for (; stamped < klaviyo.requests.length; stamped++) klaviyo.requests[stamped].seenAt = now;
}, 10);

const emailOf = (id) => `${id}@bad-input.example`;
function seedBooking(id) {
	const base = samplePeekBooking({ id });
	peek.bookings.set(id, { ...base, displayId: id.toUpperCase(), purchaser: { ...base.purchaser, email: emailOf(id), name: `Guest ${id}` } });
}

// --- The two workflows ------------------------------------------------------------------------------
const template = JSON.parse(readFileSync(join(projectRoot, 'workflows', 'post-booking-upsell.json'), 'utf8'));
for (const node of template.nodes) {
	if (node.name !== 'Config') continue;
	for (const a of node.parameters.assignments.assignments) if (a.name === 'shadowMode') a.value = false;
}
const triggerOf = (wf) => wf.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger');
const signedWf = withFleetClaim(pointTemplateAtSandboxes(structuredClone(template), sandboxes));
signedWf.id = 'QBadInputSigned1';
signedWf.name = 'bad input: post-booking (HMAC)';
Object.assign(triggerOf(signedWf), { webhookId: 'q-bad-input-signed' });
Object.assign(triggerOf(signedWf).parameters, { authentication: 'hmac', timestampHeader: 'x-peek-timestamp', replayWindowSeconds: 300 });
const shippedWf = withFleetClaim(pointTemplateAtSandboxes(structuredClone(template), sandboxes));
shippedWf.id = 'QBadInputShipd01';
shippedWf.name = 'bad input: post-booking (as shipped)';
Object.assign(triggerOf(shippedWf), { webhookId: 'q-bad-input-shipped' });

// The same trigger (HMAC) in a two-node workflow: what a rejected request costs n8n per node of the
// workflow it names (n8n loads and builds the whole workflow for every webhook request).
const tinyWf = {
	id: 'QBadInputTiny001',
	name: 'bad input: trigger only (HMAC)',
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{ ...structuredClone(triggerOf(signedWf)), id: 'tiny-trigger', webhookId: 'q-bad-input-tiny', position: [0, 0] },
		{ id: 'tiny-noop', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} },
	],
	connections: { 'Peek Pro Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
};

// n8n's own Webhook node refusing a request (IP allow-list): n8n's floor cost for a rejected webhook.
const n8nHookWf = {
	id: 'QBadInputN8nHk01',
	name: 'bad input: n8n Webhook node, IP allow-list',
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{ id: 'n8n-hook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'q-bad-input-n8n', parameters: { httpMethod: 'POST', path: 'q-bad-input-n8n', options: { ipWhitelist: '192.0.2.1' } } },
		{ id: 'n8n-noop', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} },
	],
	connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
};

// --- Requests ---------------------------------------------------------------------------------------
// No keep-alive: a socket n8n closed while idle (its 5 s keep-alive timeout) would fail the next request
// sent on it, and be miscounted as an answer.
const agent = new Agent({ keepAlive: false, maxSockets: 256 });
function post(url, body, headers = {}) {
	return new Promise((resolve) => {
		const u = new URL(url);
		const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
		const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': buf.length, ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.setTimeout(60_000, () => req.destroy());
		req.on('error', () => resolve(0));
		req.end(buf);
	});
}
const now = () => Math.floor(Date.now() / 1000);
const signed = (body, ts = now()) => signDelivery(SECRET, Buffer.isBuffer(body) ? body : Buffer.from(body), { timestamp: ts });
const deliveryText = (id, event) => JSON.stringify(sampleDelivery('peek_automation_api', { id, event }));

/** Malformed: each validly signed for the HMAC workflow, so the parser (or n8n before it) is what refuses. */
const MALFORMED = {
	'truncated JSON': (id) => ({ body: deliveryText(id).slice(0, 60) }),
	'empty body': () => ({ body: '' }),
	'form-encoded': (id) => ({ body: `eventType=booking.created&id=${id}`, type: 'application/x-www-form-urlencoded' }),
	'XML': (id) => ({ body: `<delivery><eventType>booking.created</eventType><data><id>${id}</id></data></delivery>`, type: 'application/xml' }),
	'plain text': () => ({ body: 'hello from a misconfigured sender', type: 'text/plain' }),
	'JSON array': (id) => ({ body: `[${deliveryText(id)}]` }),
	'JSON null/number/string': (id, i) => ({ body: ['null', '42', JSON.stringify(id)][i % 3] }),
	'no event': (id) => ({ body: JSON.stringify({ data: { id } }) }),
	'no booking': () => ({ body: JSON.stringify({ eventType: 'booking.created' }) }),
	'event as array': (id) => ({ body: JSON.stringify({ eventType: ['booking.created'], data: { id } }) }),
	'data as array': (id) => ({ body: JSON.stringify({ eventType: 'booking.created', data: [{ id }] }) }),
	'id as object': (id) => ({ body: JSON.stringify({ eventType: 'booking.created', data: { id: { value: id } } }) }),
	'event not resource.action': (id) => ({ body: JSON.stringify({ eventType: 'BOOKING CREATED!!', data: { id } }) }),
	// Invalid bytes where JSON needs structure (inside a string they decode to U+FFFD and the delivery is valid).
	'invalid UTF-8 bytes': (id) => ({ body: Buffer.concat([Buffer.from(`{"eventType":"booking.created","data":{"id":"${id}"}`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('}')]) }),
	'deeply nested (5,000 levels)': () => ({ body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` }),
	'1 MB of junk in JSON': () => ({ body: JSON.stringify({ eventType: 'booking.created', data: 'x'.repeat(1_000_000) }) }),
};
// Above n8n's 16 MiB payload limit (N8N_PAYLOAD_SIZE_MAX): a few only, they cost the sender too.
const HUGE = { 'body over 16 MiB': () => ({ body: Buffer.alloc(17 * 1024 * 1024, 0x20) }) };

/** Authenticity failures against the HMAC workflow: every body a real booking, valid JSON, booking.created. */
const FORGED_SIGNED = {
	'no signature': (id) => ({ body: deliveryText(id), headers: { 'x-peek-timestamp': String(now()) } }),
	'garbage signature': (id) => ({ body: deliveryText(id), headers: { 'x-peek-signature': 'sha256=not-a-signature', 'x-peek-timestamp': String(now()) } }),
	'wrong secret': (id) => {
		const body = deliveryText(id);
		return { body, headers: signDelivery('whsec_guessed', Buffer.from(body), { timestamp: now() }) };
	},
	'forged body (signature of another)': (id, i, good) => {
		const ts = now();
		return { body: deliveryText(id), headers: signed(deliveryText(good), ts) };
	},
	'replayed, stale timestamp (1 h old, validly signed then)': (id) => {
		const body = deliveryText(id);
		return { body, headers: signed(body, now() - 3600) };
	},
	'timestamp moved forward (signature for the old one)': (id) => {
		const body = deliveryText(id);
		const ts = now() - 3600;
		return { body, headers: { ...signed(body, ts), 'x-peek-timestamp': String(now()) } };
	},
	'no timestamp': (id) => {
		const body = deliveryText(id);
		const { 'x-peek-signature': sig } = signed(body);
		return { body, headers: { 'x-peek-signature': sig } };
	},
	'signature over the body only': (id) => {
		const body = deliveryText(id);
		return { body, headers: { ...signDelivery(SECRET, Buffer.from(body)), 'x-peek-timestamp': String(now()) } };
	},
};
/** Forgeries against the template as shipped (no signature; verify-by-fetch is its check). */
const FORGED_SHIPPED = {
	'booking Peek does not have': (id) => ({ body: deliveryText(`${id}_unknown`) }),
	'claimed cancellation of a live booking': (id) => ({ body: deliveryText(id, 'booking.cancelled') }),
};

const receivers = () => [state.main, state.webhooks[0]];
const urlOf = (proc, wf) => `${proc.url}/webhook/${triggerOf(wf).webhookId}/webhook`;
const answers = new Map(); // "class: kind" → Map(status → count)
const answerMs = new Map(); // "class: kind" → answer times (ms)
const note = (cls, kind, status, ms) => {
	const key = `${cls}: ${kind}`;
	if (!answers.has(key)) answers.set(key, new Map());
	const m = answers.get(key);
	m.set(status, (m.get(status) ?? 0) + 1);
	if (!answerMs.has(key)) answerMs.set(key, []);
	answerMs.get(key).push(ms);
};

let badSeq = 0;
const badIds = [];
const badKind = new Map(); // bad booking id → "class: kind"
/** One bad request of the i-th kind in rotation (half malformed, 4/10 signature failures, 1/10 shipped). */
function nextBad(i) {
	const id = `b_bad_${badSeq++}`;
	seedBooking(id);
	badIds.push(id);
	const tag = (r) => (badKind.set(id, `${r.cls}: ${r.kind}`), r);
	const good = `b_good_${i}`;
	const slot = i % 10;
	if (slot < 5) {
		const kinds = Object.entries(MALFORMED);
		const [kind, make] = i % 100 === 0 ? Object.entries(HUGE)[0] : kinds[(i >> 1) % kinds.length];
		const { body, type } = make(id, i);
		const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
		return tag({ cls: 'malformed', kind, wf: signedWf, body: buf, headers: { ...(type ? { 'content-type': type } : {}), ...signed(buf) } });
	}
	if (slot < 9) {
		const kinds = Object.entries(FORGED_SIGNED);
		const [kind, make] = kinds[i % kinds.length];
		return tag({ cls: 'authenticity (HMAC)', kind, wf: signedWf, ...make(id, i, good) });
	}
	const kinds = Object.entries(FORGED_SHIPPED);
	const [kind, make] = kinds[(i / 10) % kinds.length | 0];
	return tag({ cls: 'authenticity (shipped)', kind, wf: shippedWf, ...make(id, i) });
}

// --- Measuring ----------------------------------------------------------------------------------------
function psql(sql) {
	return execFileSync(join(state.postgres.bin, 'psql'), ['-h', '127.0.0.1', '-p', String(state.postgres.port), '-U', 'postgres', '-d', 'n8n', '-tAc', sql]).toString().trim();
}
/**
 * Every execution of the two workflows, attributed by the booking id its data names (each request
 * names its own booking): bad ones by kind, and whether it is a Verify Later run (Peek unreachable at
 * the time: accepted, parked, re-checked after 5 minutes; nothing from it is treated as Peek's).
 */
function attribute() {
	const rows = psql(
		`select e.id, e."workflowId", substring(d.data from 'b_bad_[0-9]+'), substring(d.data from 'b_good_[0-9]+'), (d.data like '%verifyLater%') from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" in ('${signedWf.id}', '${shippedWf.id}')`,
	)
		.split('\n')
		.filter(Boolean)
		.map((l) => l.split('|'));
	const bad = new Map();
	const good = new Map();
	let other = 0;
	for (const [, wfId, badId, goodId, later] of rows) {
		if (badId) {
			const k = `${badKind.get(badId) ?? 'unknown kind'}${later === 't' ? ' (Verify Later)' : ''}`;
			bad.set(k, (bad.get(k) ?? 0) + 1);
		} else if (goodId) good.set(goodId, (good.get(goodId) ?? 0) + 1);
		else other++;
	}
	return { total: rows.length, bad, badTotal: [...bad.values()].reduce((a, b) => a + b, 0), goodIds: good.size, goodExecutions: [...good.values()].reduce((a, b) => a + b, 0), other };
}
const executionsOf = (wf) => Number(psql(`select count(*) from execution_entity where "workflowId" = '${wf.id}'`));

function klaviyoEventAt(email) {
	const r = klaviyo.requests.find((q) => q.operationId === 'create_event' && q.status === 202 && q.body?.data?.attributes?.profile?.data?.attributes?.email === email);
	return r?.seenAt;
}

async function health() {
	const procs = [state.main, ...state.webhooks, ...state.workers];
	const down = [];
	for (const p of procs) {
		let ok = alive(p.pid);
		if (ok) {
			try {
				ok = (await fetch(`${p.url}/healthz/readiness`, { signal: AbortSignal.timeout(5000) })).ok;
			} catch {
				ok = false;
			}
		}
		if (!ok) down.push(p.name);
	}
	return { procs: procs.length, down };
}

let goodSeq = 0;
let goodSent = 0;
let goodResent = 0;
/**
 * `n` good deliveries at RATE per second (open loop: the same arrival times whether or not bad
 * traffic runs), each re-sent up to 4 times on a non-2xx answer as Peek retries; with `badCount`,
 * that many bad requests spread evenly over the same window.
 */
async function leg(label, n, { badCount = 0 } = {}) {
	const ids = Array.from({ length: n }, () => `b_good_${goodSeq++}`);
	ids.forEach(seedBooking);
	const sentAt = new Map();
	const windowMs = (n / RATE) * 1000;
	const t0 = Date.now();
	const paced = async (count, send) => {
		const inFlight = new Set();
		for (let k = 0; k < count; k++) {
			const due = t0 + (k * windowMs) / count;
			if (due > Date.now()) await sleep(due - Date.now());
			const p = send(k).finally(() => inFlight.delete(p));
			inFlight.add(p);
		}
		await Promise.all(inFlight);
	};
	const badRun = paced(badCount, async (k) => {
		const b = nextBad(badSeq);
		const t = Date.now();
		const code = await post(urlOf(receivers()[k % 2], b.wf), b.body, b.headers);
		note(b.cls, b.kind, code, Date.now() - t);
	});
	await paced(n, async (i) => {
		const body = deliveryText(ids[i]);
		sentAt.set(ids[i], Date.now());
		let code = 0;
		const t = Date.now();
		for (let attempt = 1; attempt <= 5; attempt++) {
			code = await post(urlOf(receivers()[(i + attempt - 1) % 2], signedWf), body, signed(body));
			if (code >= 200 && code < 300) break;
			goodResent++;
			await sleep(1000);
		}
		note('good', 'signed booking.created', code, Date.now() - t);
	});
	goodSent += n;
	const sendSeconds = (Date.now() - t0) / 1000;
	await badRun;
	// Done when every good booking has its Klaviyo event (or 3 min without).
	const deadline = Date.now() + 180_000;
	let pending = ids;
	while (pending.length && Date.now() < deadline) {
		await sleep(100);
		pending = pending.filter((id) => klaviyoEventAt(emailOf(id)) === undefined);
	}
	const latencies = ids.map((id) => klaviyoEventAt(emailOf(id)) - sentAt.get(id)).filter(Number.isFinite);
	const last = Math.max(...ids.map((id) => klaviyoEventAt(emailOf(id)) ?? 0));
	const seconds = (last - t0) / 1000;
	const result = { label, n, delivered: latencies.length, seconds, sendSeconds, rate: latencies.length / seconds, p50: pct(latencies, 50), p95: pct(latencies, 95), badCount, load: load() };
	log(`${label}: ${result.delivered}/${n} good in ${seconds.toFixed(1)} s (sent over ${sendSeconds.toFixed(1)} s) = ${result.rate.toFixed(2)}/s, latency p50 ${result.p50} ms p95 ${result.p95} ms; bad ${badCount}; load ${result.load}`);
	return result;
}

/** CPU time (ms) a process has used, from /proc (utime + stime, 100 ticks/s). */
function cpuMs(pid) {
	try {
		const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(f[11]) + Number(f[12])) * 10;
	} catch {
		return NaN;
	}
}

/** One request at a time to webhook-1: its answer time and the CPU webhook-1 spent per request. */
async function probe(label, wf, make, count = 30) {
	const proc = state.webhooks[0];
	const times = [];
	const cpu0 = cpuMs(proc.pid);
	for (let i = 0; i < count; i++) {
		const { body, headers } = make(`b_probe_${i}`);
		const t = Date.now();
		await post(wf === n8nHookWf ? `${proc.url}/webhook/q-bad-input-n8n` : urlOf(proc, wf), body, headers);
		times.push(Date.now() - t);
	}
	const cpu = (cpuMs(proc.pid) - cpu0) / count;
	log(`probe ${label}: answer p50 ${pct(times, 50)} ms, webhook-1 CPU ${cpu.toFixed(0)} ms per request`);
	return { label, p50: pct(times, 50), cpu };
}

let state;
let exitCode = 0;
try {
	state = await up({
		name: 'bad-input',
		sandboxes,
		keys: TEST_KEYS,
		workers: 2,
		webhooks: 1,
		workflows: [signedWf, shippedWf, tinyWf, n8nHookWf],
		build: !process.argv.includes('--no-build'),
		env: ENGINE.env,
		credentials: (st, creds) => [...creds.map((c) => (c.type === 'peekProAiPeekProApi' ? { ...c, data: { ...c.data, webhookSecret: SECRET } } : c)), redisCredential(st)],
	});
	await sleep(3000);
	await leg('warm-up', 20);
	const probes = [];
	for (const [label, wf, make] of [
		['rejected (no signature), post-booking template', signedWf, FORGED_SIGNED['no signature']],
		['rejected (no signature), trigger-only workflow', tinyWf, FORGED_SIGNED['no signature']],
		['ignored (claimed cancellation), shipped template', shippedWf, FORGED_SHIPPED['claimed cancellation of a live booking']],
		["refused by n8n's Webhook node (IP allow-list)", n8nHookWf, (id) => ({ body: deliveryText(id) })],
		['rejected (truncated JSON), post-booking template', signedWf, (id) => ({ body: deliveryText(id).slice(0, 60), headers: signed(deliveryText(id).slice(0, 60)) })],
		// What an accepted delivery costs the webhook processor (verify-by-fetch, enqueue), for scale.
		['accepted (signed, Peek has it), trigger-only workflow', tinyWf, (id) => {
			seedBooking(`${id}_ok`);
			const body = deliveryText(`${id}_ok`);
			return { body, headers: signed(body) };
		}],
	]) probes.push(await probe(label, wf, make));
	const results = [];
	const ABBA = [false, true, true, false];
	const badPerLeg = Math.round(BAD / Array.from({ length: LEGS }, (_, l) => ABBA[l % 4]).filter(Boolean).length);
	const checks = [];
	for (let l = 0; l < LEGS; l++) {
		// ABBA order (good only, mixed, mixed, good only, …): latency drifts up over a run (+60–90 ms a
		// leg measured), and alternating ABAB would charge a leg of that drift to the mixed legs.
		const withBad = ABBA[l % 4];
		const r = await leg(`leg ${l + 1} ${withBad ? 'good + bad' : 'good only'}`, GOOD, { badCount: withBad ? badPerLeg : 0 });
		await sleep(3000);
		const h = await health();
		const c = { signed: executionsOf(signedWf), shipped: executionsOf(shippedWf), goodSent, health: h };
		checks.push(c);
		log(`after leg ${l + 1}: executions signed ${c.signed} (good sent ${goodSent}, warm-up included), shipped ${c.shipped}; processes ${h.procs - h.down.length}/${h.procs} alive and ready`);
		results.push({ ...r, withBad });
	}
	const final = checks.at(-1);
	const badEmailsActed = badIds.filter((id) => klaviyoEventAt(emailOf(id)) !== undefined).length;
	const badSent = [...answers].filter(([k]) => !k.startsWith('good')).reduce((s, [, m]) => s + [...m.values()].reduce((a, b) => a + b, 0), 0);
	const attributed = attribute();
	const startedByBad = attributed.badTotal;
	const crashed = new Set(checks.flatMap((c) => c.health.down)).size;
	const clean = results.filter((r) => !r.withBad);
	const mixed = results.filter((r) => r.withBad);
	const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
	const rateClean = mean(clean.map((r) => r.rate));
	const rateMixed = mean(mixed.map((r) => r.rate));
	const p50Clean = mean(clean.map((r) => r.p50));
	const p50Mixed = mean(mixed.map((r) => r.p50));
	const p95Clean = mean(clean.map((r) => r.p95));
	const p95Mixed = mean(mixed.map((r) => r.p95));
	// Same arrival rate in both: the good traffic is slowed by how much longer each event takes (median).
	const slowdown = (p50Mixed / p50Clean - 1) * 100;

	const out = (s = '') => process.stdout.write(`${s}\n`);
	out(`\nqueue mode: main + webhook-1 + 2 workers; ${cpus().length} cores; load average now ${load()}; ${ENGINE.label}`);
	out('one request at a time to webhook-1 (before the legs):');
	for (const p of probes) out(`  ${p.label.padEnd(52)} answer p50 ${String(p.p50).padStart(5)} ms, webhook-1 CPU ${p.cpu.toFixed(0).padStart(4)} ms per request`);
	out('answers by kind: HTTP status × count (0 = connection closed), answer time median / max ms');
	for (const [k, m] of [...answers].sort()) out(`  ${k.padEnd(72)} ${[...m].map(([s, c]) => `${s}×${c}`).join(' ').padEnd(14)} ${pct(answerMs.get(k), 50)} / ${Math.max(...answerMs.get(k))}`);
	out(`\ngood load: ${GOOD} signed booking.created per leg at ${RATE}/s (open loop); bad spread over the same window; ${goodResent} good deliveries re-sent after a non-2xx answer`);
	out('leg                      good  delivered  seconds   good/s   p50 ms   p95 ms    bad   bad/s   load 1/5/15');
	for (const r of results) out(`${r.label.padEnd(24)} ${String(r.n).padStart(5)} ${String(r.delivered).padStart(10)} ${r.seconds.toFixed(1).padStart(8)} ${r.rate.toFixed(2).padStart(8)} ${String(r.p50).padStart(8)} ${String(r.p95).padStart(8)} ${String(r.badCount).padStart(6)} ${(r.badCount / r.sendSeconds).toFixed(1).padStart(7)}   ${r.load}`);
	out(`\n                 good/s     p50 ms     p95 ms`);
	out(`good only      ${rateClean.toFixed(2).padStart(8)} ${p50Clean.toFixed(0).padStart(10)} ${p95Clean.toFixed(0).padStart(10)}`);
	out(`with bad mix   ${rateMixed.toFixed(2).padStart(8)} ${p50Mixed.toFixed(0).padStart(10)} ${p95Mixed.toFixed(0).padStart(10)}`);
	out(`ratio          ${(rateMixed / rateClean).toFixed(3).padStart(8)} ${(p50Mixed / p50Clean).toFixed(3).padStart(10)} ${(p95Mixed / p95Clean).toFixed(3).padStart(10)}   (goal: median latency < 1.10×, throughput unchanged)`);
	out(`executions: signed workflow ${final.signed} for ${final.goodSent} good events sent; shipped workflow ${final.shipped} (it was sent only forgeries); Klaviyo events for bad bookings' guests: ${badEmailsActed}`);
	out(`attributed by the booking each names: ${attributed.goodExecutions} executions for ${attributed.goodIds} good bookings (more than one: a good delivery re-sent after no answer within 60 s, to the other process; the claim step stops the repeat), ${attributed.badTotal} for bad requests, ${attributed.other} naming neither`);
	for (const [k, n] of attributed.bad) out(`  started by bad: ${k} × ${n}`);
	out(`bad ${badSent}, executions started by bad ${startedByBad}, crashed ${crashed}, good slowdown ${slowdown.toFixed(1)}%`);
	if (startedByBad || crashed || badEmailsActed) exitCode = 1;
} finally {
	clearInterval(stamper);
	await down('bad-input');
	await stopSandboxes(sandboxes);
	agent.destroy();
}
process.exit(exitCode);
