// n8n's queue mode on one machine, from Debian's packages: Postgres + Redis + n8n main + webhook
// processor(s) + workers, every process on loopback and free ports, the packed package installed once
// into a user folder that all n8n processes share (they run on one machine; in production each host
// installs the same package version).
//
// Used by `npm run queue:up` / `queue:down` (scripts/queue-up.mjs, queue-down.mjs) and by the benches
// under bench/queue/, which start their own topology with their own fakes.
//
// Why these choices:
// - Postgres runs from /usr/lib/postgresql/<v>/bin as the `postgres` user (it refuses root) in its own
//   data directory under `.cache/queue/<name>/pg`, trust authentication on 127.0.0.1 only: a local
//   topology for tests and benches, never an exposed one.
// - Redis runs with persistence off: the queue only has to live as long as the topology.
// - Every n8n process is its own process group with its log in `.cache/queue/<name>/logs/`, so a
//   worker can be killed (SIGKILL, the soak's crash) and restarted, and `down` leaves nothing behind.
// - Workflows are activated through main's REST API (a few ms each) rather than `n8n publish:workflow`
//   (one n8n boot each); main writes the webhook rows to Postgres, where webhook processors read them.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nHost, n8nEnv, n8nInstall, freePort, installPackage, packPackage, projectRoot, AUDIT_TABLE } from '../test/harness/n8n.mjs';
import { CREDENTIALS } from './generate-templates.mjs';
import { CLAIM_LEASE_SECONDS } from './templates/recover-crashed-executions.mjs';
import { alive } from './provision-n8n.mjs';
import { pointTemplateAtSandboxes, sandboxCredentials } from './sandboxes.mjs';

