import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PeekProAiOpenAiApi } from '../../../credentials/PeekProAiOpenAiApi.credentials';
import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { createFakeContext } from '../../helpers/n8nContext';

/**
 * AI Scorer 1.1 (issue 17): Generate Content's guardrails live in one "Guardrails" collection and
 * the LLM settings in Options. What the copy may say must not change with the layout: the same
 * caps hold when the collection is empty (defaults), when it is set, and in a version 1 workflow.
 */
const BASE = 'https://llm.test/v1';
const credentials = { peekProAiOpenAiApi: { apiKey: 'sk-test-key', baseUrl: BASE } };
const item = { activity: { name: 'Sunset Kayak Tour' }, customer: { firstName: 'Maria' }, ai_segment: 'Adventure Families' };
const ANSWER = {
	variants: [{ subject: 'Add a snorkel to your kayak day', preheader: '', body: 'Guests add the Kelp Snorkel. Save 40% today. It is guaranteed to be the highlight.' }],
};

async function generate(parameters: IDataObject, typeVersion: number) {
	const bodies: IDataObject[] = [];
	nock(BASE)
		.post('/chat/completions', (b: IDataObject) => (bodies.push(b), true))
		.reply(200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(ANSWER) } }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
	const ctx = createFakeContext({
		credentials,
		credentialTypes: [new PeekProAiOpenAiApi()],
		node: { typeVersion },
		parameters: { resource: 'text', operation: 'generateContent', flow: 'upsell', flowDescription: '', brandVoice: 'Warm.', variants: 1, backend: 'llm', llmModel: 'gpt-4o-mini', ...parameters },
		items: [{ json: item }],
	});
	const [[out]] = (await new AiScorer().execute.call(ctx as unknown as IExecuteFunctions)) as INodeExecutionData[][];
	const system = (bodies[0].messages as Array<{ content: string }>)[0].content;
	return { out: out.json, system, body: bodies[0] };
}

beforeEach(() => {
	let now = 0;
	setTransportClock({ now: () => now, sleep: async (ms) => void (now += ms), random: () => 0.5 });
	nock.disableNetConnect();
});
afterEach(() => {
	nock.cleanAll();
	setTransportClock(undefined);
});

describe('Generate Content guardrails across the 1.1 layout', () => {
	it('an empty Guardrails collection keeps every default: 15% cap, default banned claims', async () => {
		const { out, system } = await generate({ guardrails: {}, options: {} }, 1.1);
		expect(system).toContain('Never offer more than 15% off');
		expect(system).toContain('guaranteed');
		expect(out.ai_body).toContain('15%');
		expect(out.ai_body).not.toMatch(/40%|guaranteed/);
	});

	it('values set in Guardrails and the LLM settings in Options reach the prompt, the request and the copy', async () => {
		const { out, system, body } = await generate({ guardrails: { maxDiscountPercent: 10, bannedClaims: 'highlight' }, options: { temperature: 0.2 } }, 1.1);
		expect(system).toContain('Never offer more than 10% off');
		expect(body.temperature).toBe(0.2);
		expect(out.ai_body).toContain('10%');
		expect(out.ai_body).not.toContain('highlight');
	});

	it('a version 1 workflow keeps its top-level guardrails and its LLM Options', async () => {
		const { out, system, body } = await generate({ maxDiscountPercent: 5, bannedClaims: 'guaranteed', llmOptions: { temperature: 0.9 }, options: {} }, 1);
		expect(system).toContain('Never offer more than 5% off');
		expect(body.temperature).toBe(0.9);
		expect(out.ai_body).toContain('5%');
	});
});
