#!/usr/bin/env node
// Integration suite: builds and packs the package, provisions the pinned n8n (cached), then runs the
// node:test files under test/integration/ one at a time (each shares one n8n started by its file).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { provision } from './provision-n8n.mjs';

const root = new URL('..', import.meta.url).pathname;
provision();
process.stderr.write('[test-integration] building the package\n');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
const files = readdirSync(join(root, 'test', 'integration'))
	.filter((f) => f.endsWith('.test.mjs'))
	.map((f) => join('test', 'integration', f));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, PEEKPRO_AI_SKIP_BUILD: '1' },
});
process.exit(result.status ?? 1);
