#!/usr/bin/env node
// The fakes of a queue-mode topology (`npm run queue:up`) in their own long-lived process, since the
// topology outlives the command that starts it. Writes the fakes' URLs to the file named by argv[2]
// and serves them until SIGTERM (`npm run queue:down`).
import { writeFileSync } from 'node:fs';

import { DEMO_KEYS, startSandboxes, stopSandboxes } from './sandboxes.mjs';

const out = process.argv[2];
const sandboxes = await startSandboxes({ keys: DEMO_KEYS, mailbox: true });
writeFileSync(out, JSON.stringify(Object.fromEntries(Object.entries(sandboxes).map(([k, v]) => [k, { url: v.url, port: v.port }])), null, 2));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, async () => {
		await stopSandboxes(sandboxes);
		process.exit(0);
	});
}