export const QUEUE_ROOT = join(projectRoot, '.cache', 'queue');
const log = (msg) => process.stderr.write(`[queue] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const ENCRYPTION_KEY = 'peekpro-ai-queue-topology-key';

export function topologyDir(name) {
	return join(QUEUE_ROOT, name);
}
export function stateFile(name) {
	return join(topologyDir(name), 'topology.json');
}

function postgresBin() {
	const base = '/usr/lib/postgresql';
	const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
	for (const v of versions) if (existsSync(join(base, v, 'bin', 'postgres'))) return join(base, v, 'bin');
	throw new Error('Postgres not found under /usr/lib/postgresql; install it: apt-get install -y postgresql');
}

function redisBin() {
	for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p;
	throw new Error('redis-server not found; install it: apt-get install -y redis-server');
}

/** uid/gid of the `postgres` system user when we are root (Postgres refuses to run as root). */
function postgresUser() {
	if (process.getuid?.() !== 0) return {};
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root, but there is no `postgres` user to run Postgres as');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/** Spawns a detached process group writing to `logFile`; the caller may exit and it keeps running. */
function spawnDetached(cmd, args, { env, cwd, logFile, uid, gid }) {
	const fd = openSync(logFile, 'a');
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd], uid, gid });
	closeSync(fd);
	child.unref();
	return child.pid;
}

export function killGroup(pid, signal = 'SIGTERM') {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		/* gone */
	}
}

async function waitFor(what, check, { timeoutMs = 120_000, pid, logFile } = {}) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		if (pid && !alive(pid)) throw new Error(`${what} exited during start-up; log: ${logFile}\n${tail(logFile)}`);
		try {
			if (await check()) return Date.now() - t0;
		} catch {
			/* not yet */
		}
		await sleep(300);
	}
	throw new Error(`${what} not ready within ${timeoutMs / 1000} s; log: ${logFile}\n${tail(logFile)}`);
}

function tail(file, n = 3000) {
	try {
		return readFileSync(file, 'utf8').slice(-n);
	} catch {
		return '';
	}
}

async function httpOk(url) {
	const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
	return res.ok;
}

async function startPostgres(dir) {
	const bin = postgresBin();
	const data = join(dir, 'pg');
	const sock = join(dir, 'pgsock');
	const owner = postgresUser();
	mkdirSync(sock, { recursive: true });
	if (owner.uid !== undefined) chownSync(sock, owner.uid, owner.gid);
	if (!existsSync(join(data, 'PG_VERSION'))) {
		mkdirSync(data, { recursive: true });
		if (owner.uid !== undefined) chownSync(data, owner.uid, owner.gid);
		execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-instructions'], { stdio: ['ignore', 'pipe', 'pipe'], ...owner });
	}
	const port = await freePort();
	const logFile = join(dir, 'logs', 'postgres.log');
	if (owner.uid !== undefined) {
		writeFileSync(logFile, '', { flag: 'a' });
		chownSync(logFile, owner.uid, owner.gid);
	}
	// Sized for a bench: more connections than n8n's pools (4 processes × 2 + CLI), fsync off (the data is scratch).
	const pid = spawnDetached(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', sock, '-h', '127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], { logFile, ...owner });
	await waitFor('postgres', () => {
		execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
		return true;
	}, { pid, logFile, timeoutMs: 60_000 });
	try {
		execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n'], { stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		if (!/already exists/.test(String(error.stderr))) throw error;
	}
	return { pid, port, logFile, bin };
}

async function startRedis(dir) {
	const port = await freePort();
	const logFile = join(dir, 'logs', 'redis.log');
	const pid = spawnDetached(redisBin(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { logFile });
	await waitFor('redis', () => {
		execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
		return true;
	}, { pid, logFile, timeoutMs: 30_000 });
	return { pid, port, logFile };
}

/** The environment every n8n process of the topology shares, plus its own ports. */
export function queueEnv(state, { port, brokerPort, extra = {} }) {
	const env = n8nEnv(state.userFolder, port, {});
	Object.assign(env, {
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(state.postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(state.redis.port),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		// Every process answers webhooks at its own port, but the URLs it shows name main's.
		N8N_WEBHOOK_URL: `http://127.0.0.1:${state.main?.port ?? port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${state.main?.port ?? port}/`,
		// The soak keeps every execution to count them; production would prune.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_LOG_LEVEL: 'info',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// n8n 2.41's expression engine ("vm", its default) takes an isolated-vm isolate, with its
		// libraries loaded, for every request to any trigger URL but n8n's own Webhook node, and another
		// for every credential read, whether or not anything is evaluated; each is thrown away after use.
		// Measured one request at a time on a webhook processor (bench/queue/bad-input.mjs, README "Queue
		// mode: the production layout"): ~100–130 ms of CPU per refused delivery, ~190–220 ms with the
		// credential read, against 11–18 ms for n8n's Webhook node. Lazy acquisition keeps the sandbox
		// (every expression still runs in an isolate) and takes the isolate at the first expression
		// evaluated: a refused delivery then costs 12–22 ms, the Webhook node 7 ms. The benches pass
		// N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=false (engineEnv, `--n8n-engine-defaults`) to measure n8n's defaults.
		N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
		...extra,
	});
	return env;
}

/**
 * `--n8n-engine-defaults` on a bench's command line: the topology with n8n's own expression-engine
 * defaults (eager isolate acquisition) instead of the production layout's lazy acquisition, to measure
 * the difference. Returns the `env` to pass to up(), and the label the bench prints.
 */
export function engineEnv(argv = process.argv) {
	return argv.includes('--n8n-engine-defaults')
		? { env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'false' }, label: "n8n's expression-engine defaults (an isolate per request and per credential read)" }
		: { env: {}, label: 'expression isolates acquired lazily (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, the production layout)' };
}

