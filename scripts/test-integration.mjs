#!/usr/bin/env node
// Integration suite: builds and packs the package, provisions the pinned n8n (cached), then runs the
// node:test files under test/integration/ one at a time (n8n.test.mjs shares one n8n across every case
// module; fail-fast.test.mjs breaks the start on purpose and checks that the run fails fast and clean).
// Any failure before the tests run (build tools, provisioning, build) exits 1 with its cause.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { provision } from './provision-n8n.mjs';

const root = new URL('..', import.meta.url).pathname;
const fail = (what, error) => {
	process.stderr.write(`[test-integration] ${what} failed: ${error.message}\n`);
	process.exit(1);
};

try {
	provision();
} catch (error) {
	fail('provisioning n8n', error);
}
process.stderr.write('[test-integration] building the package\n');
try {
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
} catch (error) {
	fail('the build (npm run build)', error);
}
// PEEKPRO_AI_CASES=30 narrows the run to those case modules, so it leaves out the fail-fast checks
// too (about 40 s) unless named: PEEKPRO_AI_CASES=30,fail-fast.
const only = (process.env.PEEKPRO_AI_CASES ?? '').split(',').filter(Boolean);
const named = (f) => only.some((prefix) => f.startsWith(prefix));
// n8n.test.mjs runs the case modules under cases/: worth its n8n start only when a case is asked for.
const someCase = readdirSync(join(root, 'test', 'integration', 'cases')).some(named);
const files = readdirSync(join(root, 'test', 'integration'))
	.filter((f) => f.endsWith('.test.mjs'))
	.filter((f) => only.length === 0 || (f === 'n8n.test.mjs' ? someCase : named(f)))
	.map((f) => join('test', 'integration', f));

// In its own process group, and a Ctrl-C or SIGTERM given to this script is passed to the whole group
// (the runner and each test file's process), so every test file stops its n8n on the way out instead
// of being left running behind a runner that is gone.
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, PEEKPRO_AI_SKIP_BUILD: '1' },
	detached: true,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			/* already gone */
		}
	});
}
child.on('exit', async (code, signal) => {
	// After a signal the runner exits at once while each test file still stops its n8n: return only
	// when the group is empty (at most 20 s), so a Ctrl-C leaves nothing running once the prompt is back.
	for (const t0 = Date.now(); Date.now() - t0 < 20_000; ) {
		try {
			process.kill(-child.pid, 0);
		} catch {
			break;
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	process.exit(code ?? (signal ? 1 : 0));
});
