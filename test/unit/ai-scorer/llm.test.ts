import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PeekProAiOpenAiApi } from '../../../credentials/PeekProAiOpenAiApi.credentials';
import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { applyGuardrails } from '../../../nodes/AiScorer/llm/guardrails';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { createFakeContext, type FakeContextOptions } from '../../helpers/n8nContext';

const BASE = 'https://llm.test/v1';
const credentials = { peekProAiOpenAiApi: { apiKey: 'sk-test-key', baseUrl: BASE, organization: 'org-42' } };

async function run(opts: FakeContextOptions): Promise<INodeExecutionData[]> {
	const ctx = createFakeContext({ credentials, credentialTypes: [new PeekProAiOpenAiApi()], ...opts });
	const [out] = await new AiScorer().execute.call(ctx as unknown as IExecuteFunctions);
	return out;
}

function completion(content: unknown, usage = { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165 }) {
	return {
		id: 'chatcmpl-1',
		object: 'chat.completion',
		created: 1,
		model: 'gpt-4o-mini-2024',
		choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content) } }],
		usage,
	};
}

/** Answers one chat completion with `answer(requestBody)`; records every body and header set the server received. */
function llmServer(answer: (body: IDataObject) => unknown) {
	const seen = { bodies: [] as IDataObject[], headers: [] as Array<Record<string, string | string[]>> };
	nock(BASE)
		.post('/chat/completions', (body: IDataObject) => (seen.bodies.push(body), true))
		.reply(function () {
			seen.headers.push(this.req.headers);
			return [200, completion(answer(seen.bodies[seen.bodies.length - 1]))];
		});
	return seen;
}

// Every kind of PII the issue names, in structured fields and in free text.
const PII = {
	email: 'maria.gonzalez@example.org',
	phone: '+1 (415) 555-0134',
	firstName: 'Maria',
	lastName: 'Gonzalez',
	address: '742 Evergreen Terrace',
	card: '4111 1111 1111 1111',
};
const item = {
	id: 'bk_77',
	startsAt: '2026-08-02T09:00:00-07:00',
	partySize: 3,
	activity: { name: 'Sunset Kayak Tour', type: 'kayaking' },
	customer: { email: PII.email, phone: PII.phone, firstName: PII.firstName, lastName: PII.lastName },
	notes: `Maria Gonzalez called from ${PII.phone}; ship the voucher to ${PII.address}, card ${PII.card}, cc ${PII.email}.`,
	ai_segment: 'Adventure Families',
	ai_next_best_activity: 'Kelp Snorkel',
};
const generateParams = {
	resource: 'text',
	operation: 'generateContent',
	flow: 'upsell',
	flowDescription: '',
	brandVoice: 'Warm and concise.',
	variants: 2,
	subjectMaxLength: 60,
	bodyMaxLength: 400,
	maxDiscountPercent: 15,
	bannedClaims: 'guaranteed, risk-free',
	highValueSegments: 'Solo Luxury Travelers',
	backend: 'llm',
	llmModel: 'gpt-4o-mini',
};

let slept: number[];
beforeEach(() => {
	slept = [];
	let now = 0;
	setTransportClock({ now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)), random: () => 0.5 });
	nock.disableNetConnect();
});
afterEach(() => {
	nock.cleanAll();
	setTransportClock(undefined);
});

