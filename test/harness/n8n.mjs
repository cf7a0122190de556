// The real host: drives a pinned n8n (provisioned by scripts/provision-n8n.mjs) the way an operator
// would: the package is packed and installed into the user folder's `nodes/` directory (so node types
// are `n8n-nodes-peekpro-ai.<node>`, exactly as templates name them), workflows and credentials go
// in through n8n's own CLI, and everything after that is plain HTTP against n8n's server.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { paths as pinnedPaths, provision } from '../../scripts/provision-n8n.mjs';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_NAME = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).name;
export const OWNER = { email: 'owner@peekpro-ai.test', firstName: 'Demo', lastName: 'Owner', password: 'PeekProAi-demo-1' };

const log = (msg) => process.stderr.write(`[n8n-harness] ${msg}\n`);

export async function freePort() {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolvePort(port));
		});
	});
}

/**
 * The n8n to run: the pinned one, provisioned into the cache on first use; or, with
 * PEEKPRO_AI_N8N_BIN (and optionally PEEKPRO_AI_N8N_NODE), an n8n already on this machine, which is
 * never provisioned. Fails at once, naming the path, when either file is missing.
 */
export function n8nInstall() {
	const bin = process.env.PEEKPRO_AI_N8N_BIN;
	const p = bin ? { node: resolve(process.env.PEEKPRO_AI_N8N_NODE ?? pinnedPaths().node), n8nBin: resolve(bin) } : provision();
	for (const [what, file] of [
		['n8n', p.n8nBin],
		['the Node.js that runs n8n', p.node],
	]) {
		if (!existsSync(file)) throw new Error(`${what} not found at ${file}${bin ? ' (set by PEEKPRO_AI_N8N_BIN / PEEKPRO_AI_N8N_NODE)' : ''}; run: npm run provision`);
	}
	return p;
}

/** The line of n8n's output that says why it stopped, for the first line of an error. */
function causeOf(output) {
	const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
	// Most specific first: n8n logs unrelated warnings containing "Error" during a normal boot.
	for (const pattern of [/already in use|EADDRINUSE|permission to use port|EACCES/i, /Cannot find module|There was an error|exiting/i, /Error:/]) {
		const line = lines.findLast((l) => pattern.test(l));
		if (line) return line;
	}
	return lines.at(-1) ?? 'no output';
}

/** Environment for every n8n process of the harness: local, quiet, deterministic. */
export function n8nEnv(userFolder, port, extra = {}) {
	const env = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: 'peekpro-ai-local-harness-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// Hosts made by prepareHost() get a free broker port; this is the fallback for direct use.
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_LOG_LEVEL: 'info',
		N8N_PUBLIC_API_DISABLED: 'false',
		// Nothing outside this machine is reachable; keep n8n from trying.
		N8N_DISABLED_MODULES: 'mcp-registry',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...extra,
	};
	// Variables from the developer's shell that would redirect n8n elsewhere.
	for (const key of ['N8N_CUSTOM_EXTENSIONS', 'DB_POSTGRESDB_HOST', 'EXECUTIONS_MODE', 'QUEUE_BULL_REDIS_HOST']) delete env[key];
	return env;
}

