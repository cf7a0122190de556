/**
 * Soak under n8n queue mode (issue 16): N booking.created events into the post-booking-upsell
 * template (shadow mode off, so it writes to Klaviyo) on main + webhook-1 + 2 workers, Postgres, Redis.
 *
 * - The fake Klaviyo injects 5 % 429 (Retry-After 1 s), 1 % 500 and 1 % timeouts (no answer; the
 *   transport's 30 s timeout fires), and enforces Klaviyo's limits on events (350/s, 3,500/min) and
 *   profile upserts (75/s, 750/min), recording the peak rate the fleet sent in any 1 s and 60 s window.
 * - The Klaviyo credential says "Processes Sharing This Key" = number of workers, so each worker's
 *   client-side buckets take an equal share of Klaviyo's limits.
 * - Every 20th event (5 %) is delivered twice at once, one copy to main and one to webhook-1.
 * - The template runs with the queue-mode claim step (scripts/queue-topology.mjs `withFleetClaim`:
 *   Redis INCR behind the trigger), as the README's production layout says.
 * - Half way through the sends, worker-1 is SIGKILLed, then restarted. n8n does not re-run a job whose
 *   worker died (its Bull queue has maxStalledCount 0): those executions end "error" ("failed to be
 *   processed too many times") with their data erased. The recovery is what the README tells an
 *   operator to set up: the template workflows/recover-crashed-executions.json imported, set live
 *   (shadowMode false) and published, named as the flow's error workflow, and the flow given its three
 *   steps (`withCrashRecovery`: Record run, Record claim owner, Recover crashed run). The bench itself
 *   retries nothing. A job killed before the flow's first step leaves no run record: the recovery then
 *   sweeps the fake Peek (Booking → Get Changed Since) for the bookings purchased within the claim lease
 *   (its Config gets `--lease`), as Peek would answer: each booking exists at the fake from the moment
 *   its delivery is sent, with that moment as its purchase time.
 * - n8n reports a dead worker's jobs once their lock expires, at the next stalled-job check: up to
 *   60 + 30 s after the kill at n8n's defaults (QUEUE_WORKER_LOCK_DURATION, _STALLED_INTERVAL), and the
 *   sweep can only reach back one lease. With a lease shorter than that (`--lease 30`), the bench gives
 *   n8n a 10 s lock renewed every 2.5 s and a 3 s check, as an operator with such a lease would.
 * - `--freeze S` makes the kill catch jobs before their first step, the case only the sweep recovers:
 *   worker-1 is SIGSTOPped for S seconds first. Redis keeps handing it jobs during that time (its
 *   blocking pop was already waiting), which it never starts; then SIGKILL and restart as above.
 * - `--n8n-retry` instead reproduces the measurement that rules out n8n's own Retry: every crashed
 *   execution retried through POST /rest/executions/:id/retry, each answer logged.
 *
 * Counted at the fake Klaviyo, per booking (each booking has its own guest email): delivered = bookings
 * whose event Klaviyo accepted, duplicates = extra accepted events for a booking with another unique_id
 * (Klaviyo would record both), lost = bookings with none. Exact unique_id repeats (a retry after a
 * timeout or crash that Klaviyo had already accepted) are reported apart: Klaviyo keeps one.
 *
 *   node bench/queue/soak.mjs [--events 10000] [--workers 2] [--concurrency 12] [--lease 60] [--freeze 0] [--no-build] [--n8n-retry]
 * Last line: `events N, delivered N, duplicates N, lost N`.
 */
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { sampleDelivery, samplePeekBooking } from '../../test/fakes/peek.mjs';
import { startKlaviyoFake } from '../../test/fakes/klaviyo.mjs';
import { projectRoot } from '../../test/harness/n8n.mjs';
import { TEST_KEYS, pointTemplateAtSandboxes, startSandboxes, stopSandboxes } from '../../scripts/sandboxes.mjs';
import { down, freezeWorker, hostFor, killWorker, redisCredential, startWorker, up, withFleetClaim } from '../../scripts/queue-topology.mjs';
import { RECOVERY_WORKFLOW_ID, withCrashRecovery } from '../../scripts/templates/recover-crashed-executions.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const EVENTS = Number(args.events ?? 10_000);
const WORKERS = Number(args.workers ?? 2);
const CONCURRENCY = Number(args.concurrency ?? 12);
const LEASE_S = Number(args.lease ?? 60);
const FREEZE_S = Number(args.freeze ?? 0);
const N8N_RETRY = process.argv.includes('--n8n-retry');
const log = (msg) => process.stderr.write(`[soak] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const sandboxes = await startSandboxes({ keys: TEST_KEYS });
await sandboxes.klaviyo.close();
const klaviyo = await startKlaviyoFake({
	apiKey: TEST_KEYS.klaviyo,
	rate429: 0.05,
	rate500: 0.01,
	rateTimeout: 0.01,
	seed: 16,
	profileLimits: { burst: 75, perMinute: 750 },
});
sandboxes.klaviyo = klaviyo;

const bookingId = (i) => `b_soak_${i}`;
const emailOf = (i) => `guest${i}@soak.example`;
/** Booking i appears at the fake Peek when its delivery is sent, purchased at that moment (as Peek would list it). */
const sentAt = new Map();
function purchase(i) {
	const base = samplePeekBooking({ id: bookingId(i) });
	sentAt.set(i, Date.now());
	sandboxes.peek.bookings.set(bookingId(i), { ...base, displayId: `SOAK-${i}`, purchasedAt: new Date().toISOString(), purchaser: { ...base.purchaser, email: emailOf(i), name: `Guest ${i}` } });
}
// n8n's defaults report a crash up to lock + check interval after it (see above); the sweep needs it within the lease.
const DETECT_DEFAULT_S = 60 + 30;
const fastDetection = LEASE_S < DETECT_DEFAULT_S + 30 ? { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2500', QUEUE_WORKER_STALLED_INTERVAL: '3000' } : {};

const template = JSON.parse(readFileSync(join(projectRoot, 'workflows', 'post-booking-upsell.json'), 'utf8'));
for (const node of template.nodes) {
	if (node.name !== 'Config') continue;
	for (const a of node.parameters.assignments.assignments) if (a.name === 'shadowMode') a.value = false;
}
const claimed = withFleetClaim(pointTemplateAtSandboxes(template, sandboxes), { leaseSeconds: LEASE_S });
const workflow = N8N_RETRY ? claimed : withCrashRecovery(claimed);
// The recovery template as an operator sets it up: imported as shipped, switched live, published.
const recovery = JSON.parse(readFileSync(join(projectRoot, 'workflows', 'recover-crashed-executions.json'), 'utf8'));
// Live, the flow's lease; margin 1 s: the fakes and n8n share one clock (the shipped 60 s is for Peek's clock vs n8n's).
const recoveryConfig = { shadowMode: false, claimLeaseSeconds: LEASE_S, sweepMarginSeconds: 1 };
for (const a of recovery.nodes.find((n) => n.name === 'Config').parameters.assignments.assignments) if (a.name in recoveryConfig) a.value = recoveryConfig[a.name];
const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger');

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function post(url, body, headers) {
	return new Promise((resolve) => {
		const u = new URL(url);
		const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.setTimeout(60_000, () => req.destroy());
		req.on('error', () => resolve(0));
		req.end(body);
	});
}

/** Accepted create_event requests per guest email, with their unique_ids. */
function acceptedByEmail() {
	const by = new Map();
	for (const r of klaviyo.requests) {
		if (r.operationId !== 'create_event' || r.status !== 202) continue;
		const email = r.body?.data?.attributes?.profile?.data?.attributes?.email;
		if (!by.has(email)) by.set(email, []);
		by.get(email).push(r.body.data.attributes.unique_id);
	}
	return by;
}

async function settle(label, maxMs) {
	// Until the accepted count has not moved for 45 s (longer than a timed-out attempt plus its retry).
	const t0 = Date.now();
	let last = -1;
	let since = Date.now();
	while (Date.now() - t0 < maxMs) {
		await sleep(3000);
		const n = klaviyo.state.counts.accepted;
		if (n !== last) {
			last = n;
			since = Date.now();
		} else if (Date.now() - since > 45_000) break;
		log(`${label}: ${acceptedByEmail().size}/${EVENTS} bookings delivered, ${n} accepted events`);
	}
}

let state;
try {
	state = await up({
		name: 'soak',
		sandboxes,
		keys: TEST_KEYS,
		workers: WORKERS,
		webhooks: 1,
		workflows: N8N_RETRY ? [workflow] : [workflow, recovery],
		// The recovery's own error workflow (a failed recovery is audited like any failure).
		publish: ['error-handler'],
		build: !process.argv.includes('--no-build'),
		env: fastDetection,
		credentials: (st, creds) => [
			...creds.map((c) => (c.type === 'peekProAiKlaviyoApi' ? { ...c, data: { ...c.data, sharingProcesses: WORKERS } } : c)),
			redisCredential(st),
		],
	});
	const host = hostFor(state);
	await sleep(3000);
	const receivers = [state.main, state.webhooks[0]];
	const url = (proc) => `${proc.url}/webhook/${trigger.webhookId}/webhook`;
	const statuses = new Map();
	let next = 0;
	let killed = false;
	let killedAt = 0;
	let retried = 0;
	const t0 = Date.now();
	async function sender() {
		while (next < EVENTS) {
			const i = next++;
			if (!killed && i >= EVENTS / 2) {
				killed = true;
				killedAt = Date.now();
				// Not awaited: the senders go on while worker-1 is frozen, so jobs keep reaching it.
				(async () => {
					if (FREEZE_S > 0) {
						freezeWorker(state, 0);
						await sleep(FREEZE_S * 1000);
					}
					killWorker(state, 0);
					await startWorker(state, 0);
				})().then(() => log('worker-1 restarted'), (e) => log(`worker-1 restart failed: ${e.message}`));
			}
			purchase(i);
			const body = JSON.stringify(sampleDelivery('peek_automation_api', { id: bookingId(i) }));
			const headers = { 'x-peek-delivery-id': `dlv_${i}` };
			const twice = i % 20 === 0;
			const targets = twice ? receivers : [receivers[i % 2]];
			// A delivery that gets no 2xx is sent again, as Peek retries a failed delivery (up to 5 tries).
			const deliver = async (p) => {
				let code = 0;
				for (let attempt = 1; attempt <= 5; attempt++) {
					code = await post(url(p), body, headers);
					if (code >= 200 && code < 300) break;
					retried++;
					await sleep(2000 * attempt);
				}
				return code;
			};
			const codes = await Promise.all(targets.map(deliver));
			for (const c of codes) statuses.set(c, (statuses.get(c) ?? 0) + 1);
			if (i % 500 === 0) log(`sent ${i}/${EVENTS}`);
		}
	}
	await Promise.all(Array.from({ length: CONCURRENCY }, sender));
	const sendSeconds = (Date.now() - t0) / 1000;
	log(`all ${EVENTS} events sent in ${sendSeconds.toFixed(0)} s; final answers ${JSON.stringify(Object.fromEntries(statuses))}, ${retried} deliveries re-sent after no 2xx`);
	await settle('draining', 3_600_000);

	// Crashed executions: those the killed worker had in flight. n8n's executions list pages by 100.
	const listFailed = async () => {
		const found = [];
		for (let lastId; ; ) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id, status: ['crashed', 'error'] }));
			const page = await host.rest('GET', `/rest/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`);
			const rows = (page.results ?? page).filter((e) => ['crashed', 'error'].includes(e.status) && !found.some((f) => f.id === e.id));
			found.push(...rows);
			if (rows.length < 1 || (page.results ?? page).length < 100) break;
			lastId = Math.min(...rows.map((e) => Number(e.id)));
		}
		return found;
	};
	const failedList = (await listFailed()).filter((e) => e.mode !== 'integrated');
	log(`${failedList.length} executions crashed or failed: ${JSON.stringify(failedList.map((e) => e.id))}`);
	if (N8N_RETRY && failedList.length) {
		const wait = Math.max(0, LEASE_S * 1000 - (Date.now() - t0 - sendSeconds * 1000)) + 2000;
		log(`waiting ${(wait / 1000).toFixed(0)} s for the claim lease, then retrying them with n8n's Retry`);
		await sleep(wait);
		for (const e of failedList) {
			const full = await host.rest('GET', `/rest/executions/${e.id}`);
			// The stored data (flatted): what Retry would resume from.
			const data = String(full.data ?? '');
			log(`crashed ${e.id}: data ${data.length} chars, runData empty ${/"runData":"\d+"/.test(data) && data.includes(',{},')}, message ${(data.match(/This execution failed to be processed too many times|Workflow did not finish[^"]*/) ?? ['?'])[0]}`);
			try {
				const r = await host.rest('POST', `/rest/executions/${e.id}/retry`, { loadWorkflow: true });
				log(`retry ${e.id} → execution ${r.id}: status ${r.status}, nodes run ${Object.keys(r.data?.resultData?.runData ?? {}).length}, error ${String(r.data?.resultData?.error?.message ?? '').slice(0, 60)}`);
			} catch (error) {
				log(`retry ${e.id}: ${error.message.slice(0, 200)}`);
			}
		}
		await settle('after retries', 600_000);
	}
	let outcomes = {};
	const sweptReruns = [];
	const sweepSkips = {};
	if (!N8N_RETRY) {
		// Each crashed execution gets one recovery audit row (its error workflow may run twice: once when a
		// surviving worker finds the job stalled, once when the restarted worker reads its event log).
		// A crash with no run record adds a row per booking event its sweep found. Filtered at n8n, paged
		// (a page holds at most 250 rows; the flow's own audit rows outnumber these).
		const projectId = await host.personalProjectId();
		const tableId = await host.ensureDataTable({ name: 'peekpro_ai_audit', columns: [] });
		const filter = encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'flow', condition: 'eq', value: 'recover-crashed-executions' }] }));
		const recoveryRows = async () => {
			const all = [];
			for (let skip = 0; ; skip += 250) {
				const page = await host.rest('GET', `/rest/projects/${projectId}/data-tables/${tableId}/rows?take=250&skip=${skip}&filter=${filter}`);
				const rows = page.data ?? page;
				all.push(...rows);
				if (rows.length < 250) return all;
			}
		};
		const deadline = Date.now() + 300_000;
		let rows = await recoveryRows();
		const covered = () => failedList.every((e) => rows.some((r) => String(r.inputSummary ?? '').includes(`"failedExecution":"${e.id}"`)));
		while (!covered() && Date.now() < deadline) {
			await sleep(5000);
			rows = await recoveryRows();
		}
		await settle('after recoveries', 600_000);
		rows = await recoveryRows();
		for (const r of rows) {
			let summary = {};
			try {
				summary = JSON.parse(r.inputSummary ?? '{}') ?? {};
			} catch {
				/* not JSON */
			}
			const key = `${r.decision}/${r.result}${summary.via ? `/${summary.via}` : ''}`;
			outcomes[key] = (outcomes[key] ?? 0) + 1;
			if (summary.via === 'sweep' && r.decision === 'execution.recovered' && r.result === 'decided') sweptReruns.push(r.bookingId);
			if (summary.via === 'sweep' && r.decision === 'execution.recovery_skipped') {
				sweepSkips[summary.reason] = (sweepSkips[summary.reason] ?? 0) + 1;
				continue;
			}
			log(`recovery row: ${r.decision} ${r.result} booking ${r.bookingId} ${String(r.inputSummary ?? '').slice(0, 200)} ${String(r.detail ?? '').slice(0, 160)}`);
		}
	}

	const by = acceptedByEmail();
	let delivered = 0;
	let duplicates = 0;
	let repeats = 0;
	for (let i = 0; i < EVENTS; i++) {
		const ids = by.get(emailOf(i)) ?? [];
		if (ids.length) delivered++;
		const distinct = new Set(ids).size;
		duplicates += Math.max(0, distinct - 1);
		repeats += ids.length - distinct;
	}
	const lost = EVENTS - delivered;
	const c = klaviyo.state.counts;
	process.stdout.write(`\nqueue mode: main + webhook-1 + ${WORKERS} workers (worker-1 ${FREEZE_S > 0 ? `SIGSTOPped at event ${EVENTS / 2}, SIGKILLed ${FREEZE_S} s later` : `SIGKILLed at event ${EVENTS / 2}`} and restarted), ${(EVENTS * 0.05).toFixed(0)} events delivered twice to different processes\n`);
	process.stdout.write(`fake Klaviyo: injected ${c.injected429} × 429, ${c.injected500} × 500, ${c.injectedTimeout} timeouts; limiter 429s: events ${c.limited429}, profiles ${c.limitedProfile429 ?? 0}\n`);
	process.stdout.write(`peak sent: events ${klaviyo.state.peaks.perSecond}/s ${klaviyo.state.peaks.perMinute}/min (limit 350/s 3500/min); profiles ${klaviyo.state.profilePeaks.perSecond}/s ${klaviyo.state.profilePeaks.perMinute}/min (limit 75/s 750/min)\n`);
	const lostIds = Array.from({ length: EVENTS }, (_, i) => i).filter((i) => !by.get(emailOf(i))?.length).map(bookingId);
	process.stdout.write(`crashed executions: ${failedList.length}; ${N8N_RETRY ? `each retried with n8n's Retry` : `recovery (recover-crashed-executions) audit rows: ${JSON.stringify(outcomes)}`}; lost bookings: ${JSON.stringify(lostIds)}\n`);
	if (!N8N_RETRY) {
		process.stdout.write(`worker-1 ${FREEZE_S > 0 ? `frozen at ${new Date(killedAt).toISOString()}, killed ${FREEZE_S} s later` : `killed at ${new Date(killedAt).toISOString()}`}\n`);
		const sweeps = Object.entries(outcomes).filter(([k]) => k.startsWith('execution.swept/')).reduce((n, [, v]) => n + v, 0);
		process.stdout.write(`sweeps (crashes with no run record; window ${LEASE_S - 1} s of the ${LEASE_S} s lease${Object.keys(fastDetection).length ? ', n8n lock 10 s / stalled check 3 s' : ''}): ${sweeps}; swept re-runs ${sweptReruns.length} ${JSON.stringify(sweptReruns)}; skipped ${JSON.stringify(sweepSkips)}\n`);
		if (lostIds.length) process.stdout.write(`lost bookings' deliveries were sent ${JSON.stringify(lostIds.map((id) => `${((sentAt.get(Number(id.split('_').pop())) - killedAt) / 1000).toFixed(1)} s`))} from the kill\n`);
	}
	process.stdout.write(`exact unique_id repeats (Klaviyo keeps one): ${repeats}; wall time ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
	process.stdout.write(`events ${EVENTS}, delivered ${delivered}, duplicates ${duplicates}, lost ${lost}\n`);
} finally {
	await down('soak');
	await stopSandboxes(sandboxes);
	agent.destroy();
}
