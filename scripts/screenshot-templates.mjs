#!/usr/bin/env node
// Screenshots of every template's canvas, taken from the real n8n editor in headless Chromium
// (Debian's `chromium`: apt-get install -y chromium), into workflows/screenshots/<file>.png.
// Not part of npm test. Drives Chromium over the DevTools protocol with the provisioned Node 24's
// global WebSocket (re-executes itself under that Node when started from an older one).
//
// Then every node panel and credential dialog, light and dark, into workflows/screenshots/panels/
// (scripts/screenshot-panels.mjs).
//
//   node scripts/screenshot-templates.mjs            # builds the package first
//   PEEKPRO_AI_SKIP_BUILD=1 node scripts/screenshot-templates.mjs
//   PEEKPRO_AI_SHOTS=panels node scripts/screenshot-templates.mjs   # only the panels (or =canvases)
//   PEEKPRO_AI_SHOTS=guide,campaign PEEKPRO_AI_PANELS=outlook,microsoft-graph node scripts/screenshot-templates.mjs
//     # the canvases whose file starts with guide/campaign, and the panels/dialogs whose file contains outlook/microsoft-graph
//   PEEKPRO_AI_SHOTS=canvases,waitlist node scripts/screenshot-templates.mjs   # that canvas only, no panels
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { provision } from './provision-n8n.mjs';

if (typeof WebSocket === 'undefined') {
	// Node 20 has no global WebSocket; the provisioned Node 24 does.
	const { node } = provision();
	const r = spawn(node, process.argv.slice(1), { stdio: 'inherit' });
	r.on('exit', (code) => process.exit(code ?? 1));
} else {
	await main();
}

