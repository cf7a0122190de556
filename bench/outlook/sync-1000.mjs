#!/usr/bin/env node
// Syncs N bookings (default 1,000) for G guides (default 50) through the Outlook Calendar node's
// Sync to Event operation (one-way phase, conflict check on) against the local fake Graph on loopback,
// with Outlook's throttling on: 16 requests/s per mailbox (Outlook's 10,000 per 10 minutes) and at most
// 4 members per mailbox in one $batch, both answered 429 + Retry-After: 1 as Graph does. Then the same
// N bookings are delivered again (a redelivery storm). Prints HTTP and Graph requests per booking,
// time, 429s ridden out, duplicates and lost bookings.
//
//   node bench/outlook/sync-1000.mjs [--bookings 1000] [--guides 50] [--retry-after 1]
import { createRequire } from 'node:module';

import { bundleAndLoad } from '../bundle.mjs';

const require = createRequire(import.meta.url);
const { startGraphFake } = await import('../../test/fakes/graph.mjs');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const N = Number(args.bookings ?? 1000);
const G = Number(args.guides ?? 50);
const retryAfterSeconds = Number(args['retry-after'] ?? 1);

const { OutlookCalendar } = await bundleAndLoad('outlook', "export { OutlookCalendar } from './nodes/OutlookCalendar/OutlookCalendar.node';");
const { NodeApiError } = require('n8n-workflow');

const fake = await startGraphFake({ mailboxPerSecond: 16, mailboxBurst: 20, batchMailboxConcurrency: 4, retryAfterSeconds });
const credentials = { tenantId: 't', clientId: 'c', clientSecret: 's', baseUrl: fake.baseUrl, accessToken: 'test-token' };
const node = { id: 'bench', name: 'Outlook Calendar', type: 'n8n-nodes-peekpro-ai.outlookCalendar', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { peekProAiMicrosoftGraphAppOnlyApi: { id: 'bench-cred', name: 'Graph' } } };
const parameters = { authentication: 'appOnly', rolloutPhase: 'oneWay', resource: 'booking', operation: 'sync', mailboxSource: 'guideEmail', noMailbox: 'error', conflictCheck: { bufferBefore: 0, bufferAfter: 0 }, options: {} };

// Each guide leads one 2-hour tour a day, so no booking clashes with another one of the same guide.
const day0 = Date.parse('2027-05-01T15:00:00Z');
// Ordered guide by guide (as a per-guide export arrives): the worst case for per-mailbox limits.
const perGuide = Math.ceil(N / G);
const bookings = Array.from({ length: N }, (_, i) => {
	const guide = Math.floor(i / perGuide);
	const dayIndex = i % perGuide;
	return {
		schema: 'peekpro-ai/canonical@1',
		id: `BENCH-${i}`,
		source: 'peek_automation_api',
		status: i % 5 === 0 ? 'pending' : 'confirmed',
		customer: { firstName: 'Guest', lastName: String(i) },
		activity: { name: 'Canyon hike', timeZone: 'America/Denver', tags: [] },
		guides: [{ id: `g${guide}`, name: `Guide ${guide}`, email: `guide${guide}@outfitter.test` }],
		startsAt: new Date(day0 + dayIndex * 86_400_000).toISOString(),
		endsAt: new Date(day0 + dayIndex * 86_400_000 + 7_200_000).toISOString(),
		partySize: 1 + (i % 6),
	};
});

function context(items) {
	return {
		getNode: () => node,
		getInputData: () => items,
		getWorkflow: () => ({ id: 'bench', name: 'bench', active: true }),
		getExecutionId: () => 'bench',
		continueOnFail: () => true,
		getCredentials: async () => credentials,
		getNodeParameter: (name, _i, fallback) => {
			const value = name.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), parameters);
			return value === undefined ? fallback : value;
		},
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			async httpRequestWithAuthentication(_type, options) {
				const url = new URL(options.url);
				for (const [k, v] of Object.entries(options.qs ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
				let res;
				try {
					res = await fetch(url, { method: options.method, headers: { ...options.headers, authorization: `Bearer ${credentials.accessToken}` }, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(options.timeout ?? 30_000) });
				} catch (error) {
					throw new NodeApiError(node, Object.assign(new Error(error.message), { code: error.cause?.code ?? 'ECONNRESET' }));
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
}

async function pass(label) {
	const httpBefore = fake.requests.length;
	const callsBefore = fake.model.counts.calls;
	const throttledBefore = fake.model.counts.throttled;
	const started = Date.now();
	const [done, conflicts] = await new OutlookCalendar().execute.call(context(bookings.map((json) => ({ json }))));
	const seconds = (Date.now() - started) / 1000;
	const actions = {};
	for (const d of done) actions[d.json.error ? 'error' : d.json.action] = (actions[d.json.action] ?? 0) + 1;
	const http = fake.requests.length - httpBefore;
	const calls = fake.model.counts.calls - callsBefore;
	// Anchor: without $batch every Graph call is its own HTTP request (lookup, calendar view, write = 3 per booking).
	console.log(`${label}: ${seconds.toFixed(1)} s; ${http} HTTP requests (${(http / N).toFixed(3)} per booking; anchor without $batch: ${(calls / N).toFixed(2)}); ${calls} Graph calls inside them (${(calls / N).toFixed(2)} per booking, ${fake.model.counts.throttled - throttledBefore} answered 429 and retried); outputs ${JSON.stringify(actions)}, conflicts ${conflicts.length}`);
	return { seconds, done };
}

console.log(JSON.stringify({ bookings: N, guides: G, throttling: { mailboxPerSecond: 16, batchMailboxConcurrency: 4, retryAfterSeconds } }));
await pass('first delivery');
await pass('second delivery (same bookings)');

const byBooking = new Map();
for (const { mailbox, event } of fake.model.allEvents()) {
	const id = (event.singleValueExtendedProperties ?? [])[0]?.value;
	byBooking.set(`${mailbox}|${id}`, (byBooking.get(`${mailbox}|${id}`) ?? 0) + 1);
}
const duplicates = [...byBooking.values()].reduce((s, n) => s + n - 1, 0);
const lost = bookings.filter((b) => !byBooking.has(`${b.guides[0].email}|${b.id}`)).length;
const invalid = fake.requests.filter((r) => r.valid === false).length + fake.model.invalid.length;
console.log(`events in the fake: ${fake.model.allEvents().length}; creates ${fake.model.counts.creates}, updates ${fake.model.counts.updates}`);
console.log(`duplicates: ${duplicates}`);
console.log(`lost: ${lost}`);
console.log(`requests invalid vs the Graph contract: ${invalid}`);
await fake.close();
process.exitCode = duplicates === 0 && lost === 0 && invalid === 0 ? 0 : 1;
