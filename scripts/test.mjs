#!/usr/bin/env node
// `npm test`: everything that must hold before a change lands, in order of cost.
//   1. n8n's community lint (strict)        4. unit tests (jest + nock)
//   2. TypeScript, tests included           5. integration in a real n8n 2.41.1 (node:test)
//   3. n8n's community scanner on the packed tarball (scripts/scan-package.mjs)
// Every step runs even when an earlier one failed, so one run shows every problem. The last line is
// the overall count in the plain `N passed, N failed` form CI reads.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { countJest, countNodeTest } from './test-counts.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function run(label, cmd, args, { env } = {}) {
	return new Promise((resolveRun) => {
		const t0 = Date.now();
		process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`);
		let out = '';
		const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', (c) => {
			out += c;
			process.stdout.write(c);
		});
		child.stderr.on('data', (c) => {
			out += c;
			process.stderr.write(c);
		});
		child.on('close', (code) => {
			const seconds = ((Date.now() - t0) / 1000).toFixed(1);
			process.stdout.write(`=== ${label}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s\n`);
			resolveRun({ label, code, out, seconds });
		});
	});
}

const steps = [];
const want = (name) => only.length === 0 || only.includes(name);
const cacheDir = join(root, '.cache');
mkdirSync(cacheDir, { recursive: true });
let passed = 0;
let failed = 0;

if (want('lint')) {
	const r = await run('lint', 'npx', ['--no-install', 'n8n-node', 'lint'], { env: { CI: 'true' } });
	steps.push(r);
	r.code === 0 ? passed++ : failed++;
}
if (want('typecheck')) {
	const r = await run('typecheck', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.test.json', '--noEmit']);
	steps.push(r);
	r.code === 0 ? passed++ : failed++;
}
if (want('scan')) {
	// n8n's community package scanner (its own ESLint rules) over the packed tarball; prints the verdict.
	const r = await run('scan', process.execPath, ['scripts/scan-package.mjs']);
	steps.push(r);
	r.code === 0 ? passed++ : failed++;
}
if (want('unit')) {
	const report = join(cacheDir, 'jest-report.json');
	rmSync(report, { force: true });
	const r = await run('unit', 'npx', ['--no-install', 'jest', '--ci', '--json', `--outputFile=${report}`]);
	steps.push(r);
	let counted = { pass: 0, fail: 1 };
	try {
		counted = countJest(JSON.parse(readFileSync(report, 'utf8')), r.code);
	} catch {
		/* no report: jest died before writing it; one failure */
	}
	passed += counted.pass;
	failed += counted.fail;
}
if (want('integration')) {
	const r = await run('integration', process.execPath, ['scripts/test-integration.mjs']);
	steps.push(r);
	const counted = countNodeTest(r.out, r.code);
	passed += counted.pass;
	failed += counted.fail;
}

process.stdout.write('\n=== summary\n');
for (const s of steps) process.stdout.write(`${s.code === 0 ? 'ok    ' : 'FAILED'} ${s.label} (${s.seconds} s)\n`);
process.stdout.write(`Summary: ${passed} passed, ${failed} failed\n`);
process.exit(steps.every((s) => s.code === 0) && failed === 0 ? 0 : 1);