/** `npm pack` of the built package into `outDir`; returns the tarball path. */
export function packPackage(outDir, packageDir = projectRoot) {
	mkdirSync(outDir, { recursive: true });
	for (const f of readdirSync(outDir)) if (f.endsWith('.tgz')) rmSync(join(outDir, f));
	const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: packageDir, env: { ...process.env, npm_config_yes: 'true' } })
		.toString()
		.trim()
		.split('\n')
		.pop();
	return join(outDir, out);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes`, as the Community Nodes installer and the
 * documented manual install do. `--legacy-peer-deps` keeps npm from fetching an `n8n-workflow` copy
 * for the peer dependency (n8n's own installer strips peer dependencies for the same reason).
 */
export function installPackage(userFolder, tarball) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	if (!existsSync(join(nodesDir, 'package.json'))) {
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
		cwd: nodesDir,
		stdio: ['ignore', 2, 2],
		env: { ...process.env, npm_config_yes: 'true' },
	});
	return join(nodesDir, 'node_modules', PACKAGE_NAME);
}

/**
 * The audit Data Table every template writes to (community nodes cannot reach Data Tables, so the
 * templates use n8n's own Data Table node, by table name). Columns match `auditRow()` in
 * nodes/shared/audit.ts plus the flow name.
 */
export const AUDIT_TABLE = {
	name: 'peekpro_ai_audit',
	columns: [
		['flow', 'string'],
		['auditId', 'string'],
		['at', 'string'],
		['workflowId', 'string'],
		['executionId', 'string'],
		['node', 'string'],
		['decision', 'string'],
		['decidedByKind', 'string'],
		['decidedById', 'string'],
		['decidedByVersion', 'string'],
		['inputHash', 'string'],
		['bookingId', 'string'],
		['customerKey', 'string'],
		['inputSummary', 'string'],
		['sentVendor', 'string'],
		['sentOperation', 'string'],
		['sentRequest', 'string'],
		['result', 'string'],
		['detail', 'string'],
		['shadow', 'boolean'],
	].map(([name, type]) => ({ name, type })),
};

/** Hosts whose n8n is running, for the signal guard below. */
const running = new Set();
let guarding = false;

/**
 * n8n runs in its own process group (so its task runner can be stopped with it), which also means a
 * Ctrl-C in the terminal no longer reaches it. So on SIGINT/SIGTERM, unless the program handles the
 * signal itself (npm start does, to stop gracefully), every running n8n is stopped before exiting.
 */
function guardSignals() {
	if (guarding) return;
	guarding = true;
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		const onSignal = async () => {
			if (process.listenerCount(signal) > 1) return;
			log(`${signal}: stopping ${running.size} n8n instance(s)`);
			await Promise.all([...running].map((h) => h.stop()));
			process.exit(code);
		};
		process.on(signal, onSignal);
	}
}

export class N8nHost {
	constructor({ userFolder, port, env = {}, logFile, install }) {
		// Resolved on first use, so a host used only for REST calls (demo:send) never provisions.
		this.install = install;
		this.userFolder = userFolder;
		this.port = port;
		this.extraEnv = env;
		this.logFile = logFile ?? join(userFolder, 'n8n.log');
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.cookie = undefined;
		this.child = undefined;
		this.output = '';
	}

	get paths() {
		this.install ??= n8nInstall();
		return this.install;
	}

	env() {
		return n8nEnv(this.userFolder, this.port, this.extraEnv);
	}

	/** Runs an n8n CLI command to completion (against the same SQLite database). */
	cli(args, { allowFail = false } = {}) {
		try {
			return execFileSync(this.paths.node, [this.paths.n8nBin, ...args], {
				env: this.env(),
				cwd: this.userFolder,
				stdio: ['ignore', 'pipe', 'pipe'],
				maxBuffer: 64 * 1024 * 1024,
				// An import takes 7-30 s; one that hangs must not hang the run.
				timeout: 300_000,
				killSignal: 'SIGKILL',
			}).toString();
		} catch (error) {
			const text = `${error.stdout ?? ''}${error.stderr ?? ''}`;
			if (allowFail) return text;
			throw new Error(`n8n ${args.join(' ')} failed:\n${text.slice(-4000)}`);
		}
	}

	importWorkflow(file) {
		return this.cli(['import:workflow', `--input=${file}`]);
	}

	importCredentials(credentials) {
		const file = join(this.userFolder, `credentials-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		try {
			return this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	publishWorkflow(id) {
		return this.cli(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * Starts `n8n start` and resolves when its editor is ready. n8n runs in its own process group with
	 * its task runner, so stop() (and this process exiting, whatever the reason) ends both. A start
	 * that fails (n8n exits, or is not ready in `timeoutMs`) stops what it started and throws an error
	 * whose first line names the cause.
	 */
	async start({ timeoutMs = 120_000 } = {}) {
		mkdirSync(this.userFolder, { recursive: true });
		const logStream = createWriteStream(this.logFile, { flags: 'a' });
		const t0 = Date.now();
		const { node, n8nBin } = this.paths;
		this.child = spawn(node, [n8nBin, 'start'], { env: this.env(), cwd: this.userFolder, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const child = this.child;
		const onData = (chunk) => {
			logStream.write(chunk);
			this.output += chunk.toString();
			if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let exited = false;
		let spawnError;
		child.on('error', (error) => {
			spawnError = error;
			exited = true;
		});
		child.on('exit', (code, signal) => {
			exited = true;
			logStream.write(`\n[n8n exited with ${code ?? signal}]\n`);
		});
		// Last resort when this process ends without stop() (an uncaught error, process.exit).
		this.exitGuard = () => this.signalGroup('SIGKILL');
		process.on('exit', this.exitGuard);
		running.add(this);
		guardSignals();
		if (child.pid) log(`n8n starting (PID ${child.pid}) on ${this.baseUrl}; log: ${this.logFile}`);
		while (Date.now() - t0 < timeoutMs) {
			if (exited) {
				log(`n8n exited during start-up (${child.exitCode ?? child.signalCode ?? spawnError?.code}); stopping what was started`);
				await this.stop();
				if (spawnError) throw new Error(`n8n could not be started: ${spawnError.message}`);
				throw new Error(`n8n exited during start-up: ${causeOf(this.output)}\n--- last output (${this.logFile}) ---\n${this.output.slice(-4000)}`);
			}
			try {
				// Bounded: whatever else may hold the port can accept and never answer (fetch then waits forever).
				const res = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
				if (res.ok && /Editor is now accessible/.test(this.output)) {
					log(`n8n ready on ${this.baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
					return this;
				}
			} catch {
				/* not listening yet */
			}
			await new Promise((r) => setTimeout(r, 250));
		}
		await this.stop();
		throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s (stopped it): ${causeOf(this.output)}\n--- last output (${this.logFile}) ---\n${this.output.slice(-4000)}`);
	}

	/** Sends `signal` to n8n's process group (n8n, its task runner, anything they started). */
	signalGroup(signal) {
		if (!this.child?.pid) return;
		try {
			process.kill(-this.child.pid, signal);
		} catch {
			/* the group is gone */
		}
	}

	/** SIGTERM (n8n shuts down gracefully and stops its runner), SIGKILL after 15 s; then nothing of n8n is left. */
	async stop() {
		const child = this.child;
		if (!child) return;
		if (child.pid && child.exitCode === null && child.signalCode === null) {
			const done = new Promise((r) => child.once('exit', r));
			this.signalGroup('SIGTERM');
			const timer = setTimeout(() => this.signalGroup('SIGKILL'), 15_000);
			await done;
			clearTimeout(timer);
		}
		// Whatever n8n left in its group (a task runner it had no time to stop) goes with it.
		this.signalGroup('SIGKILL');
		if (this.exitGuard) process.off('exit', this.exitGuard);
		running.delete(this);
	}

	/** Creates the owner account (first run) or logs in, keeping the session cookie for REST calls. */
	async login() {
		let res = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!res.ok) {
			res = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
		}
		if (!res.ok) throw new Error(`n8n login failed: ${res.status} ${await res.text()}`);
		const setCookie = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
		this.cookie = setCookie
			.filter(Boolean)
			.map((c) => c.split(';')[0])
			.join('; ');
		return this;
	}

	async rest(method, path, body) {
		if (!this.cookie) await this.login();
		const res = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'peekpro-ai-harness' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.ok) throw new Error(`n8n ${method} ${path} → ${res.status}: ${text.slice(0, 1000)}`);
		return json?.data ?? json;
	}

	/** Node and credential types as the running n8n reports them to its editor. */
	async loadedTypes() {
		const nodes = await this.rest('GET', '/types/nodes.json');
		const credentials = await this.rest('GET', '/types/credentials.json');
		return { nodes, credentials };
	}

	async personalProjectId() {
		const project = await this.rest('GET', '/rest/projects/personal');
		return project.id;
	}

	/** Creates a Data Table unless one with that name exists; returns its id. */
	async ensureDataTable({ name, columns }) {
		const projectId = await this.personalProjectId();
		const list = await this.rest('GET', `/rest/projects/${projectId}/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}`);
		const existing = (list.data ?? list).find?.((t) => t.name === name);
		if (existing) return existing.id;
		const created = await this.rest('POST', `/rest/projects/${projectId}/data-tables`, { name, columns });
		return created.id;
	}

	async dataTableRows(name) {
		const projectId = await this.personalProjectId();
		const id = await this.ensureDataTable({ name, columns: [] });
		const rows = await this.rest('GET', `/rest/projects/${projectId}/data-tables/${id}/rows?take=1000`);
		return rows.data ?? rows;
	}

	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: String(workflowId) }));
		const data = await this.rest('GET', `/rest/executions?filter=${filter}&limit=100`);
		return data.results ?? data;
	}

	async execution(id) {
		return await this.rest('GET', `/rest/executions/${id}`);
	}

	/** Waits until `workflowId` has at least `count` finished executions; returns them (newest first). */
	async waitForExecutions(workflowId, count, { timeoutMs = 30_000 } = {}) {
		const t0 = Date.now();
		let last = [];
		while (Date.now() - t0 < timeoutMs) {
			last = await this.executions(workflowId);
			const finished = last.filter((e) => e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status));
			if (finished.length >= count) return finished;
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(`workflow ${workflowId}: expected ${count} finished executions, saw ${last.length} after ${timeoutMs} ms`);
	}

	async activate(workflowId) {
		const wf = await this.rest('GET', `/rest/workflows/${workflowId}`);
		return await this.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: wf.versionId });
	}

	async deactivate(workflowId) {
		return await this.rest('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/**
	 * Runs a workflow the way the editor's "Execute workflow" button does (n8n 2.41 needs the trigger
	 * to start from). Returns `{ executionId }`.
	 */
	async runManually(workflowId, triggerName) {
		const wf = await this.rest('GET', `/rest/workflows/${workflowId}`);
		const trigger = triggerName ?? wf.nodes.find((n) => /trigger$/i.test(n.type) && !n.disabled)?.name;
		return await this.rest('POST', `/rest/workflows/${workflowId}/run`, { workflowData: wf, triggerToStartFrom: { name: trigger } });
	}
}

/**
 * Builds the package (unless asked not to), packs it, provisions n8n and prepares a fresh user folder
 * with the package installed. Returns an N8nHost that has not been started yet.
 */
export async function prepareHost({ userFolder, port, build = true, env, packageDir = projectRoot, keepUserFolder = false } = {}) {
	// First, so a missing n8n fails before the build and pack, in seconds.
	const install = n8nInstall();
	if (build) {
		log('building the package (npm run build)');
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: ['ignore', 2, 2] });
	}
	if (!keepUserFolder) rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	const tarball = packPackage(join(userFolder, 'pack'), packageDir);
	log(`packed ${tarball}`);
	const installedAt = installPackage(userFolder, tarball);
	log(`installed into ${installedAt}`);
	// n8n's task-runner broker listens on 5679 unless told otherwise: a free port per host lets
	// tests, benches and the demo run side by side.
	return new N8nHost({ userFolder, port: port ?? (await freePort()), install, env: { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...env } });
}
