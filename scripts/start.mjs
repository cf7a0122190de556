#!/usr/bin/env node
// `npm start`: a working demo of the pack on this machine, with no vendor account and no internet.
//
//   1. builds the package and provisions the pinned n8n (cached after the first run);
//   2. starts local sandboxes for every outside endpoint (Peek Pro, Klaviyo, an OpenAI-compatible LLM,
//      SMTP for approval emails, a weather API, Braze) on
//      loopback, so the demo credentials point at them and nothing can leave the machine even if a
//      template's shadow mode is switched off;
//   3. installs the packed package into the demo user folder (`.n8n-demo/`, kept between runs),
//      imports the demo credentials and every template (again only when the templates changed, so your
//      edits survive restarts), publishes the webhook-started templates;
//   4. starts n8n on http://localhost:5678 (N8N_PORT to change) and prints what to do next.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_TABLE, prepareHost, projectRoot, OWNER } from '../test/harness/n8n.mjs';
import { DEMO_KEYS, DEMO_PORTS, pointTemplateAtSandboxes, sandboxCredentials, startSandboxes, stopSandboxes } from './sandboxes.mjs';
import { N8N_VERSION } from './provision-n8n.mjs';

const port = Number(process.env.N8N_PORT ?? 5678);
const userFolder = process.env.PEEKPRO_AI_DEMO_DIR ?? join(projectRoot, '.n8n-demo');
const say = (msg) => process.stdout.write(`${msg}\n`);

const sandboxes = await startSandboxes({ ports: DEMO_PORTS, keys: DEMO_KEYS });
say(`Sandboxes: ${Object.entries(sandboxes).map(([k, v]) => `${k} ${v.url}`).join(', ')}`);

const host = await prepareHost({ userFolder, port, keepUserFolder: true });

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
	for (const wf of workflows) if (wf.meta?.peekproAi?.publishInDemo) host.publishWorkflow(wf.id);
	writeFileSync(markerFile, templatesHash);
}

await host.start({ timeoutMs: 180_000 });
// First run creates the local demo owner; later runs log in. Then the audit table the templates
// write to (community nodes cannot create Data Tables, so it is made here over n8n's REST API).
await host.login();
await host.ensureDataTable(AUDIT_TABLE);

say(`
n8n ${N8N_VERSION} is running with n8n-nodes-peekpro-ai installed:

  Editor:    http://localhost:${port}
  Login:     ${OWNER.email} / ${OWNER.password}   (local demo owner; change it in Settings)

Next:
  - Open the editor: the pack's nodes are in the node panel (search "Peek Pro", "AI Scorer", "Klaviyo"),
    the templates are in the workflow list, every one in shadow mode with local models.
  - Send sample Peek Pro deliveries into the running n8n:   npm run demo:send
    then open Executions to see the canonical booking, the scores and the exact Klaviyo requests.
  - n8n's own log: ${host.logFile}
  - Stop with Ctrl+C. Your workflows and executions stay in ${userFolder}.
`);

const stop = async () => {
	await host.stop();
	await stopSandboxes(sandboxes);
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
host.child.on('exit', async (code) => {
	await stopSandboxes(sandboxes);
	process.exit(code ?? 0);
});