async function main() {
	const { prepareHost, projectRoot, freePort } = await import('../test/harness/n8n.mjs');
	const say = (m) => process.stderr.write(`[screenshots] ${m}\n`);
	const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
	if (!chromium) throw new Error('Debian chromium is not installed: apt-get update && apt-get install -y chromium');

	const workflowsDir = join(projectRoot, 'workflows');
	const outDir = join(workflowsDir, 'screenshots');
	mkdirSync(outDir, { recursive: true });
	// PEEKPRO_AI_SHOTS=waitlist,no-show re-shoots only the templates whose file starts with one of these.
	// `canvases` among them (PEEKPRO_AI_SHOTS=canvases,waitlist) skips the panels.
	const only = (process.env.PEEKPRO_AI_SHOTS ?? '').split(',').filter((p) => p && p !== 'canvases' && p !== 'panels');
	const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.json') && (!only.length || only.some((p) => f.startsWith(p))));
	const userFolder = join(projectRoot, '.cache', 'screenshots-n8n');
	const host = await prepareHost({ userFolder, build: process.env.PEEKPRO_AI_SKIP_BUILD !== '1' });
	host.importCredentials([
		{ id: 'PeekProAiPeek001', name: 'Peek Pro account', type: 'peekProAiPeekProApi', data: { apiKey: 'demo-peek-key', baseUrl: 'http://127.0.0.1:9' } },
		{ id: 'PeekProAiKlav001', name: 'Klaviyo account', type: 'peekProAiKlaviyoApi', data: { apiKey: 'pk_demo_0000000000000000', baseUrl: 'http://127.0.0.1:9' } },
		{ id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account', type: 'peekProAiOpenAiApi', data: { apiKey: 'sk-demo', baseUrl: 'http://127.0.0.1:9/v1' } },
		// The templates' guide-sync nodes use the app-only credential by this id.
		{
			id: 'PeekProAiGraph01', name: 'Microsoft Graph account', type: 'peekProAiMicrosoftGraphAppOnlyApi',
			data: { tenantId: '00000000-0000-0000-0000-000000000000', clientId: 'demo-client-id', clientSecret: 'demo-client-secret', baseUrl: 'http://127.0.0.1:9/v1.0' },
		},
		{
			id: 'PeekProAiGraph02', name: 'Microsoft Graph delegated account', type: 'peekProAiMicrosoftGraphOAuth2Api',
			data: { clientId: 'demo-client-id', clientSecret: 'demo-client-secret', authUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize', accessTokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token', baseUrl: 'http://127.0.0.1:9/v1.0' },
		},
		{ id: 'PeekProAiSmtp001', name: 'Approvals SMTP', type: 'smtp', data: { user: '', password: '', host: '127.0.0.1', port: 25, secure: false, disableStartTls: true } },
		{ id: 'PeekProAiBraze01', name: 'Braze REST API key', type: 'httpHeaderAuth', data: { name: 'Authorization', value: 'Bearer demo' } },
		// The queue-mode recovery template's Redis nodes.
		{ id: 'PeekProAiRedis01', name: 'Queue Redis', type: 'redis', data: { host: '127.0.0.1', port: 9, database: 0, password: '', ssl: false } },
	]);
	const shotList = (process.env.PEEKPRO_AI_SHOTS ?? '').split(',');
	const shots = shotList.includes('panels') ? 'panels' : shotList.includes('canvases') ? 'canvases' : 'all';
	if (shots !== 'panels') host.cli(['import:workflow', '--separate', `--input=${workflowsDir}`]);
	// Panels: one single-node workflow per panel, built from the package's own descriptions.
	const { packagedTypes, panelWorkflows, shootPanels } = await import('./screenshot-panels.mjs');
	const types = packagedTypes(projectRoot);
	const panels = shots === 'canvases' ? [] : panelWorkflows(types);
	if (panels.length) {
		const panelDir = join(userFolder, 'panel-workflows');
		mkdirSync(panelDir, { recursive: true });
		for (const p of panels) writeFileSync(join(panelDir, `${p.workflow.id}.json`), JSON.stringify(p.workflow));
		host.cli(['import:workflow', '--separate', `--input=${panelDir}`]);
	}
	await host.start();
	await host.login();
	const cookie = host.cookie.split('; ').map((c) => {
		const i = c.indexOf('=');
		return { name: c.slice(0, i), value: c.slice(i + 1), url: host.baseUrl };
	});

	const profile = mkdtempSync(join(tmpdir(), 'peekpro-chromium-'));
	const port = await freePort();
	const browser = spawn(chromium, [
		'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`,
		'--remote-debugging-address=127.0.0.1', '--hide-scrollbars', 'about:blank',
	], { stdio: ['ignore', 'ignore', 'pipe'] });
	try {
		let version;
		for (let i = 0; i < 100 && !version; i++) {
			try {
				version = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json();
			} catch {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		if (!version) throw new Error('Chromium did not open its DevTools port');
		const cdp = await connect(version.webSocketDebuggerUrl);
		const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
		const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
		const page = (method, params) => cdp.send(method, params, sessionId);
		await page('Page.enable');
		await page('Network.enable');
		await page('Network.setCookies', { cookies: cookie });
		await page('Emulation.setDeviceMetricsOverride', { width: 1800, height: 1000, deviceScaleFactor: 1, mobile: false });
		for (const f of shots === 'panels' ? [] : files) {
			const wf = JSON.parse(readFileSync(join(workflowsDir, f), 'utf8'));
			await page('Page.navigate', { url: `${host.baseUrl}/workflow/${wf.id}` });
			// The canvas renders after the editor's bundles and the workflow load; wait for its nodes.
			const t0 = Date.now();
			for (;;) {
				const { result } = await page('Runtime.evaluate', { expression: 'document.querySelectorAll("[data-test-id=\\"canvas-node\\"]").length', returnByValue: true });
				if (result.value >= wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').length || Date.now() - t0 > 90_000) break;
				await new Promise((r) => setTimeout(r, 250));
			}
			// Close pop-ups that cover the canvas, then fit the whole workflow in view (shortcut "1").
			await page('Runtime.evaluate', { expression: 'document.querySelectorAll(".el-dialog__headerbtn, [data-test-id=\\"close-button\\"]").forEach((b) => b.click())' });
			await page('Input.dispatchKeyEvent', { type: 'keyDown', key: '1', code: 'Digit1', text: '1' });
			await page('Input.dispatchKeyEvent', { type: 'keyUp', key: '1', code: 'Digit1' });
			await new Promise((r) => setTimeout(r, 1500));
			const { data } = await page('Page.captureScreenshot', { format: 'png' });
			const out = join(outDir, f.replace(/\.json$/, '.png'));
			writeFileSync(out, Buffer.from(data, 'base64'));
			say(`${wf.name} → ${out}`);
		}
		if (shots !== 'canvases') {
			await page('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1500, deviceScaleFactor: 1, mobile: false });
			await shootPanels({ page, baseUrl: host.baseUrl, outDir, types, panels, say });
		}
		cdp.close();
	} finally {
		browser.kill('SIGTERM');
		await host.stop();
		rmSync(profile, { recursive: true, force: true });
	}
}

/** A minimal DevTools-protocol client: send(method, params, sessionId) → result. */
async function connect(url) {
	const ws = new WebSocket(url);
	await new Promise((resolve, reject) => {
		ws.onopen = resolve;
		ws.onerror = reject;
	});
	let nextId = 1;
	const pending = new Map();
	ws.onmessage = (event) => {
		const msg = JSON.parse(event.data);
		const p = msg.id !== undefined ? pending.get(msg.id) : undefined;
		if (!p) return;
		pending.delete(msg.id);
		if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
		else p.resolve(msg.result);
	};
	return {
		send(method, params = {}, sessionId) {
			const id = nextId++;
			ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
			return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
		},
		close: () => ws.close(),
	};
}

// Keeps the unused-import checker quiet on older Node where main() is not reached.
void execFileSync;
