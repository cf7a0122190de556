// When the integration environment cannot start, the run must stop what it opened and fail within a
// minute, naming the cause; before this, a failed start left sandboxes listening and the run hung
// until killed. Each case breaks one part of the start on purpose and runs the real suite entry
// (test/integration/n8n.test.mjs) as `npm test` does, in its own user folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { freePort, projectRoot } from '../harness/n8n.mjs';
import { portFree, startSandboxes } from '../../scripts/sandboxes.mjs';

const LIMIT_MS = 60_000;
const scratch = mkdtempSync(join(tmpdir(), 'peekpro-ai-fail-fast-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A port something else listens on, answering nothing (a stand-in for "another program"). */
async function occupy(port = 0) {
	const server = createServer((socket) => socket.destroy());
	await new Promise((r) => server.listen(port, '127.0.0.1', r));
	return { port: server.address().port, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Runs the suite entry with `env`; resolves with its exit code, output, duration, and the time from
 * the harness seeing n8n exit to the run's exit (killed at 5 min: a run that hangs fails here).
 */
function runSuite(env) {
	return new Promise((resolveRun) => {
		const t0 = Date.now();
		const childEnv = { ...process.env, PEEKPRO_AI_SKIP_BUILD: '1', ...env };
		// Set by the outer `node --test`; the inner run must report in plain text, not to a parent runner.
		delete childEnv.NODE_TEST_CONTEXT;
		// The outer run's case filter (e.g. "fail-fast") would leave the inner run no cases to cancel.
		childEnv.PEEKPRO_AI_CASES = '00';
		const child = spawn(process.execPath, ['--test', '--test-reporter=spec', 'test/integration/n8n.test.mjs'], {
			cwd: projectRoot,
			env: childEnv,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let out = '';
		let failedAt;
		const onData = (c) => {
			out += c;
			if (failedAt === undefined && /n8n exited during start-up \(/.test(out)) failedAt = Date.now();
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const killer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5 * LIMIT_MS);
		child.on('close', (code, signal) => {
			clearTimeout(killer);
			const end = Date.now();
			resolveRun({ code, signal, out, ms: end - t0, sinceFailureMs: failedAt === undefined ? undefined : end - failedAt });
		});
	});
}

/** Processes still alive in process group `pgid` (n8n and its task runner share one). */
function groupMembers(pgid) {
	const members = [];
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			// Fields after the parenthesised command: state ppid pgrp ...
			const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(pid));
		} catch {
			/* exited meanwhile */
		}
	}
	return members;
}

describe('a failed start of the integration environment fails fast and leaves nothing running', () => {
	it('a sandbox whose port is taken fails naming it, and the sandboxes started before it are closed', async () => {
		const ports = { recorder: await freePort(), peek: await freePort(), klaviyo: await freePort() };
		const taken = await occupy(ports.klaviyo);
		try {
			await assert.rejects(startSandboxes({ ports }), (error) => {
				assert.match(error.message, new RegExp(`klaviyo sandbox could not start: port ${ports.klaviyo} .*EADDRINUSE`));
				assert.match(error.message, /PEEKPRO_AI_SANDBOX_KLAVIYO_PORT/);
				return true;
			});
			assert.equal(await portFree(ports.recorder), true, 'recorder sandbox left listening');
			assert.equal(await portFree(ports.peek), true, 'peek sandbox left listening');
		} finally {
			await taken.close();
		}
	});

	it('a missing n8n: the run exits non-zero within a minute, naming the path', async (t) => {
		const missing = join(scratch, 'no-such-n8n', 'bin', 'n8n');
		const r = await runSuite({ PEEKPRO_AI_N8N_BIN: missing, PEEKPRO_AI_TEST_DIR: join(scratch, 'missing') });
		t.diagnostic(`exited ${r.code} after ${r.ms} ms`);
		assert.notEqual(r.code, 0, r.out);
		assert.ok(r.ms < LIMIT_MS, `took ${r.ms} ms`);
		assert.ok(r.out.includes(`n8n not found at ${missing}`), r.out.slice(-3000));
		assert.match(r.out, /ℹ cancelled [1-9]/, 'the cases that could not run are reported, not silently absent');
	});

	it("n8n's port already taken: n8n and its task runner are stopped, the run exits non-zero within a minute naming the port", async (t) => {
		const taken = await occupy();
		try {
			const r = await runSuite({ PEEKPRO_AI_TEST_N8N_PORT: String(taken.port), PEEKPRO_AI_TEST_DIR: join(scratch, 'port') });
			t.diagnostic(`exited ${r.code} ${r.sinceFailureMs} ms after n8n failed, ${r.ms} ms in all`);
			assert.notEqual(r.code, 0, r.out);
			// The minute runs from the failure (n8n exiting): the pack, install, imports and n8n's boot
			// before it are the normal set-up of every run (1-2 min on a busy 2-core machine).
			assert.ok(r.sinceFailureMs < LIMIT_MS, `exited ${r.sinceFailureMs} ms after n8n failed (${r.ms} ms in all)`);
			assert.match(r.out, /n8n exited during start-up: .*(already in use|EADDRINUSE)/, r.out.slice(-3000));
			assert.ok(r.out.includes(String(taken.port)), 'the cause names the port');
			const pid = Number(/n8n starting \(PID (\d+)\)/.exec(r.out)?.[1]);
			assert.ok(pid > 0, 'n8n was started (the failure happened with n8n running)');
			assert.deepEqual(groupMembers(pid), [], `processes of n8n's group ${pid} still running`);
		} finally {
			await taken.close();
		}
	});
});
