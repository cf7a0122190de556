// Screenshots of every node panel and credential dialog of the package, from the real n8n editor,
// light and dark, into workflows/screenshots/panels/. Driven by scripts/screenshot-templates.mjs
// (one n8n, one Chromium for both); `PEEKPRO_AI_SHOTS=panels` there takes only these.
//
// What is shot comes from package.json's `n8n` lists and the built descriptions in dist/, not from
// a hand list: a node or credential added later is shot without touching this file. Per node: the
// default operation of every resource (a node without resources: its default panel), plus the
// screens listed in EXTRA (a choice that changes the panel a lot, e.g. Backend: LLM).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Screens worth a picture beyond "each resource's default operation": the choice is in the name. */
const EXTRA = {
	peekPro: [{ resource: 'booking', operation: 'writeBack' }],
	aiScorer: [
		{ resource: 'text', operation: 'generateContent', backend: 'llm' },
		{ resource: 'score', operation: 'nextBestActivity' },
	],
	klaviyo: [{ resource: 'event', operation: 'create', specifyEventProperties: 'json' }],
};

/** Credentials the templates script imports, by type: panels select them so no red "select credential" shows. */
const CREDENTIAL_IDS = {
	peekProAiPeekProApi: { id: 'PeekProAiPeek001', name: 'Peek Pro account' },
	peekProAiKlaviyoApi: { id: 'PeekProAiKlav001', name: 'Klaviyo account' },
	peekProAiOpenAiApi: { id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account' },
	peekProAiMicrosoftGraphAppOnlyApi: { id: 'PeekProAiGraph01', name: 'Microsoft Graph account' },
	peekProAiMicrosoftGraphOAuth2Api: { id: 'PeekProAiGraph02', name: 'Microsoft Graph delegated account' },
};

const slug = (s) => String(s).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** The nodes and credentials the package ships, read from its built files. */
export function packagedTypes(projectRoot) {
	const require = createRequire(join(projectRoot, 'package.json'));
	const pkg = require('./package.json');
	const load = (p) => {
		const mod = require(`./${p}`);
		const className = p.split('/').pop().split('.')[0];
		return new mod[className]();
	};
	return {
		packageName: pkg.name,
		nodes: pkg.n8n.nodes.map((p) => load(p).description),
		credentials: pkg.n8n.credentials.map((p) => load(p)),
	};
}

function defaultVersion(d) {
	return d.defaultVersion ?? (Array.isArray(d.version) ? Math.max(...d.version) : d.version);
}

/** n8n's displayOptions, enough to find a resource's operation selector for one version. */
function shows(p, values) {
	for (const [key, conds] of Object.entries(p.displayOptions?.show ?? {})) {
		const v = values[key];
		const ok = conds.some((c) => (c && typeof c === 'object' && c._cnd ? (c._cnd.gte !== undefined ? v >= c._cnd.gte : c._cnd.eq === v) : c === v));
		if (!ok) return false;
	}
	return true;
}

/** One screen per resource (its default operation) plus EXTRA, for the node's default version. */
export function panelScreens(d) {
	const version = defaultVersion(d);
	const props = d.properties;
	const resource = props.find((p) => p.name === 'resource' && shows(p, { '@version': version }));
	const screens = [];
	if (!resource) {
		screens.push({});
	} else {
		for (const r of resource.options) {
			const op = props.find((p) => p.name === 'operation' && shows(p, { '@version': version, resource: r.value }));
			screens.push(op ? { resource: r.value, operation: op.default } : { resource: r.value });
		}
	}
	for (const extra of EXTRA[d.name] ?? []) if (!screens.some((x) => JSON.stringify(x) === JSON.stringify(extra))) screens.push(extra);
	return screens.map((params) => ({ params, label: Object.values(params).join('-') || 'default' }));
}

/** The workflows to import before n8n starts: one node each, its panel's parameters set. */
export function panelWorkflows({ packageName, nodes }) {
	const out = [];
	let n = 0;
	for (const d of nodes) {
		for (const screen of panelScreens(d)) {
			const id = `PeekProAiPanel${String(++n).padStart(2, '0')}`;
			const credentials = Object.fromEntries((d.credentials ?? []).filter((c) => CREDENTIAL_IDS[c.name]).map((c) => [c.name, CREDENTIAL_IDS[c.name]]));
			const nodeId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
			out.push({
				file: `${slug(d.displayName)}--${slug(screen.label)}`,
				nodeName: d.defaults?.name ?? d.displayName,
				nodeId,
				workflow: {
					id,
					name: `Panel · ${d.displayName} · ${screen.label}`,
					nodes: [
						{
							id: nodeId,
							name: d.defaults?.name ?? d.displayName,
							type: `${packageName}.${d.name}`,
							typeVersion: defaultVersion(d),
							position: [0, 0],
							parameters: screen.params,
							...(Object.keys(credentials).length ? { credentials } : {}),
							...(d.webhooks ? { webhookId: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}` } : {}),
						},
					],
					connections: {},
					active: false,
					settings: {},
					pinData: {},
				},
			});
		}
	}
	return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function evaluate(page, expression) {
	try {
		const { result } = await page('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
		return result.value;
	} catch (e) {
		// A reload or in-app navigation between two polls: the next poll sees the new page.
		if (/navigated or closed|context was destroyed|Cannot find context/i.test(e.message)) return undefined;
		throw e;
	}
}

async function waitFor(page, expression, timeoutMs = 30_000) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		if (await evaluate(page, expression)) return true;
		await sleep(250);
	}
	return false;
}

/** n8n keeps the theme in localStorage ("N8N_THEME"); set it on the editor's origin, then reload. */
async function setTheme(page, baseUrl, theme) {
	await page('Page.navigate', { url: `${baseUrl}/home/workflows` });
	await waitFor(page, 'document.readyState === "complete" && !!document.querySelector("#app")?.__vue_app__', 60_000);
	await evaluate(page, `localStorage.setItem('N8N_THEME', ${JSON.stringify(theme)}); true`);
	await page('Page.reload', {});
	await waitFor(page, 'document.readyState === "complete" && !!document.querySelector("#app")?.__vue_app__', 60_000);
	await sleep(2000);
}

/**
 * Moves inside the editor (Vue Router), as a user clicking through does: reloading the editor's
 * bundles for every panel took a minute a page on a busy machine. Falls back to a page load.
 */
async function go(page, baseUrl, path) {
	const pushed = await evaluate(
		page,
		`(() => { const app = document.querySelector('#app')?.__vue_app__; const router = app?.config.globalProperties.$router; if (!router) return false; void router.push(${JSON.stringify(path)}); return true; })()`,
	);
	if (!pushed) await page('Page.navigate', { url: `${baseUrl}${path}` });
	// Opening a panel can mark the workflow changed (n8n fills defaults): leave without saving.
	await sleep(800);
	await evaluate(page, `[...document.querySelectorAll('button')].filter((b) => /leave without saving/i.test(b.textContent)).forEach((b) => b.click()); true`);
}

async function shoot(page, out) {
	const { data } = await page('Page.captureScreenshot', { format: 'png' });
	writeFileSync(out, Buffer.from(data, 'base64'));
}

/**
 * Opens each panel workflow, double-clicks its node to open the panel, and each credential's
 * dialog, in light then dark theme. Returns the files written.
 */
export async function shootPanels({ page, baseUrl, outDir, types, panels, say }) {
	const dir = join(outDir, 'panels');
	mkdirSync(dir, { recursive: true });
	const written = [];
	// PEEKPRO_AI_PANELS=trigger,microsoft-graph re-shoots only the panels and credential dialogs whose file
	// name contains one of these (a dialog's file is credential--<display name>, e.g. credential--peekpro-ai-microsoft-graph-oauth2-api).
	const only = (process.env.PEEKPRO_AI_PANELS ?? '').split(',').filter(Boolean);
	const wanted = (file) => !only.length || only.some((part) => file.includes(part));
	for (const theme of ['light', 'dark']) {
		await setTheme(page, baseUrl, theme);
		for (const p of panels.filter((x) => wanted(x.file))) {
			const onCanvas = `[...document.querySelectorAll('[data-test-id="canvas-node"]')].some((n) => n.textContent.includes(${JSON.stringify(p.nodeName)}))`;
			await go(page, baseUrl, `/workflow/${p.workflow.id}`);
			// The first workflow after a theme reload can miss the in-app navigation: load the page then.
			if (!(await waitFor(page, onCanvas, 60_000))) {
				await page('Page.navigate', { url: `${baseUrl}/workflow/${p.workflow.id}` });
				await waitFor(page, onCanvas, 90_000);
			}
			await evaluate(page, 'document.querySelectorAll(".el-dialog__headerbtn, [data-test-id=\\"close-button\\"]").forEach((b) => b.click()); true');
			await sleep(500);
			// Double-click the node, as a user opens its panel.
			const box = await evaluate(page, `(() => { const n = document.querySelector('[data-test-id="canvas-node"]'); if (!n) return null; const r = n.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()`);
			if (!box) {
				say(`no canvas node for ${p.file}`);
				continue;
			}
			for (const type of ['mousePressed', 'mouseReleased']) await page('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
			for (const type of ['mousePressed', 'mouseReleased']) await page('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 2 });
			const opened = await waitFor(page, '!!document.querySelector("[data-test-id=\\"ndv\\"], .ndv-wrapper, [data-test-id=\\"node-parameters\\"]")', 15_000);
			if (!opened) say(`panel did not open for ${p.file}`);
			await sleep(1500);
			const out = join(dir, `${p.file}.${theme}.png`);
			await shoot(page, out);
			written.push(out);
			say(`${p.workflow.name} (${theme}) → ${out}`);
			await page('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
			await page('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 });
			await sleep(300);
		}
		for (const c of types.credentials.filter((x) => wanted(`credential--${slug(x.displayName)}`))) {
			const ref = CREDENTIAL_IDS[c.name];
			if (!ref) {
				say(`no demo credential for ${c.name}: add one to CREDENTIAL_IDS and to the import in screenshot-templates.mjs`);
				continue;
			}
			await go(page, baseUrl, `/home/credentials/${ref.id}`);
			const opened = await waitFor(page, '!!document.querySelector("[data-test-id=\\"editCredential-modal\\"], .el-dialog")', 20_000);
			if (!opened) say(`credential dialog did not open for ${c.name}`);
			await sleep(1500);
			const out = join(dir, `credential--${slug(c.displayName)}.${theme}.png`);
			await shoot(page, out);
			written.push(out);
			say(`${c.displayName} (${theme}) → ${out}`);
			await evaluate(page, 'document.querySelectorAll(".el-dialog__headerbtn").forEach((b) => b.click()); true');
			// An OAuth2 credential that is not connected asks "Close without connecting?": close it.
			await sleep(500);
			await evaluate(page, `[...document.querySelectorAll('.el-message-box button, [role="dialog"] button')].filter((b) => b.textContent.trim() === 'Close').forEach((b) => b.click()); true`);
			await sleep(300);
		}
	}
	writeIndex(dir, panels, types);
	return written;
}

/** workflows/screenshots/panels/README.md: every picture, by node, light and dark side by side. */
function writeIndex(dir, panels, types) {
	const lines = [
		'# Node panels and credential dialogs',
		'',
		'From the real n8n 2.41.1 editor in headless Chromium, written by `node scripts/screenshot-templates.mjs`',
		'(`PEEKPRO_AI_SHOTS=panels` for these only). Each node at its current version: the default operation of every',
		'resource, plus the screens a choice changes most. The rules these panels follow are in the main README,',
		'*How the panels read*.',
		'',
		'| Panel | Light | Dark |',
		'|---|---|---|',
		...panels.map((p) => `| ${p.workflow.name.replace(/^Panel · /, '')} | [light](${p.file}.light.png) | [dark](${p.file}.dark.png) |`),
		...types.credentials.map((c) => `| Credential · ${c.displayName} | [light](credential--${slug(c.displayName)}.light.png) | [dark](credential--${slug(c.displayName)}.dark.png) |`),
		'',
	];
	writeFileSync(join(dir, 'README.md'), lines.join('\n'));
}
