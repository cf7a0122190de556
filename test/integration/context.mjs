// One real n8n for the whole integration run: started once, shared by every case module under
// cases/ (n8n takes ~10 s to boot and each CLI import ~7 s, so per-case hosts would not fit the
// 20-minute budget). Vendor APIs are loopback fakes that record what they receive.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { AUDIT_TABLE, prepareHost, projectRoot } from '../harness/n8n.mjs';
import { pointTemplateAtSandboxes, sandboxCredentials, startSandboxes, stopSandboxes, TEST_KEYS } from '../../scripts/sandboxes.mjs';

export { CREDENTIALS, FAKE_FORECAST } from '../../scripts/sandboxes.mjs';

/**
 * Starts the sandboxes and one n8n with the package and every template. If any step fails, whatever
 * was already started (sandboxes, n8n and its task runner) is stopped before the error propagates:
 * an open server would keep the test process alive and the run would hang instead of failing.
 * PEEKPRO_AI_TEST_DIR moves the user folder (default .n8n-test/); PEEKPRO_AI_TEST_N8N_PORT pins
 * n8n's port (default: a free one).
 */
export async function startEnvironment() {
	const userFolder = process.env.PEEKPRO_AI_TEST_DIR ?? join(projectRoot, '.n8n-test');
	const port = process.env.PEEKPRO_AI_TEST_N8N_PORT ? Number(process.env.PEEKPRO_AI_TEST_N8N_PORT) : undefined;
	let fakes;
	let host;
	try {
		fakes = await startSandboxes({ keys: TEST_KEYS });
		host = await prepareHost({ userFolder, port, build: process.env.PEEKPRO_AI_SKIP_BUILD !== '1' });

		host.importCredentials(sandboxCredentials(fakes, TEST_KEYS));

		// Templates plus test-only workflows, imported in one CLI call (each call boots n8n's DI: ~7 s).
		const importDir = join(userFolder, 'import');
		mkdirSync(importDir, { recursive: true });
		const templates = [];
		for (const dir of [join(projectRoot, 'workflows'), join(projectRoot, 'test', 'integration', 'workflows')]) {
			if (!existsSync(dir)) continue;
			for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
				const wf = pointTemplateAtSandboxes(JSON.parse(readFileSync(join(dir, f), 'utf8')), fakes);
				writeFileSync(join(importDir, f), JSON.stringify(wf));
				templates.push({ file: join(dir, f), id: wf.id, name: wf.name, isTemplate: dir.endsWith('workflows') && !dir.includes('integration'), workflow: wf });
			}
		}
		let importLog = '';
		if (templates.length) importLog = host.cli(['import:workflow', '--separate', `--input=${importDir}`]);

		await host.start();
		await host.login();
		// Templates write their audit rows by table name; the table must exist before they run.
		await host.ensureDataTable(AUDIT_TABLE);
		return { host, fakes, templates, importLog };
	} catch (error) {
		await host?.stop();
		await stopSandboxes(fakes);
		error.message = `The integration environment could not start: ${error.message}`;
		throw error;
	}
}

export async function stopEnvironment(env) {
	if (!env) return;
	await env.host.stop();
	await stopSandboxes(env.fakes);
}
