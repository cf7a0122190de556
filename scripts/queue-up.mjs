#!/usr/bin/env node
// `npm run queue:up`: the pack under n8n's queue mode on this machine (the production layout, see the
// README section "Duplicate deliveries and queue mode"): Postgres and Redis from Debian's packages,
// n8n main + webhook processor(s) + workers, the packed package installed, the sandboxes (fakes) for
// every vendor, the webhook-started templates imported and published. Everything keeps running after
// this command returns; `npm run queue:down` stops it.
//
//   npm run queue:up [-- --workers 2 --webhooks 1 --name dev]
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { OWNER, projectRoot } from '../test/harness/n8n.mjs';
import { DEMO_KEYS } from './sandboxes.mjs';
import { down, killGroup, loadState, saveState, topologyDir, up } from './queue-topology.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const name = args.name ?? 'dev';
const dir = topologyDir(name);
if (loadState(name)) await down(name);
mkdirSync(join(dir, '..'), { recursive: true });
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, 'logs'), { recursive: true });

// The fakes live in their own detached process, started before n8n so the credentials can name them.
const sandboxFile = join(dir, 'sandboxes.json');
const fd = openSync(join(dir, 'logs', 'sandboxes.log'), 'a');
const sandboxProc = spawn(process.execPath, [fileURLToPath(new URL('./queue-sandboxes.mjs', import.meta.url)), sandboxFile], { detached: true, stdio: ['ignore', fd, fd], cwd: projectRoot });
closeSync(fd);
sandboxProc.unref();
const t0 = Date.now();
while (!existsSync(sandboxFile)) {
	if (Date.now() - t0 > 30_000) {
		killGroup(sandboxProc.pid, 'SIGKILL');
		throw new Error(`the sandboxes did not start; see ${join(dir, 'logs', 'sandboxes.log')}`);
	}
	await new Promise((r) => setTimeout(r, 100));
}
const sandboxes = JSON.parse(readFileSync(sandboxFile, 'utf8'));

const publish = ['post-booking-upsell', 'waitlist-spot-fill'];
let state;
try {
	state = await up({ name, sandboxes, keys: DEMO_KEYS, workers: Number(args.workers ?? 2), webhooks: Number(args.webhooks ?? 1), publish, fresh: false, build: !process.argv.includes('--no-build') });
} catch (error) {
	killGroup(sandboxProc.pid, 'SIGTERM');
	process.stderr.write(`queue:up failed: ${error.stack}\n${error.cause ? `cause: ${error.cause.stack ?? error.cause}\n` : ""}`);
	process.exit(1);
}
state.sandboxes = { pid: sandboxProc.pid, ...sandboxes };
saveState(state);

const wh = (p) => state.activated.map((w) => `      ${w.name}: ${p.url}/webhook/…`).join('\n');
process.stdout.write(`
n8n queue mode is up (${name}):
  Postgres  127.0.0.1:${state.postgres.port}   Redis 127.0.0.1:${state.redis.port}
  main      ${state.main.url}   (editor; login ${OWNER.email} / ${OWNER.password})
${state.webhooks.map((p) => `  ${p.name} ${p.url}`).join('\n')}
${state.workers.map((p) => `  ${p.name}  ${p.url}/healthz/readiness`).join('\n')}
  fakes     ${Object.entries(sandboxes).map(([k, v]) => `${k} ${v.url}`).join(', ')}
  published:
${wh(state.webhooks[0] ?? state.main)}
  logs      ${join(dir, 'logs')}
Stop everything with: npm run queue:down${name === 'dev' ? '' : ` -- --name ${name}`}
`);
