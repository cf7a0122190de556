#!/usr/bin/env node
// `npm run queue:down`: stops everything `npm run queue:up` started (n8n processes, Redis, Postgres,
// the fakes), by the process groups recorded in .cache/queue/<name>/topology.json.
import { down, killGroup, loadState } from './queue-topology.mjs';

const i = process.argv.indexOf('--name');
const name = i > 0 ? process.argv[i + 1] : 'dev';
const state = loadState(name);
if (!state) {
	process.stdout.write(`no queue topology "${name}" is recorded as running\n`);
	process.exit(0);
}
await down(name);
if (state.sandboxes?.pid) killGroup(state.sandboxes.pid, 'SIGTERM');
process.stdout.write(`queue topology "${name}" stopped\n`);
