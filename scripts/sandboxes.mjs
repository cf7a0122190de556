// Local stand-ins for the vendor APIs, used by `npm start` (and `npm run demo:send`), so the demo
// needs no vendor account and cannot reach a real one. They are the same fakes the test suite uses.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { projectRoot } from '../test/harness/n8n.mjs';

export const SANDBOX_PORTS = {
	peek: Number(process.env.PEEKPRO_AI_SANDBOX_PEEK_PORT ?? 5690),
	klaviyo: Number(process.env.PEEKPRO_AI_SANDBOX_KLAVIYO_PORT ?? 5691),
	openai: Number(process.env.PEEKPRO_AI_SANDBOX_LLM_PORT ?? 5692),
	recorder: Number(process.env.PEEKPRO_AI_SANDBOX_RECORDER_PORT ?? 5693),
};

export const DEMO_KEYS = { peek: 'demo-peek-key', klaviyo: 'pk_demo_0000000000000000', openai: 'sk-demo' };

async function start(file, exportName, opts) {
	const path = join(projectRoot, 'test', 'fakes', file);
	if (!existsSync(path)) return undefined;
	const mod = await import(path);
	return mod[exportName] ? await mod[exportName](opts) : undefined;
}

export async function startSandboxes(ports = SANDBOX_PORTS) {
	const out = {};
	const peek = await start('peek.mjs', 'startPeekFake', { port: ports.peek, apiKey: DEMO_KEYS.peek });
	if (peek) out.peek = peek;
	const klaviyo = await start('klaviyo.mjs', 'startKlaviyoFake', { port: ports.klaviyo });
	if (klaviyo) out.klaviyo = klaviyo;
	const openai = await start('openai.mjs', 'startOpenAiFake', { port: ports.openai });
	if (openai) out.openai = openai;
	const recorder = await start('recorder.mjs', 'startRecorder', { port: ports.recorder });
	if (recorder) out.recorder = recorder;
	return out;
}

/** Demo credentials, by the stable ids and names the templates reference. */
export function demoCredentials(sandboxes) {
	const creds = [];
	if (sandboxes.peek)
		creds.push({ id: 'PeekProAiPeek001', name: 'Peek Pro account', type: 'peekProAiPeekProApi', data: { apiKey: DEMO_KEYS.peek, baseUrl: sandboxes.peek.url } });
	if (sandboxes.klaviyo)
		creds.push({ id: 'PeekProAiKlav001', name: 'Klaviyo account', type: 'peekProAiKlaviyoApi', data: { apiKey: DEMO_KEYS.klaviyo, baseUrl: sandboxes.klaviyo.url } });
	if (sandboxes.openai)
		creds.push({ id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account', type: 'peekProAiOpenAiApi', data: { apiKey: DEMO_KEYS.openai, baseUrl: `${sandboxes.openai.url}/v1` } });
	return creds;
}
