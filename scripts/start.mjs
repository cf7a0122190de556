#!/usr/bin/env node
// `npm start`: a working demo of the pack on this machine, with no vendor account and no internet.
//
//   0. if this demo already runs (or is starting), says where and exits 0; checks every port it needs
//      and, before any download, the tools the one-time sqlite3 build needs;
//   1. provisions the pinned n8n (cached after the first run) and builds the package;
//   2. starts local sandboxes for every outside endpoint (Peek Pro, Klaviyo, an OpenAI-compatible LLM,
//      SMTP for approval emails with a page to read them, a weather API, Braze) on loopback, so the
//      demo credentials point at them and nothing can leave the machine even if a template's shadow
//      mode is switched off;
//   3. installs the packed package into the demo user folder (`.n8n-demo/`, kept between runs),
//      imports the demo credentials and every template (again only when the templates changed, so your
//      edits survive restarts), publishes the webhook-started templates;
//   4. starts n8n on http://localhost:5678 (N8N_PORT to change) and prints what to do next.
//
// A second `npm start` while one runs says so and exits 0, rather than starting a second n8n on free
// ports: both would share one user folder (one SQLite database, one set of credentials pointing at
// one set of sandboxes), and `npm run demo:send` would not know which to talk to. The running demo is
// recorded in `<demo folder>/demo.json` (PID, URLs), which demo:send reads.
// Ctrl+C or SIGTERM stops n8n (with its task runner) and every sandbox, and removes demo.json.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_TABLE, prepareHost, projectRoot, OWNER } from '../test/harness/n8n.mjs';
import {
	DEMO_KEYS,
	DEMO_PORTS,
	PORT_VARIABLES,
	demoFolder,
	demoStateFile,
	pointTemplateAtSandboxes,
	portFree,
	runningDemo,
	sandboxCredentials,
	startSandboxes,
	stopSandboxes,
} from './sandboxes.mjs';
import { N8N_VERSION, provision } from './provision-n8n.mjs';

const port = Number(process.env.N8N_PORT ?? 5678);
const userFolder = demoFolder();
const stateFile = demoStateFile();
const editorUrl = `http://localhost:${port}`;
const say = (msg) => process.stdout.write(`${msg}\n`);
const fail = (msg) => {
	process.stderr.write(`\nnpm start: ${msg}\n`);
	process.exitCode = 1;
};