describe('Generate Content (LLM)', () => {
	it('sends no input PII in the prompt, restores names in the copy, reports usage', async () => {
		const { bodies, headers } = llmServer((body) => {
			const prompt = (body.messages as Array<{ content: string }>)[1].content;
			const nameToken = /\[NAME_[0-9a-f]{8}\]/.exec(prompt)?.[0] ?? 'there';
			return { variants: [
				{ subject: `${nameToken}, add a snorkel to your kayak day`, preheader: 'Make a day of it', body: `Hi ${nameToken}, guests who loved the kayak tour add the Kelp Snorkel. Save 40% today. It is guaranteed to be the highlight.` },
				{ subject: 'Kelp Snorkel pairs well with kayaking', preheader: '', body: 'Make a day of it with the Kelp Snorkel.' },
			] };
		});
		const [out] = await run({ parameters: generateParams, items: [{ json: item }] });

		expect(bodies).toHaveLength(1);
		const sent = JSON.stringify(bodies[0]);
		for (const value of Object.values(PII)) {
			expect(sent).not.toContain(value);
			expect(sent).not.toContain(value.replace(/\D/g, '').length > 6 ? value.replace(/\D/g, '') : value.toLowerCase());
		}
		expect(sent).toMatch(/\[NAME_[0-9a-f]{8}\]/);
		expect(sent).toContain('Sunset Kayak Tour');
		// The chat-completions request as the server receives it: model, temperature, structured output.
		expect(bodies[0]).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.7 });
		expect(bodies[0].response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'email_variants', strict: true } });
		expect(headers[0]['content-type']).toMatch(/^application\/json/);
		expect(headers[0].authorization).toBe('Bearer sk-test-key');
		expect(headers[0]['openai-organization']).toBe('org-42');

		const ai = out.json.ai as IDataObject;
		expect(out.json.ai_subject_line).toBe('Maria, add a snorkel to your kayak day');
		expect(ai.usage).toEqual({ promptTokens: 120, completionTokens: 45, totalTokens: 165 });
		// Guardrails fired after generation: the 40% is capped and the banned claim removed.
		expect(out.json.ai_body).toContain('15%');
		expect(out.json.ai_body).not.toMatch(/40%|guaranteed/);
		expect(out.json.needs_review).toBe(true);
		expect((ai.guardrails as IDataObject[]).map((g) => g.rule)).toEqual(expect.arrayContaining(['discount_cap', 'banned_claim']));
		expect(ai.model).toMatchObject({ id: 'llm:gpt-4o-mini-2024' });
		expect(ai.fallback).toBeUndefined();
		expect(JSON.stringify(out.json.audit)).not.toContain(PII.email);
	});

	it('welcome-back: guests, guides and people named only in Peek\'s notes never reach the prompt; the guide comes back in the copy', async () => {
		const bodies: IDataObject[] = [];
		nock(BASE)
			.post('/chat/completions', (body: IDataObject) => (bodies.push(body), true))
			.reply(() => {
				const prompt = (bodies[0].messages as Array<{ content: string }>)[1].content;
				// The guide's token: the one in the context sentence.
				const names = /with guide (\[NAME_[0-9a-f]{8}\])/.exec(prompt)?.slice(1) ?? [];
				return [200, completion({ variants: [{ subject: 'Welcome back', preheader: '', body: `Great to see you again. ${names.join(' ')} says hi.` }] })];
			});
		const welcome = {
			id: 'bk_88',
			customer: { firstName: 'Ngozi', lastName: 'Eze', email: 'ngozi.eze@example.ng', phone: '+234 803 123 4567' },
			guests: [{ name: 'Ngozi Eze' }, { name: 'Chidi Eze' }],
			activity: { name: 'Sunset Kayak Tour' },
			// Peek's notes name the second guest and someone in no field at all.
			notes: 'Second booking. Chidi Eze is vegetarian; her friend Hannah Schultz may join (+1 403 555 0199).',
			previousBooking: { activity: { name: 'Glacier Walk' }, guides: [{ name: 'Siobhan Gallagher' }] },
			contentContext: 'Last time they joined Glacier Walk with guide Siobhan Gallagher. They just booked Sunset Kayak Tour.',
		};
		const [out] = await run({ parameters: { ...generateParams, flow: 'custom', flowDescription: 'Welcome back a returning customer', variants: 1 }, items: [{ json: welcome }] });
		const sent = JSON.stringify(bodies[0]);
		for (const leaked of ['Ngozi', 'Eze', 'Chidi', 'Hannah', 'Schultz', 'Siobhan', 'Gallagher', 'ngozi.eze', '555 0199', '803 123 4567']) expect(sent).not.toContain(leaked);
		// The copy-relevant context did reach the model, pseudonymized rather than dropped.
		expect(sent).toMatch(/Last time they joined Glacier Walk with guide \[NAME_[0-9a-f]{8}\]\. They just booked Sunset Kayak Tour/);
		expect(out.json.ai_body).toContain('Siobhan Gallagher');
		// The audit row keeps the copy without the names it now holds.
		expect(JSON.stringify(out.json.audit)).not.toMatch(/Siobhan|Gallagher|Ngozi|Chidi|Hannah/);
	});

	it.each([
		['429 rate limit', () => nock(BASE).post('/chat/completions').times(3).reply(429, { error: { message: 'Rate limit reached' } }, { 'Retry-After': '2' }), /rate_limited/],
		['500 server error (not retried: may be a bug, not load)', () => nock(BASE).post('/chat/completions').reply(500, { error: { message: 'boom' } }), /server error \(500\)/],
		['503 after retries', () => nock(BASE).post('/chat/completions').times(3).reply(503, { error: { message: 'overloaded' } }), /server error \(503\)/],
		['invalid JSON content', () => nock(BASE).post('/chat/completions').reply(200, completion('Sure! Here are some subject lines: 1. Hello')), /invalid_json/],
		['JSON not matching the schema', () => nock(BASE).post('/chat/completions').reply(200, completion({ subjects: ['x'] })), /invalid_output/],
		['a non-JSON response body', () => nock(BASE).post('/chat/completions').reply(200, '<html>proxy error</html>', { 'content-type': 'text/html' }), /invalid_json/],
	])('falls back to templates on %s', async (_name, setup, reason) => {
		const scope = setup();
		const [out] = await run({ parameters: { ...generateParams, llmOptions: { maxRetries: 2 } }, items: [{ json: item }] });
		const ai = out.json.ai as IDataObject;
		expect(ai.fallback).toBe(true);
		expect(ai.fallbackReason).toMatch(reason);
		expect(ai.fallbackReason).not.toContain(PII.email);
		expect(out.json.ai_subject_line).toBe('Maria, make Sunset Kayak Tour even better');
		expect(ai.model).toMatchObject({ id: 'peekpro.templates.upsell', trained: false });
		expect(scope.isDone()).toBe(true);
	});

	it('honours Retry-After on 429 and succeeds on the retry', async () => {
		nock(BASE)
			.post('/chat/completions').reply(429, { error: { message: 'slow down' } }, { 'Retry-After': '3' })
			.post('/chat/completions').reply(200, completion({ variants: [{ subject: 'Hi', preheader: '', body: 'Body' }] }));
		const [out] = await run({ parameters: { ...generateParams, variants: 1 }, items: [{ json: item }] });
		expect(slept[0]).toBeGreaterThanOrEqual(3000);
		expect((out.json.ai as IDataObject).fallback).toBeUndefined();
	});

	it('asks for a JSON object when the server has no JSON-schema support, and sends no organization header unless set', async () => {
		const { bodies, headers } = llmServer(() => ({ variants: [{ subject: 'Hi', preheader: '', body: 'Body' }] }));
		const [out] = await run({
			credentials: { peekProAiOpenAiApi: { apiKey: 'sk-other', baseUrl: `${BASE}/`, organization: '' } },
			parameters: { ...generateParams, variants: 1, llmModel: 'llama3.1', llmOptions: { structuredOutput: 'jsonObject', temperature: 0.1 } },
			items: [{ json: item }],
		});
		expect(bodies[0]).toMatchObject({ model: 'llama3.1', temperature: 0.1, response_format: { type: 'json_object' } });
		expect(headers[0].authorization).toBe('Bearer sk-other');
		expect(headers[0]).not.toHaveProperty('openai-organization');
		expect((out.json.ai as IDataObject).fallback).toBeUndefined();
	});

	it('falls back on a timeout', async () => {
		nock(BASE).post('/chat/completions').times(2).delay(400).reply(200, completion({ variants: [] }));
		const [out] = await run({ parameters: { ...generateParams, llmOptions: { timeoutMs: 50, maxRetries: 1 } }, items: [{ json: item }] });
		expect((out.json.ai as IDataObject).fallbackReason).toMatch(/^timeout/);
	});
});

