#!/usr/bin/env node
// Delivers N events (default 10,000) through the Klaviyo node's Event → Create operation to the local
// fake Klaviyo on loopback, which enforces 350/s and 3,500/min on /api/events and injects 5 % 429s
// and 1 % 500s. Prints lost, duplicated and the achieved rate as a fraction of the allowed steady rate.
//
//   node bench/klaviyo/deliver-10k.mjs [--events 10000] [--rate429 0.05] [--rate500 0.01] [--retry-after 1|none] [--concurrency 16]
//
// 10,000 events at 3,500/min take about three minutes; this is not part of npm test.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startKlaviyoFake } from '../../test/fakes/klaviyo.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = Object.fromEntries(
	process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const N = Number(args.events ?? 10_000);
const rate429 = Number(args.rate429 ?? 0.05);
const rate500 = Number(args.rate500 ?? 0.01);
const retryAfterSeconds = args['retry-after'] === 'none' ? null : Number(args['retry-after'] ?? 1);
const concurrency = Number(args.concurrency ?? 16);

// Bundle the node (TypeScript) for plain Node; n8n-workflow stays external, as inside n8n.
const outDir = join(root, '.cache/bench/klaviyo');
mkdirSync(outDir, { recursive: true });
await build({
	entryPoints: { node: join(root, 'nodes/Klaviyo/Klaviyo.node.ts'), credential: join(root, 'credentials/PeekProAiKlaviyoApi.credentials.ts') },
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	outdir: outDir,
	external: ['n8n-workflow'],
	logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { Klaviyo } = require(join(outDir, 'node.js'));
const { PeekProAiKlaviyoApi } = require(join(outDir, 'credential.js'));
const { NodeApiError } = require('n8n-workflow');

const fake = await startKlaviyoFake({ rate429, rate500, seed: 42, retryAfterSeconds });
const credential = new PeekProAiKlaviyoApi();
const credentials = { apiKey: 'pk_bench', baseUrl: fake.url };
const node = { id: 'bench', name: 'Klaviyo', type: 'n8n-nodes-peekpro-ai.klaviyo', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { peekProAiKlaviyoApi: { id: 'bench-cred', name: 'Klaviyo' } } };
const parameters = { resource: 'event', operation: 'create', metricName: 'Tour Booked', options: { maxConcurrency: concurrency } };
const items = Array.from({ length: N }, (_, i) => ({
	json: {
		schema: 'peekpro-ai/canonical@1',
		id: `B-${i}`,
		source: 'peek_automation_api',
		status: 'confirmed',
		event: 'booking.created',
		customer: { email: `guest${i}@example.com`, firstName: 'Guest' },
		activity: { name: 'Alps day trip', tags: [] },
		total: { amount: 120, currency: 'EUR' },
	},
}));

/** The parts of IExecuteFunctions the node uses, with n8n's httpRequest semantics over real HTTP. */
const context = {
	getNode: () => node,
	getInputData: () => items,
	getWorkflow: () => ({ id: 'bench', name: 'bench', active: true }),
	getExecutionId: () => 'bench',
	continueOnFail: () => true,
	getCredentials: async () => credentials,
	getNodeParameter: (name, _i, fallback) => (name in parameters ? parameters[name] : fallback),
	logger: { debug() {}, info() {}, warn() {}, error() {} },
	helpers: {
		async httpRequestWithAuthentication(_type, options) {
			const url = new URL(options.url);
			for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
			const headers = { ...options.headers, authorization: credential.authenticate.properties.headers.Authorization.replace('={{$credentials.apiKey}}', credentials.apiKey).replace(/^=/, '') };
			let res;
			try {
				res = await fetch(url, { method: options.method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(options.timeout ?? 30_000) });
			} catch (error) {
				const code = error.name === 'TimeoutError' ? 'ECONNABORTED' : (error.cause?.code ?? 'ECONNRESET');
				throw new NodeApiError(node, Object.assign(new Error(error.message), { code }));
			}
			const text = await res.text();
			let body = text;
			try {
				body = text ? JSON.parse(text) : '';
			} catch {}
			return { statusCode: res.status, headers: Object.fromEntries(res.headers.entries()), body };
		},
	},
};

const started = Date.now();
const [out] = await new Klaviyo().execute.call(context);
const seconds = (Date.now() - started) / 1000;
await fake.close();

const accepted = out.filter((o) => o.json.status === 'accepted').length;
const failed = out.filter((o) => o.json.error).length;
const delivered = fake.deliveredUniqueIds.size;
const expected = new Set(items.map((it) => `Tour Booked\u0000${it.json.id}:booking.created`));
const lost = [...expected].filter((k) => !fake.deliveredUniqueIds.has(k)).length;
const steadyPerSecond = 3500 / 60;
const deliveredRate = delivered / seconds;
const admittedRate = fake.state.counts.admitted / seconds;
const invalid = fake.requests.filter((r) => r.valid === false).length;

console.log(JSON.stringify({ events: N, rate429, rate500, retryAfterSeconds, concurrency, seconds: Number(seconds.toFixed(1)) }));
console.log(`requests at the fake: ${fake.requests.length} (invalid vs spec: ${invalid}); limiter 429s: ${fake.state.counts.limited429}; injected 429s: ${fake.state.counts.injected429}; injected 500s: ${fake.state.counts.injected500}`);
console.log(`node output: ${accepted} accepted, ${failed} failed, ${out.length - accepted - failed} other`);
console.log(`lost: ${lost}`);
console.log(`duplicated: ${fake.duplicates}`);
console.log(`delivered events/s: ${deliveredRate.toFixed(2)}; ÷ allowed steady ${steadyPerSecond.toFixed(2)}/s = ${(deliveredRate / steadyPerSecond).toFixed(3)}`);
console.log(`admitted requests/s (events-quota use, incl. faulted attempts): ${admittedRate.toFixed(2)}; ÷ steady = ${(admittedRate / steadyPerSecond).toFixed(3)}`);
process.exitCode = lost === 0 && fake.duplicates === 0 && invalid === 0 ? 0 : 1;
