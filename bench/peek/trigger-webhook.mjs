// In-process cost of the Peek Pro Trigger's webhook() per delivery, verify-by-fetch off vs on
// (against the loopback fake Peek API). The real-n8n throughput ratio against n8n's Webhook node is
// measured by the lead's harness; this isolates what the trigger itself adds.
// Run: node bench/peek/trigger-webhook.mjs [deliveries]
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sampleDelivery, samplePeekBooking, startPeekFake } from '../../test/fakes/peek.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, '.cache/bench/peek');
mkdirSync(outDir, { recursive: true });
const entry = join(outDir, 'entry.ts');
writeFileSync(
	entry,
	`export { PeekProTrigger } from '${root}/nodes/PeekProTrigger/PeekProTrigger.node';
export { resetDedupeCache } from '${root}/nodes/PeekProTrigger/dedupe';
export { PeekProAiPeekProApi } from '${root}/credentials/PeekProAiPeekProApi.credentials';
export { createFakeContext } from '${root}/test/helpers/n8nContext';
export { resetRateLimiters } from '${root}/nodes/shared/transport/rateLimiter';
`,
);
const outfile = join(outDir, 'trigger.cjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, external: ['n8n-workflow', 'zod', 'luxon'], logLevel: 'error' });
const m = createRequire(import.meta.url)(outfile);

const N = Number(process.argv[2] ?? 2000);
const fake = await startPeekFake();
const trigger = new m.PeekProTrigger();
const cred = new m.PeekProAiPeekProApi();

async function runMode(verifyByFetch, unthrottled = false) {
	m.resetDedupeCache();
	const t0 = process.hrtime.bigint();
	let emitted = 0;
	for (let i = 0; i < N; i++) {
		const id = `b_${i}`;
		if (verifyByFetch) fake.bookings.set(id, samplePeekBooking({ id }));
		const ctx = m.createFakeContext({
			parameters: { events: ['*'], verifyByFetch, signature: 'none', sharedSecret: 'none', options: {} },
			credentials: { peekProAiPeekProApi: { apiKey: fake.apiKey, baseUrl: fake.url, webhookSecret: '' } },
			credentialTypes: [cred],
			request: { body: sampleDelivery('seed_flat', { id }) },
		});
		// Unthrottled isolates the fetch's own cost from the pack's client-side rate limit (25/s per credential).
		if (unthrottled) m.resetRateLimiters();
		const r = await trigger.webhook.call(ctx);
		if (r.workflowData) emitted++;
	}
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	return { mode: verifyByFetch ? `verify-by-fetch on${unthrottled ? ' (rate limit bypassed)' : ''}` : 'verify-by-fetch off', deliveries: N, emitted, totalMs: Math.round(ms), perDeliveryUs: Math.round((ms * 1000) / N), perSecond: Math.round(N / (ms / 1000)) };
}

await runMode(false); // warm-up
const off = await runMode(false);
const raw = await runMode(true, true);
const on = await runMode(true);
await fake.close();
console.table([off, raw, on]);
console.log(`verify-by-fetch adds ${Math.round(raw.perDeliveryUs - off.perDeliveryUs)} µs per delivery (one loopback GET /bookings/:id); sustained, the client-side limit caps it at ${on.perSecond}/s per credential`);