describe('Classify Text', () => {
	it('uses the LLM label when valid, with every name, email and phone redacted from the prompt', async () => {
		const bodies: IDataObject[] = [];
		nock(BASE).post('/chat/completions', (b: IDataObject) => (bodies.push(b), true)).reply(200, completion({ label: 'friend_or_family', confidence: 0.92 }));
		// The customer's own name (known from the item) and a name only the text has (after "sister").
		const text = `Booked by Rivera-Okafor. My sister Ana (ana.silva%40example.com, 415-555-0199) told me about you`;
		const item = { customer: { firstName: 'Tomasz', lastName: 'Rivera-Okafor', email: 'tomasz@example.com' } };
		const [out] = await run({ parameters: { resource: 'text', operation: 'classify', classification: 'referralSource', text, backend: 'llm', llmModel: 'llama3.1' }, items: [{ json: item }] });
		const sent = JSON.stringify(bodies[0]);
		expect(sent).not.toMatch(/ana\.silva|415-555-0199|4155550199/);
		expect(sent).not.toMatch(/\bAna\b/);
		expect(sent).not.toMatch(/Rivera|Okafor|Tomasz/);
		expect(sent).toMatch(/My sister \[NAME_[0-9a-f]{8}\] \(\[EMAIL_[0-9a-f]{8}\], \[PHONE_[0-9a-f]{8}\]\) told me about you/);
		expect(out.json.ai_referral_source).toBe('friend_or_family');
		expect(out.json.ai_referral_source_confidence).toBe(0.92);
	});

	it('rejects a label outside the fixed set and falls back to the rules', async () => {
		nock(BASE).post('/chat/completions').reply(200, completion({ label: 'tiktok_ad', confidence: 0.9 }));
		const [out] = await run({ parameters: { resource: 'text', operation: 'classify', classification: 'referralSource', text: 'Saw you on Instagram', backend: 'llm' }, items: [{ json: {} }] });
		expect(out.json.ai_referral_source).toBe('social_media');
		expect((out.json.ai as IDataObject).fallback).toBe(true);
	});

	it('classifies locally without any network', async () => {
		const out = await run({
			parameters: { resource: 'text', operation: 'classify', classification: (i: number) => (i === 0 ? 'reviewSentiment' : 'abandonmentReason'), text: (i: number) => (i === 0 ? 'Amazing guide, loved it!' : 'Too expensive for the four of us'), backend: 'local' },
			items: [{ json: {} }, { json: {} }],
		});
		expect(out[0].json.ai_review_sentiment).toBe('positive');
		expect(out[1].json.ai_abandonment_reason).toBe('price');
	});
});

describe('guardrails', () => {
	it('shortens at a word boundary and caps every percentage', () => {
		const { variants, events } = applyGuardrails([{ subject: 'An unforgettable sunset paddle along the wild coast awaits you', preheader: '', body: '20% off, or 30 percent for groups.' }], { subjectMaxLength: 30, bodyMaxLength: 500, maxDiscountPercent: 10, bannedClaims: [] });
		expect(variants[0].subject.length).toBeLessThanOrEqual(30);
		expect(variants[0].subject).toBe('An unforgettable sunset…');
		expect(variants[0].body).toBe('10% off, or 10 percent for groups.');
		expect(events.map((e) => e.rule).sort()).toEqual(['discount_cap', 'discount_cap', 'subject_length']);
	});
});