/** A harness host whose CLI and REST calls go to the topology's Postgres-backed main. */
class QueueHost extends N8nHost {
	constructor(state) {
		super({ userFolder: state.userFolder, port: state.main?.port ?? 0, install: n8nInstall() });
		this.state = state;
	}
	env() {
		return queueEnv(this.state, { port: this.port || 1, brokerPort: 1 });
	}
	/** A kept-alive connection that main closed while a CLI import ran fails once; try again. */
	async rest(method, path, body) {
		for (let attempt = 1; ; attempt++) {
			try {
				return await super.rest(method, path, body);
			} catch (error) {
				if (attempt >= 3 || !/fetch failed/.test(error.message)) throw error;
				await sleep(500);
			}
		}
	}
}

export function hostFor(state) {
	return new QueueHost(state);
}

async function startN8nProcess(state, role, index = 0, { concurrency = state.workerConcurrency ?? 10 } = {}) {
	const { node, n8nBin } = n8nInstall();
	const port = await freePort();
	const brokerPort = await freePort();
	const name = role === 'main' ? 'main' : `${role}-${index + 1}`;
	const logFile = join(state.dir, 'logs', `${name}.log`);
	const args = role === 'main' ? ['start'] : role === 'webhook' ? ['webhook'] : ['worker', `--concurrency=${concurrency}`];
	const extra = role === 'worker' ? { QUEUE_HEALTH_CHECK_PORT: String(port) } : {};
	// Each process its own event log, as on separate hosts: the processes share one user folder here, and
	// a restarted worker reading a shared log would take its peers' running executions for crashed ones
	// (n8n's event-log recovery marks them crashed and runs their error workflow). Keyed by name, so a
	// restarted worker-1 reads what the killed worker-1 wrote, as a restarted host would.
	extra.N8N_EVENTBUS_LOGWRITER_LOGBASENAME = `n8nEventLog-${name}`;
	const env = queueEnv(state, { port, brokerPort, extra: { ...extra, ...(state.env ?? {}) } });
	const pid = spawnDetached(node, [n8nBin, ...args], { env, cwd: state.userFolder, logFile });
	const proc = { role, name, pid, port, url: `http://127.0.0.1:${port}`, logFile };
	const readiness = role === 'worker' ? `${proc.url}/healthz/readiness` : `${proc.url}/healthz/readiness`;
	// Readiness answers before main's REST API is mounted; main says when its editor is up.
	const ready = role === 'main' ? async () => (await httpOk(readiness)) && /Editor is now accessible/.test(tail(logFile, 20_000)) : () => httpOk(readiness);
	const ms = await waitFor(`n8n ${name}`, ready, { pid, logFile, timeoutMs: 240_000 });
	log(`n8n ${name} ready on ${proc.url} in ${(ms / 1000).toFixed(1)} s (PID ${pid}; log ${logFile})`);
	return proc;
}

export async function startWorker(state, index) {
	const proc = await startN8nProcess(state, 'worker', index);
	state.workers[index] = proc;
	saveState(state);
	return proc;
}

/** SIGKILL a worker's whole group: the crash the soak injects (no graceful shutdown, jobs in flight). */
export function killWorker(state, index) {
	const proc = state.workers[index];
	killGroup(proc.pid, 'SIGKILL');
	log(`killed worker-${index + 1} (PID ${proc.pid})`);
}

/** SIGSTOPs a worker: it stops working but keeps its Redis connections, so jobs already handed to it stay its own. */
export function freezeWorker(state, index) {
	const proc = state.workers[index];
	killGroup(proc.pid, 'SIGSTOP');
	log(`froze worker-${index + 1} (PID ${proc.pid})`);
}

export function saveState(state) {
	writeFileSync(stateFile(state.name), JSON.stringify(state, null, 2));
}

