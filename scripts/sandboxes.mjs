// Local stand-ins for every outside endpoint the pack and its templates call: Peek Pro, Klaviyo, an
// OpenAI-compatible LLM, an SMTP server for approval emails, a weather forecast API and Braze.
// One definition serves both the integration suite (random ports, test keys) and `npm start`
// (fixed ports, demo keys), so the demo needs no vendor account and cannot reach a real one.
import { startRecorder } from '../test/fakes/recorder.mjs';
import { startPeekFake } from '../test/fakes/peek.mjs';
import { startKlaviyoFake } from '../test/fakes/klaviyo.mjs';
import { startOpenAiFake } from '../test/fakes/openai.mjs';
import { startSmtpFake } from '../test/fakes/smtp.mjs';

/** Stable credential ids and names the templates reference (documented in workflows/README.md). */
export const CREDENTIALS = {
	peek: { id: 'PeekProAiPeek001', name: 'Peek Pro account', type: 'peekProAiPeekProApi' },
	klaviyo: { id: 'PeekProAiKlav001', name: 'Klaviyo account', type: 'peekProAiKlaviyoApi' },
	openai: { id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account', type: 'peekProAiOpenAiApi' },
	// n8n's own credential types the templates use (welcome-back approval email, Braze branch).
	smtp: { id: 'PeekProAiSmtp001', name: 'Approvals SMTP', type: 'smtp' },
	braze: { id: 'PeekProAiBraze01', name: 'Braze REST API key', type: 'httpHeaderAuth' },
};

export const DEMO_PORTS = {
	peek: Number(process.env.PEEKPRO_AI_SANDBOX_PEEK_PORT ?? 5690),
	klaviyo: Number(process.env.PEEKPRO_AI_SANDBOX_KLAVIYO_PORT ?? 5691),
	openai: Number(process.env.PEEKPRO_AI_SANDBOX_LLM_PORT ?? 5692),
	smtp: Number(process.env.PEEKPRO_AI_SANDBOX_SMTP_PORT ?? 5693),
	weather: Number(process.env.PEEKPRO_AI_SANDBOX_WEATHER_PORT ?? 5694),
	braze: Number(process.env.PEEKPRO_AI_SANDBOX_BRAZE_PORT ?? 5695),
	recorder: Number(process.env.PEEKPRO_AI_SANDBOX_RECORDER_PORT ?? 5696),
};

export const DEMO_KEYS = { peek: 'demo-peek-key', klaviyo: 'pk_demo_0000000000000000', openai: 'sk-demo', braze: 'braze-demo-key' };
export const TEST_KEYS = { peek: 'peek-test-key', klaviyo: 'pk_test_0123456789abcdef', openai: 'sk-test', braze: 'braze-test-key' };

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

/** Starts every sandbox; `ports` default to 0 (any free port). */
export async function startSandboxes({ ports = {}, keys = TEST_KEYS } = {}) {
	return {
		recorder: await startRecorder({ port: ports.recorder ?? 0 }),
		peek: await startPeekFake({ port: ports.peek ?? 0, apiKey: keys.peek }),
		klaviyo: await startKlaviyoFake({ port: ports.klaviyo ?? 0, apiKey: keys.klaviyo, lists: KLAVIYO_LISTS }),
		openai: await startOpenAiFake({ port: ports.openai ?? 0 }),
		smtp: await startSmtpFake({ port: ports.smtp ?? 0 }),
		weather: await startRecorder({ port: ports.weather ?? 0, routes: { 'GET /v1/forecast': { body: FAKE_FORECAST } } }),
		braze: await startRecorder({
			port: ports.braze ?? 0,
			routes: { 'POST /users/track': { status: 201, body: { message: 'success', attributes_processed: 1, events_processed: 1 } } },
		}),
	};
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
