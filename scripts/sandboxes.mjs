// Local stand-ins for every outside endpoint the pack and its templates call: Peek Pro, Klaviyo, an
// OpenAI-compatible LLM, an SMTP server for approval emails, a weather forecast API and Braze.
// One definition serves both the integration suite (random ports, test keys) and `npm start`
// (fixed ports, demo keys), so the demo needs no vendor account and cannot reach a real one.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startRecorder } from '../test/fakes/recorder.mjs';
import { startPeekFake } from '../test/fakes/peek.mjs';
import { startKlaviyoFake } from '../test/fakes/klaviyo.mjs';
import { startOpenAiFake } from '../test/fakes/openai.mjs';
import { startMailboxViewer, startSmtpFake } from '../test/fakes/smtp.mjs';
import { startGraphFake } from '../test/fakes/graph.mjs';
import { alive } from './provision-n8n.mjs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Stable credential ids and names the templates reference (documented in workflows/README.md). */
export const CREDENTIALS = {
	peek: { id: 'PeekProAiPeek001', name: 'Peek Pro account', type: 'peekProAiPeekProApi' },
	klaviyo: { id: 'PeekProAiKlav001', name: 'Klaviyo account', type: 'peekProAiKlaviyoApi' },
	openai: { id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account', type: 'peekProAiOpenAiApi' },
	// n8n's own credential types the templates use (welcome-back approval email, Braze branch).
	smtp: { id: 'PeekProAiSmtp001', name: 'Approvals SMTP', type: 'smtp' },
	braze: { id: 'PeekProAiBraze01', name: 'Braze REST API key', type: 'httpHeaderAuth' },
	// Outlook Calendar: app-only (client credentials), the way a service account runs guide sync.
	graph: { id: 'PeekProAiGraph01', name: 'Microsoft Graph account', type: 'peekProAiMicrosoftGraphAppOnlyApi' },
};

export const DEMO_PORTS = {
	peek: Number(process.env.PEEKPRO_AI_SANDBOX_PEEK_PORT ?? 5690),
	klaviyo: Number(process.env.PEEKPRO_AI_SANDBOX_KLAVIYO_PORT ?? 5691),
	openai: Number(process.env.PEEKPRO_AI_SANDBOX_LLM_PORT ?? 5692),
	smtp: Number(process.env.PEEKPRO_AI_SANDBOX_SMTP_PORT ?? 5693),
	weather: Number(process.env.PEEKPRO_AI_SANDBOX_WEATHER_PORT ?? 5694),
	braze: Number(process.env.PEEKPRO_AI_SANDBOX_BRAZE_PORT ?? 5695),
	recorder: Number(process.env.PEEKPRO_AI_SANDBOX_RECORDER_PORT ?? 5696),
	// The demo's mailbox page (the SMTP sandbox's received emails, e.g. the approval email).
	mailbox: Number(process.env.PEEKPRO_AI_SANDBOX_MAILBOX_PORT ?? 5697),
	graph: Number(process.env.PEEKPRO_AI_SANDBOX_GRAPH_PORT ?? 5698),
};

/** The demo's user folder (n8n's database, the installed package, demo.json). */
export function demoFolder() {
	return process.env.PEEKPRO_AI_DEMO_DIR ? resolve(process.env.PEEKPRO_AI_DEMO_DIR) : join(projectRoot, '.n8n-demo');
}

/** Written by `npm start` while its demo runs: its PID, the editor, n8n and sandbox URLs. */
export function demoStateFile() {
	return join(demoFolder(), 'demo.json');
}

/** The demo recorded in demo.json, if the `npm start` that wrote it still runs; else undefined. */
export function runningDemo(file = demoStateFile()) {
	try {
		const state = JSON.parse(readFileSync(file, 'utf8'));
		return state.pid && alive(state.pid) ? state : undefined;
	} catch {
		return undefined;
	}
}

export const DEMO_KEYS = { peek: 'demo-peek-key', klaviyo: 'pk_demo_0000000000000000', openai: 'sk-demo', braze: 'braze-demo-key', graph: 'graph-demo-secret' };
export const TEST_KEYS = { peek: 'peek-test-key', klaviyo: 'pk_test_0123456789abcdef', openai: 'sk-test', braze: 'braze-test-key', graph: 'graph-test-secret' };

/** Open-Meteo-shaped daily forecast the weather sandbox answers with (rain likely, cool). */
export const FAKE_FORECAST = {
	latitude: 39.1,
	longitude: -120.03,
	daily_units: { temperature_2m_max: '°C', precipitation_probability_max: '%' },
	daily: { time: ['2026-07-01'], temperature_2m_max: [14.5], temperature_2m_min: [6.2], precipitation_probability_max: [80], wind_speed_10m_max: [22] },
};

/** Klaviyo's default lists plus the ones the templates' Config nodes name (reactivation, win-back). */
const KLAVIYO_LISTS = [
	{ id: 'Y6nRLr', name: 'Newsletter' },
	{ id: 'VIP001', name: 'VIP guests' },
	{ id: 'WeMissYou', name: 'We miss you' },
	{ id: 'WinBackHighRisk', name: 'Win-back: High Risk' },
];

/** The environment variable that moves each demo sandbox, named when its port is taken. */
export const PORT_VARIABLES = {
	peek: 'PEEKPRO_AI_SANDBOX_PEEK_PORT',
	klaviyo: 'PEEKPRO_AI_SANDBOX_KLAVIYO_PORT',
	openai: 'PEEKPRO_AI_SANDBOX_LLM_PORT',
	smtp: 'PEEKPRO_AI_SANDBOX_SMTP_PORT',
	weather: 'PEEKPRO_AI_SANDBOX_WEATHER_PORT',
	braze: 'PEEKPRO_AI_SANDBOX_BRAZE_PORT',
	recorder: 'PEEKPRO_AI_SANDBOX_RECORDER_PORT',
	mailbox: 'PEEKPRO_AI_SANDBOX_MAILBOX_PORT',
	graph: 'PEEKPRO_AI_SANDBOX_GRAPH_PORT',
};

/** Resolves when `port` on 127.0.0.1 can be listened on; rejects with the OS error code otherwise. */
export async function portFree(port) {
	return await new Promise((resolveFree) => {
		const probe = createServer();
		probe.once('error', (error) => resolveFree(error.code ?? error.message));
		probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
	});
}

export class SandboxStartError extends Error {}

/**
 * Starts every sandbox; `ports` default to 0 (any free port); `mailbox` adds the web page listing the
 * emails the SMTP sandbox received (the demo's; tests read them directly). If one cannot start, the ones already
 * started are closed before the error (naming the sandbox, its port and the variable that moves it)
 * propagates, so a failed start leaves nothing listening and nothing keeping the process alive.
 */
export async function startSandboxes({ ports = {}, keys = TEST_KEYS, mailbox = false } = {}) {
	const starters = {
		recorder: (port) => startRecorder({ port }),
		peek: (port) => startPeekFake({ port, apiKey: keys.peek }),
		klaviyo: (port) => startKlaviyoFake({ port, apiKey: keys.klaviyo, lists: KLAVIYO_LISTS }),
		openai: (port) => startOpenAiFake({ port }),
		smtp: (port) => startSmtpFake({ port }),
		weather: (port) => startRecorder({ port, routes: { 'GET /v1/forecast': { body: FAKE_FORECAST } } }),
		braze: (port) =>
			startRecorder({ port, routes: { 'POST /users/track': { status: 201, body: { message: 'success', attributes_processed: 1, events_processed: 1 } } } }),
		// Outlook's per-mailbox throttling is on (Retry-After 1 s) so the demo and tests meet it as Graph does.
		graph: (port) => startGraphFake({ port, clientSecret: keys.graph, mailboxPerSecond: 16, mailboxBurst: 20, batchMailboxConcurrency: 4 }),
	};
	if (mailbox) starters.mailbox = (port) => startMailboxViewer({ smtp: started.smtp, port });
	const started = {};
	for (const [name, start] of Object.entries(starters)) {
		const port = ports[name] ?? 0;
		try {
			// A fixed port is probed first: the fakes' own listen() has no error handler, and an
			// unhandled EADDRINUSE would crash the process with the other sandboxes still open.
			if (port) {
				const free = await portFree(port);
				if (free !== true) throw new Error(`port ${port} on 127.0.0.1 is not available (${free}); another program uses it, or another npm start runs`);
			}
			started[name] = await start(port);
		} catch (error) {
			await stopSandboxes(started);
			const hint = port && PORT_VARIABLES[name] ? ` (set ${PORT_VARIABLES[name]} to another port)` : '';
			throw new SandboxStartError(`The ${name} sandbox could not start: ${error.message}${hint}`, { cause: error });
		}
	}
	return started;
}

export async function stopSandboxes(sandboxes) {
	for (const s of Object.values(sandboxes ?? {})) await s?.close?.();
}

/** Credentials, by the stable ids and names the templates reference, pointing at the sandboxes. */
export function sandboxCredentials(sandboxes, keys = TEST_KEYS) {
	return [
		{ ...CREDENTIALS.peek, data: { apiKey: keys.peek, baseUrl: sandboxes.peek.url } },
		{ ...CREDENTIALS.klaviyo, data: { apiKey: keys.klaviyo, baseUrl: sandboxes.klaviyo.url } },
		{ ...CREDENTIALS.openai, data: { apiKey: keys.openai, baseUrl: sandboxes.openai.url } },
		{ ...CREDENTIALS.smtp, data: { user: '', password: '', host: '127.0.0.1', port: sandboxes.smtp.port, secure: false, disableStartTls: true } },
		{ ...CREDENTIALS.braze, data: { name: 'Authorization', value: `Bearer ${keys.braze}` } },
		...(sandboxes.graph
			? [{ ...CREDENTIALS.graph, data: { tenantId: 'peekpro-sandbox-tenant', clientId: 'peekpro-sandbox-client', clientSecret: keys.graph, scope: 'https://graph.microsoft.com/.default', authorityHost: sandboxes.graph.url, baseUrl: sandboxes.graph.baseUrl } }]
			: []),
	];
}

/**
 * Template Config values that name outside endpoints (forecast API, Braze REST endpoint) are pointed
 * at the sandboxes. Everything else in the template is imported as shipped.
 */
export function pointTemplateAtSandboxes(workflow, sandboxes) {
	const overrides = {
		forecastUrl: sandboxes.weather ? `${sandboxes.weather.url}/v1/forecast` : undefined,
		brazeRestEndpoint: sandboxes.braze?.url,
	};
	for (const node of workflow.nodes ?? []) {
		if (node.name !== 'Config' || node.type !== 'n8n-nodes-base.set') continue;
		for (const a of node.parameters?.assignments?.assignments ?? []) {
			if (overrides[a.name] !== undefined) a.value = overrides[a.name];
		}
	}
	return workflow;
}
