// One real n8n for the whole integration run: started once, shared by every case module under
// cases/ (n8n takes ~10 s to boot and each CLI import ~7 s, so per-case hosts would not fit the
// 20-minute budget). Vendor APIs are loopback fakes that record what they receive.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { prepareHost, projectRoot } from '../harness/n8n.mjs';
import { startRecorder } from '../fakes/recorder.mjs';

/** Stable credential ids and names the templates reference (documented in workflows/README.md). */
export const CREDENTIALS = {
	peek: { id: 'PeekProAiPeek001', name: 'Peek Pro account', type: 'peekProAiPeekProApi' },
	klaviyo: { id: 'PeekProAiKlav001', name: 'Klaviyo account', type: 'peekProAiKlaviyoApi' },
	openai: { id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account', type: 'peekProAiOpenAiApi' },
};

async function optionalFake(file, exportName, opts) {
	const path = join(projectRoot, 'test', 'fakes', file);
	if (!existsSync(path)) return undefined;
	const mod = await import(path);
	return mod[exportName] ? await mod[exportName](opts) : undefined;
}

/** Rewrites a workflow JSON for the test host (e.g. a config node's URL pointing at a fake). */
function readWorkflow(file) {
	return JSON.parse(readFileSync(file, 'utf8'));
}

export async function startEnvironment() {
	const userFolder = join(projectRoot, '.n8n-test');
	const fakes = { recorder: await startRecorder() };
	fakes.peek = await optionalFake('peek.mjs', 'startPeekFake', { apiKey: 'peek-test-key' });
	fakes.klaviyo = await optionalFake('klaviyo.mjs', 'startKlaviyoFake', {});
	fakes.openai = await optionalFake('openai.mjs', 'startOpenAiFake', {});

	const host = await prepareHost({ userFolder, build: process.env.PEEKPRO_AI_SKIP_BUILD !== '1' });

	const credentials = [];
	if (fakes.peek) credentials.push({ ...CREDENTIALS.peek, data: { apiKey: 'peek-test-key', baseUrl: fakes.peek.url } });
	if (fakes.klaviyo) credentials.push({ ...CREDENTIALS.klaviyo, data: { apiKey: 'pk_test_0123456789abcdef', baseUrl: fakes.klaviyo.url } });
	if (fakes.openai) credentials.push({ ...CREDENTIALS.openai, data: { apiKey: 'sk-test', baseUrl: `${fakes.openai.url}/v1` } });
	if (credentials.length) host.importCredentials(credentials);

	// Templates plus test-only workflows, imported in one CLI call (each call boots n8n's DI: ~7 s).
	const importDir = join(userFolder, 'import');
	mkdirSync(importDir, { recursive: true });
	const templates = [];
	for (const dir of [join(projectRoot, 'workflows'), join(projectRoot, 'test', 'integration', 'workflows')]) {
		if (!existsSync(dir)) continue;
		for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
			const wf = readWorkflow(join(dir, f));
			writeFileSync(join(importDir, f), JSON.stringify(wf));
			templates.push({ file: join(dir, f), id: wf.id, name: wf.name, isTemplate: dir.endsWith('workflows') && !dir.includes('integration'), workflow: wf });
		}
	}
	let importLog = '';
	if (templates.length) importLog = host.cli(['import:workflow', '--separate', `--input=${importDir}`]);

	await host.start();
	await host.login();
	return { host, fakes, templates, importLog };
}

export async function stopEnvironment(env) {
	if (!env) return;
	await env.host.stop();
	for (const fake of Object.values(env.fakes)) await fake?.close?.();
}