export function loadState(name) {
	try {
		return JSON.parse(readFileSync(stateFile(name), 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * Starts the whole topology. `sandboxes` are started fakes (URLs the credentials point at);
 * `publish` names template flows to activate (the `meta.peekproAi.flow` of files in workflows/),
 * `workflows` adds extra workflow JSON objects (benches) to import and activate.
 */
export async function up({ name = 'dev', sandboxes, keys, credentials, workers = 2, webhooks = 1, publish = [], workflows = [], fresh = true, build = true, workerConcurrency = 10, env = {} }) {
	const dir = topologyDir(name);
	const previous = loadState(name);
	if (previous) await down(name);
	if (fresh) rmSync(dir, { recursive: true, force: true });
	mkdirSync(join(dir, 'logs'), { recursive: true });
	const state = { name, dir, userFolder: join(dir, 'n8n'), startedAt: new Date().toISOString(), workers: [], webhooks: [], workerConcurrency, env, owner: process.pid };
	mkdirSync(state.userFolder, { recursive: true });
	saveState(state);
	try {
		if (build) {
			log('building the package (npm run build)');
			execFileSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: ['ignore', 2, 2] });
		}
		const tarball = packPackage(join(dir, 'pack'));
		installPackage(state.userFolder, tarball);
		log(`installed ${tarball} into ${state.userFolder}/.n8n/nodes`);
		state.postgres = await startPostgres(dir);
		saveState(state);
		log(`postgres on 127.0.0.1:${state.postgres.port}`);
		state.redis = await startRedis(dir);
		saveState(state);
		log(`redis on 127.0.0.1:${state.redis.port}`);

		// Main first: it runs the migrations on the empty database, before any CLI import.
		state.main = await startN8nProcess(state, 'main');
		saveState(state);
		const host = hostFor(state);
		await host.login();
		await host.ensureDataTable(AUDIT_TABLE);
		// `credentials(state)` may replace the sandbox credentials (a Redis one needs Redis's port).
		const creds = credentials ? credentials(state, sandboxes ? sandboxCredentials(sandboxes, keys) : []) : sandboxes ? sandboxCredentials(sandboxes, keys) : [];
		if (creds.length) host.importCredentials(creds);

		const importDir = join(dir, 'import');
		mkdirSync(importDir, { recursive: true });
		const toActivate = [];
		for (const file of readdirSync(join(projectRoot, 'workflows')).filter((f) => f.endsWith('.json'))) {
			const wf = JSON.parse(readFileSync(join(projectRoot, 'workflows', file), 'utf8'));
			if (!publish.includes(wf.meta?.peekproAi?.flow)) continue;
			writeFileSync(join(importDir, file), JSON.stringify(sandboxes ? pointTemplateAtSandboxes(wf, sandboxes) : wf));
			toActivate.push(wf);
		}
		workflows.forEach((wf, i) => {
			writeFileSync(join(importDir, `extra-${i}.json`), JSON.stringify(wf));
			toActivate.push(wf);
		});
		if (toActivate.length) {
			host.cli(['import:workflow', '--separate', `--input=${importDir}`]);
			for (const wf of toActivate) await host.activate(wf.id);
			log(`imported and activated: ${toActivate.map((w) => w.name).join(', ')}`);
		}
		state.activated = toActivate.map((w) => ({ id: w.id, name: w.name, flow: w.meta?.peekproAi?.flow }));

		for (let i = 0; i < webhooks; i++) state.webhooks.push(await startN8nProcess(state, 'webhook', i));
		saveState(state);
		for (let i = 0; i < workers; i++) await startWorker(state, i);
		saveState(state);
		return state;
	} catch (error) {
		await down(name);
		throw error;
	}
}

/** Stops everything `up` started for `name` (n8n first, then Redis and Postgres). */
export async function down(name = 'dev') {
	const state = loadState(name);
	if (!state) return false;
	const n8n = [state.main, ...(state.webhooks ?? []), ...(state.workers ?? [])].filter(Boolean);
	for (const p of n8n) killGroup(p.pid, 'SIGTERM');
	await stopAll(n8n.map((p) => p.pid), 20_000);
	for (const p of [state.redis, state.postgres].filter(Boolean)) killGroup(p.pid, 'SIGTERM');
	await stopAll([state.redis?.pid, state.postgres?.pid].filter(Boolean), 20_000);
	rmSync(stateFile(name), { force: true });
	log(`stopped topology "${name}"`);
	return true;
}

async function stopAll(pids, timeoutMs) {
	const t0 = Date.now();
	while (pids.some((p) => alive(p)) && Date.now() - t0 < timeoutMs) await sleep(200);
	for (const p of pids) if (alive(p)) killGroup(p, 'SIGKILL');
}

/** The production webhook URL of a workflow's first webhook-bearing node, on a given process. */
export function webhookUrl(proc, workflow, nodeType = 'n8n-nodes-peekpro-ai.peekProTrigger') {
	const node = workflow.nodes.find((n) => n.type === nodeType);
	const path = node.parameters?.path || `${node.webhookId}/webhook`;
	return `${proc.url}/webhook/${path}`;
}

/** n8n's Redis credential for the topology's Redis (the fleet-wide claim step uses it). */
export const REDIS_CREDENTIAL = { ...CREDENTIALS.redis.redis, type: 'redis' };
export function redisCredential(state) {
	return { ...REDIS_CREDENTIAL, data: { host: '127.0.0.1', port: state.redis.port, database: 0, password: '', ssl: false } };
}

/**
 * The queue-mode claim step (README, "Duplicate deliveries and queue mode"), inserted between the Peek
 * Pro Trigger's first output and what followed it:
 *   Claim event     n8n's Redis node, INCR `peekpro:claim:<workflow>:<booking>:<event>`, TTL = lease
 *   First claim?    If the counter is 1 (Redis INCR is atomic: exactly one process sees 1)
 *   Claimed booking Set (raw JSON): the trigger's item again, for the nodes that follow
 * The lease (default CLAIM_LEASE_SECONDS, 600 s: the trigger's duplicate window, and the bound of the
 * recovery's sweep, so one constant) bounds how long a claim outlives a run that crashed: after it, a
 * retry or a reconciliation forward is no longer taken for a duplicate.
 */
export function withFleetClaim(workflow, { leaseSeconds = CLAIM_LEASE_SECONDS, credential = REDIS_CREDENTIAL } = {}) {
	const wf = structuredClone(workflow);
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger');
	const [x, y] = trigger.position;
	const after = wf.connections[trigger.name]?.main?.[0] ?? [];
	wf.nodes.push(
		{
			id: 'fleet-claim',
			name: 'Claim event',
			type: 'n8n-nodes-base.redis',
			typeVersion: 1,
			position: [x + 60, y + 260],
			credentials: { redis: { id: credential.id, name: credential.name } },
			parameters: { operation: 'incr', key: '=peekpro:claim:{{ $workflow.id }}:{{ $json.id }}:{{ $json.event }}', expire: true, ttl: leaseSeconds },
		},
		{
			id: 'fleet-first',
			name: 'First claim?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			position: [x + 260, y + 260],
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
					conditions: [{ id: 'first', leftValue: '={{ Object.values($json)[0] }}', rightValue: 1, operator: { type: 'number', operation: 'equals' } }],
					combinator: 'and',
				},
				options: {},
			},
		},
		{
			id: 'fleet-restore',
			name: 'Claimed booking',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [x + 460, y + 260],
			parameters: { mode: 'raw', jsonOutput: "={{ $('" + trigger.name + "').item.json }}", options: {} },
		},
	);
	wf.connections[trigger.name].main[0] = [{ node: 'Claim event', type: 'main', index: 0 }];
	wf.connections['Claim event'] = { main: [[{ node: 'First claim?', type: 'main', index: 0 }]] };
	wf.connections['First claim?'] = { main: [[{ node: 'Claimed booking', type: 'main', index: 0 }], []] };
	wf.connections['Claimed booking'] = { main: [after] };
	return wf;
}