function claim() {
	mkdirSync(userFolder, { recursive: true });
	for (;;) {
		try {
			writeFileSync(stateFile, JSON.stringify({ pid: process.pid, status: 'starting', editorUrl, startedAt: new Date().toISOString() }, null, 2), { flag: 'wx' });
			return true;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		const other = runningDemo();
		if (other) {
			const since = other.startedAt ? ` since ${new Date(other.startedAt).toLocaleTimeString()}` : '';
			say(
				other.status === 'running'
					? `The demo is already running (PID ${other.pid}${since}): ${other.editorUrl}\n  Login: ${OWNER.email} / ${OWNER.password}\n  Mailbox: ${other.mailboxUrl}\n  Send samples: npm run demo:send\n  Stop it with Ctrl+C in its terminal, or: kill ${other.pid}`
					: `The demo is starting in another terminal (PID ${other.pid}${since}); it will serve ${other.editorUrl}. Stop it with Ctrl+C there, or: kill ${other.pid}`,
			);
			return false;
		}
		rmSync(stateFile, { force: true }); // left by a demo that is gone
	}
}

let sandboxes;
let host;
let stopping;
async function stop(code = 0) {
	stopping ??= (async () => {
		if (host) say('\nStopping n8n and the sandboxes ...');
		await host?.stop();
		await stopSandboxes(sandboxes);
		if (runningDemo()?.pid === process.pid) rmSync(stateFile, { force: true });
		process.exit(code);
	})();
	return stopping;
}

async function main() {
	if (!claim()) return;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

	// Every port before anything slow, so a clash is reported in a second, naming what to change.
	const wanted = [['n8n server', port, 'N8N_PORT'], ...Object.entries(DEMO_PORTS).map(([name, p]) => [`${name} sandbox`, p, PORT_VARIABLES[name]])];
	const seen = new Map();
	for (const [what, p, variable] of wanted) {
		if (seen.has(p)) return fail(`the ${what} and the ${seen.get(p)} are both set to port ${p}; change ${variable}.`);
		seen.set(p, what);
		const free = await portFree(p);
		if (free !== true) return fail(`port ${p} (the ${what}) is in use by another program (${free}). Stop it, or run with ${variable}=<free port>, e.g. ${variable}=${p + 100} npm start`);
	}

	provision(); // checks python3, make and a C++ compiler first; prints progress while installing
	sandboxes = await startSandboxes({ ports: DEMO_PORTS, keys: DEMO_KEYS, mailbox: true });
	say(`Sandboxes: ${Object.entries(sandboxes).map(([k, v]) => `${k} ${v.url}`).join(', ')}`);

	host = await prepareHost({ userFolder, port, keepUserFolder: true });

	const workflowsDir = join(projectRoot, 'workflows');
	const templateFiles = existsSync(workflowsDir) ? readdirSync(workflowsDir).filter((f) => f.endsWith('.json')) : [];
	const templatesHash = createHash('sha256')
		.update(templateFiles.map((f) => readFileSync(join(workflowsDir, f))).join('\n'))
		.digest('hex');
	const markerFile = join(userFolder, 'templates.sha256');
	const imported = existsSync(markerFile) ? readFileSync(markerFile, 'utf8') : '';

	host.importCredentials(sandboxCredentials(sandboxes, DEMO_KEYS));
	if (templateFiles.length && imported !== templatesHash) {
		say(`Importing ${templateFiles.length} templates from workflows/ ...`);
		// Imported as shipped, except that Config values naming outside endpoints point at the sandboxes.
		const importDir = join(userFolder, 'import');
		rmSync(importDir, { recursive: true, force: true });
		mkdirSync(importDir, { recursive: true });
		const workflows = templateFiles.map((f) => pointTemplateAtSandboxes(JSON.parse(readFileSync(join(workflowsDir, f), 'utf8')), sandboxes));
		workflows.forEach((wf, i) => writeFileSync(join(importDir, templateFiles[i]), JSON.stringify(wf)));
		host.cli(['import:workflow', '--separate', `--input=${importDir}`]);
		const toPublish = workflows.filter((wf) => wf.meta?.peekproAi?.publishInDemo);
		// One n8n CLI run per workflow (n8n has no batch publish); each boots n8n, 10-30 s.
		say(`Publishing the ${toPublish.length} webhook-started templates (one n8n CLI run each, first start only) ...`);
		toPublish.forEach((wf, i) => {
			host.publishWorkflow(wf.id);
			say(`  ${i + 1}/${toPublish.length} ${wf.name}`);
		});
		writeFileSync(markerFile, templatesHash);
	}

	say('Starting n8n ...');
	await host.start({ timeoutMs: 180_000 });
	host.child.on('exit', (code, signal) => {
		if (stopping) return;
		fail(`n8n stopped unexpectedly (${code ?? signal}); its log: ${host.logFile}`);
		stop(1);
	});
	// First run creates the local demo owner; later runs log in. Then the audit table the templates
	// write to (community nodes cannot create Data Tables, so it is made here over n8n's REST API).
	await host.login();
	await host.ensureDataTable(AUDIT_TABLE);

	writeFileSync(
		stateFile,
		JSON.stringify(
			{
				pid: process.pid,
				status: 'running',
				editorUrl,
				n8nUrl: host.baseUrl,
				n8nPid: host.child.pid,
				mailboxUrl: sandboxes.mailbox.url,
				sandboxes: Object.fromEntries(Object.entries(sandboxes).map(([k, v]) => [k, v.url])),
				startedAt: new Date().toISOString(),
			},
			null,
			2,
		),
	);

	say(`
n8n ${N8N_VERSION} is running with n8n-nodes-peekpro-ai installed:

  Editor:    ${editorUrl}
  Login:     ${OWNER.email} / ${OWNER.password}   (local demo owner; change it in Settings)
  Mailbox:   ${sandboxes.mailbox.url}   (emails the demo sends, e.g. the welcome-back approval email)

Next:
  - Open the editor: the pack's nodes are in the node panel (search "Peek Pro", "AI Scorer", "Klaviyo",
    "Outlook Calendar", "Waitlist Filler", "Attribution", "Audit Row"); the templates are in the
    workflow list, every one in shadow mode with local models.
  - Send sample Peek Pro deliveries into the running n8n (in another terminal):   npm run demo:send
    then open Executions to see the canonical booking, the scores and the exact Klaviyo requests.
  - n8n's own log: ${host.logFile}
  - Stop with Ctrl+C (stops n8n and every sandbox). Your workflows and executions stay in ${userFolder}.
`);
}

try {
	await main();
} catch (error) {
	fail(error.message);
	await stop(1);
}
if (process.exitCode === 1 && !stopping) await stop(1);
if (!host && !stopping) {
	// Nothing was started (already running): leave demo.json to its owner.
	process.exit(process.exitCode ?? 0);
}
