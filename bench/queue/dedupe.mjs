/**
 * Cross-process duplicate suppression, measured (issue 16). Under n8n queue mode, every booking event
 * is delivered TWICE AT THE SAME TIME, once to main and once to the webhook processor (two processes,
 * two in-process caches), into three workflows that differ only in the step after the Peek Pro Trigger:
 *
 *   trigger-only       Peek Pro Trigger → Handled             (the trigger's in-process guard alone)
 *   remove-duplicates  Peek Pro Trigger → Remove Duplicates v2 (removeItemsSeenInPreviousExecutions,
 *                      n8n's database-backed store) → Handled
 *   redis-claim        Peek Pro Trigger → Redis INCR `peekpro:claim:<workflow>:<booking>:<event>`
 *                      (TTL 7 days) → If count = 1 → Handled
 *
 * "Handled" posts the booking id to a recording fake, so what is counted is what a vendor would have
 * received. Per workflow: events, handled (distinct), duplicates (extra handlings), lost.
 *
 *   node bench/queue/dedupe.mjs [--events 200] [--workers 2] [--no-build]
 */
import { Agent, request } from 'node:http';

import { sampleDelivery, startPeekFake } from '../../test/fakes/peek.mjs';
import { startRecorder } from '../../test/fakes/recorder.mjs';
import { down, up } from '../../scripts/queue-topology.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1]]] : pairs), []));
const EVENTS = Number(args.events ?? 200);
const WORKERS = Number(args.workers ?? 2);
const log = (msg) => process.stderr.write(`[dedupe] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const REDIS_CREDENTIAL = { id: 'PeekQueueRedis01', name: 'Queue Redis', type: 'redis' };
// Verify-by-fetch is off; the Peek credential serves the webhook registration on activation.
const PEEK_CREDENTIAL = { id: 'PeekQueuePeek001', name: 'Peek Pro (bench)', type: 'peekProAiPeekProApi' };

function trigger(webhookId) {
	return {
		id: 'trigger',
		name: 'Peek Pro Trigger',
		type: 'n8n-nodes-peekpro-ai.peekProTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		credentials: { peekProAiPeekProApi: { id: PEEK_CREDENTIAL.id, name: PEEK_CREDENTIAL.name } },
		parameters: { events: ['booking.created'], verifyByFetch: false, signature: 'none', sharedSecret: 'none', options: {} },
	};
}

function handled(recorderUrl, variant, idExpression) {
	return {
		id: 'handled',
		name: 'Handled',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [600, 0],
		parameters: { method: 'POST', url: `${recorderUrl}/handled/${variant}`, sendBody: true, specifyBody: 'json', jsonBody: `={{ JSON.stringify({ id: ${idExpression} }) }}`, options: {} },
	};
}

function workflows(recorderUrl) {
	const wf = (id, name, nodes, connections) => ({ id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} });
	const link = (...names) => Object.fromEntries(names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
	return [
		wf('QDedupeTrigOnly1', 'dedupe: trigger only', [trigger('qd-trigger-only'), handled(recorderUrl, 'trigger-only', '$json.id')], link('Peek Pro Trigger', 'Handled')),
		wf(
			'QDedupeRemDup001',
			'dedupe: remove duplicates',
			[
				trigger('qd-remove-dups'),
				{
					id: 'rd',
					name: 'Remove Duplicates',
					type: 'n8n-nodes-base.removeDuplicates',
					typeVersion: 2,
					position: [300, 0],
					parameters: { operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: '={{ $json.id }}:{{ $json.event }}', options: {} },
				},
				handled(recorderUrl, 'remove-duplicates', '$json.id'),
			],
			link('Peek Pro Trigger', 'Remove Duplicates', 'Handled'),
		),
		wf(
			'QDedupeRedis0001',
			'dedupe: redis claim',
			[
				trigger('qd-redis-claim'),
				{
					id: 'claim',
					name: 'Claim event',
					type: 'n8n-nodes-base.redis',
					typeVersion: 1,
					position: [200, 0],
					credentials: { redis: { id: REDIS_CREDENTIAL.id, name: REDIS_CREDENTIAL.name } },
					parameters: { operation: 'incr', key: "=peekpro:claim:{{ $workflow.id }}:{{ $json.id }}:{{ $json.event }}", expire: true, ttl: 604800 },
				},
				{
					id: 'first',
					name: 'First claim?',
					type: 'n8n-nodes-base.if',
					typeVersion: 2.2,
					position: [400, 0],
					parameters: {
						conditions: {
							options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
							conditions: [{ id: 'c1', leftValue: '={{ Object.values($json)[0] }}', rightValue: 1, operator: { type: 'number', operation: 'equals' } }],
							combinator: 'and',
						},
						options: {},
					},
				},
				handled(recorderUrl, 'redis-claim', "$('Peek Pro Trigger').item.json.id"),
			],
			link('Peek Pro Trigger', 'Claim event', 'First claim?', 'Handled'),
		),
	];
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });
function post(url, body, headers) {
	return new Promise((resolve) => {
		const u = new URL(url);
		const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.on('error', () => resolve(0));
		req.end(body);
	});
}

// Activation registers the webhook with Peek (the fake answers as Peek does); deliveries are not verified.
const peek = await startPeekFake({ apiKey: 'peek-bench-key' });
const recorder = await startRecorder({ routes: { '/handled/trigger-only': { status: 200, body: {} } } });
const wfs = workflows(recorder.url);
let state;
try {
	// Workflows are activated before the webhook processors start: a processor that is already running
	// answers 404 for a webhook activated after it started until its webhook cache catches up.
	state = await up({
		name: 'dedupe',
		workers: WORKERS,
		webhooks: 1,
		workflows: wfs,
		build: !process.argv.includes('--no-build'),
		credentials: (st) => [{ ...PEEK_CREDENTIAL, data: { apiKey: 'peek-bench-key', baseUrl: peek.url } }, { ...REDIS_CREDENTIAL, data: { host: '127.0.0.1', port: st.redis.port, database: 0, password: '', ssl: false } }],
	});
	await sleep(3000);
	const receivers = [state.main, state.webhooks[0]];
	const results = [];
	for (const wf of wfs) {
		const webhookId = wf.nodes[0].webhookId;
		const t0 = Date.now();
		const statuses = [];
		const answers = {};
		// Pairs go out 8 at a time; the two copies of a pair leave together, one to each process.
		for (let i = 0; i < EVENTS; i += 8) {
			const batch = [];
			for (let j = i; j < Math.min(EVENTS, i + 8); j++) {
				const id = `q${wf.id.slice(-6)}_${j}`;
				const body = JSON.stringify(sampleDelivery('peek_automation_api', { id }));
				const headers = { 'x-peek-delivery-id': `dlv_${id}` };
				for (const proc of receivers) batch.push(post(`${proc.url}/webhook/${webhookId}/webhook`, body, headers));
			}
			statuses.push(...(await Promise.all(batch)));
		}
		// Wait until the handled count stops growing (every execution has run).
		const path = `/handled/${wf.name.replace('dedupe: ', '').replaceAll(' ', '-')}`;
		let last = -1;
		let stable = 0;
		while (stable < 5) {
			await sleep(1000);
			const n = recorder.requests.filter((r) => r.path === path).length;
			stable = n === last ? stable + 1 : 0;
			last = n;
		}
		const seen = new Map();
		for (const r of recorder.requests.filter((r) => r.path === path)) seen.set(r.body?.id, (seen.get(r.body?.id) ?? 0) + 1);
		const distinct = seen.size;
		const dupes = [...seen.values()].reduce((s, c) => s + c - 1, 0);
		for (const c of statuses) answers[c] = (answers[c] ?? 0) + 1;
		results.push({ answers, variant: wf.name.replace('dedupe: ', ''), events: EVENTS, deliveries: statuses.length, accepted: statuses.filter((s) => s === 200).length, handled: distinct, duplicates: dupes, lost: EVENTS - distinct, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
		log(JSON.stringify(results.at(-1)));
	}
	process.stdout.write(`\nConcurrent duplicate pairs, one copy to main and one to webhook-1, ${WORKERS} workers, queue mode on Postgres:\n`);
	process.stdout.write('variant             events  handled  duplicates  lost\n');
	for (const r of results) process.stdout.write(`${r.variant.padEnd(20)}${String(r.events).padStart(6)}${String(r.handled).padStart(9)}${String(r.duplicates).padStart(12)}${String(r.lost).padStart(6)}\n`);
} finally {
	await down('dedupe');
	await recorder.close?.();
	await peek.close?.();
	agent.destroy();
}
