#!/usr/bin/env node
// `npm start`: a working demo of the pack on this machine, with no vendor account and no internet.
//
//   1. builds the package and provisions the pinned n8n (cached after the first run);
//   2. starts local sandboxes for the vendor APIs (Peek Pro, Klaviyo, an OpenAI-compatible LLM) on
//      loopback, so the demo credentials point at them and nothing can leave the machine even if a
//      template's shadow mode is switched off;
//   3. installs the packed package into the demo user folder (`.n8n-demo/`, kept between runs),
//      imports the demo credentials and every template (again only when the templates changed, so your
//      edits survive restarts), publishes the webhook-started templates;
//   4. starts n8n on http://localhost:5678 (N8N_PORT to change) and prints what to do next.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_TABLE, prepareHost, projectRoot, OWNER } from '../test/harness/n8n.mjs';
import { demoCredentials, startSandboxes, SANDBOX_PORTS } from './sandboxes.mjs';
import { N8N_VERSION } from './provision-n8n.mjs';

const port = Number(process.env.N8N_PORT ?? 5678);
const userFolder = process.env.PEEKPRO_AI_DEMO_DIR ?? join(projectRoot, '.n8n-demo');
const say = (msg) => process.stdout.write(`${msg}\n`);

const sandboxes = await startSandboxes(SANDBOX_PORTS);
say(`Sandboxes: ${Object.entries(sandboxes).map(([k, v]) => `${k} ${v.url}`).join(', ')}`);

const host = await prepareHost({ userFolder, port, keepUserFolder: true });

const workflowsDir = join(projectRoot, 'workflows');
const templateFiles = existsSync(workflowsDir) ? readdirSync(workflowsDir).filter((f) => f.endsWith('.json')) : [];
const templatesHash = createHash('sha256')
	.update(templateFiles.map((f) => readFileSync(join(workflowsDir, f))).join('\n'))
	.digest('hex');
const markerFile = join(userFolder, 'templates.sha256');
const imported = existsSync(markerFile) ? readFileSync(markerFile, 'utf8') : '';

host.importCredentials(demoCredentials(sandboxes));
if (templateFiles.length && imported !== templatesHash) {
	say(`Importing ${templateFiles.length} templates from workflows/ ...`);
	host.cli(['import:workflow', '--separate', `--input=${workflowsDir}`]);
	for (const f of templateFiles) {
		const wf = JSON.parse(readFileSync(join(workflowsDir, f), 'utf8'));
		if (wf.meta?.peekproAi?.publishInDemo) host.publishWorkflow(wf.id);
	}
	mkdirSync(userFolder, { recursive: true });
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
	for (const s of Object.values(sandboxes)) await s.close?.();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
host.child.on('exit', async (code) => {
	for (const s of Object.values(sandboxes)) await s.close?.();
	process.exit(code ?? 0);
});
