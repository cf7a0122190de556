/**
 * The PII corpus (pii-corpus.data.ts: 240 notes, reviews, waivers, guardian and support texts
 * naming people of many cultures, with emails and phones in 16 encodings and 26 formats) run
 * through what a user relies on:
 *   - the real prompt builders of AI Scorer → Generate Content and Classify Text (the prompts are
 *     captured at a nock'ed OpenAI-compatible endpoint),
 *   - the audit rows those nodes write (`auditRow`, what the templates store),
 *   - the node outputs, and the Klaviyo node's error items when a lookup page fails,
 * asserting 0 leaks of any planted email, phone or booking person. Free-text name detection (no
 * help from the booking's fields) is measured and printed: recall on every planted name, and
 * precision including the 40 texts that name nobody.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PeekProAiOpenAiApi } from '../../../credentials/PeekProAiOpenAiApi.credentials';
import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { auditRow, type AuditRecord } from '../../../nodes/shared/audit';
import { fold } from '../../../nodes/shared/pii/text';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { createFakeContext } from '../../helpers/n8nContext';
import { installFakeClock, runNode, BASE as KLAVIYO_BASE } from '../klaviyo/harness';
import { buildCorpus, FREE_TEXT_PEOPLE, NON_NAME_TEXTS, PEOPLE } from './pii-corpus.data';
import { containsNameWord, measureNameDetection, nameWords, report } from './pii-measure';

const LLM = 'https://llm.corpus.test/v1';
const corpus = buildCorpus();

// ---------------------------------------------------------------------------------------------
// Leak checks

/** Digit runs as a reader sees numbers: digits joined by the separators phones use. */
function digitRuns(text: string): string[] {
	const runs: string[] = [];
	let current = '';
	for (const ch of text.normalize('NFKC')) {
		if (ch >= '0' && ch <= '9') current += ch;
		else if (!' -.()/+'.includes(ch)) {
			if (current) runs.push(current);
			current = '';
		}
	}
	if (current) runs.push(current);
	return runs;
}

const ALL_EMAILS = corpus.flatMap((c) => c.emails);
/** A local part that is also someone's name ("søren", "müller") is checked as a name, not as text. */
const NAME_WORDS = new Set([...PEOPLE.flatMap((p) => [p.first, p.last]), ...FREE_TEXT_PEOPLE.flatMap((n) => n.split(' '))].map((w) => fold(w)));
const ALL_PHONES = [...new Set(corpus.flatMap((c) => c.phones))];
const ALL_BOOKING_NAMES = [...new Set(corpus.flatMap((c) => c.bookingNames))];

function leaks(text: string, what: { names: boolean }): string[] {
	const found: string[] = [];
	const lower = text.toLowerCase();
	const decoded = (() => {
		try {
			return decodeURIComponent(text).toLowerCase();
		} catch {
			return lower;
		}
	})();
	for (const e of ALL_EMAILS) {
		if (lower.includes(e.shown.toLowerCase())) found.push(`email ${e.shown}`);
		else if (lower.includes(e.address.toLowerCase()) || decoded.includes(e.address.toLowerCase())) found.push(`email ${e.address}`);
		else if (e.local.length >= 5 && !NAME_WORDS.has(fold(e.local)) && lower.includes(e.local.toLowerCase())) found.push(`email local part ${e.local}`);
	}
	const runs = digitRuns(text);
	for (const phone of ALL_PHONES) {
		const digits = decodeURIComponent(phone).normalize('NFKC').replace(/\D/g, '');
		const tail = digits.slice(-7);
		if (text.includes(phone) || runs.some((r) => r.includes(tail))) found.push(`phone ${phone}`);
	}
	if (what.names) for (const name of ALL_BOOKING_NAMES) for (const w of nameWords(name)) if (containsNameWord(text, w)) found.push(`name ${w} (${name})`);
	return [...new Set(found)];
}

// ---------------------------------------------------------------------------------------------
// Running the nodes

const credentials = { peekProAiOpenAiApi: { apiKey: 'sk-corpus-secret', baseUrl: LLM } };

async function runScorer(parameters: Record<string, unknown>, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const ctx = createFakeContext({ parameters, items, credentials, credentialTypes: [new PeekProAiOpenAiApi()] });
	const [out] = await new AiScorer().execute.call(ctx as unknown as IExecuteFunctions);
	return out;
}

/** The worst model: it copies every token of the prompt into its answer. */
function echoingCompletion(body: IDataObject, task: 'generate' | 'classify') {
	const prompt = (body.messages as Array<{ content: string }>).map((m) => m.content).join('\n');
	const tokens = prompt.match(/\[(EMAIL|PHONE|NAME|ADDRESS|CARD)_[0-9a-f]{8}\]/g) ?? [];
	const content =
		task === 'generate'
			? { variants: [{ subject: `${tokens[0] ?? 'Hi'}, see you soon`, preheader: '', body: `Thanks ${tokens.join(' ')} for booking.` }] }
			: { label: 'positive', confidence: 0.8 };
	return { id: 'c', object: 'chat.completion', created: 1, model: 'corpus-model', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(content) } }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
}

function capturePrompts(task: 'generate' | 'classify', count: number): string[] {
	const prompts: string[] = [];
	nock(LLM)
		.post('/chat/completions')
		.times(count)
		.reply(200, (_uri, body) => {
			prompts.push(JSON.stringify(body));
			return echoingCompletion(body as IDataObject, task);
		});
	return prompts;
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

const items = corpus.map((c) => ({ json: c.booking as IDataObject }));

describe('PII corpus: 0 leaks into prompts, audit rows, outputs and error items', () => {
	it(`has at least 200 texts of every kind and culture (${corpus.length})`, () => {
		expect(corpus.length).toBeGreaterThanOrEqual(200);
		expect(new Set(corpus.map((c) => c.kind))).toEqual(new Set(['note', 'review', 'waiver', 'guardian', 'support']));
		expect(ALL_EMAILS.length).toBeGreaterThanOrEqual(120);
		expect(ALL_PHONES.length).toBeGreaterThanOrEqual(20);
	});

	it('Generate Content: prompts and audit rows carry no planted PII; outputs carry no email or phone', async () => {
		const prompts = capturePrompts('generate', corpus.length);
		const out = await runScorer(
			{ resource: 'text', operation: 'generateContent', flow: 'repeatBooking', variants: 1, backend: 'llm', llmModel: 'corpus-model', options: { includeInput: false } },
			items,
		);
		expect(prompts).toHaveLength(corpus.length);
		expect(out).toHaveLength(corpus.length);
		const promptLeaks = prompts.flatMap((p, i) => leaks(p, { names: true }).map((l) => `#${i}: ${l}`));
		expect(promptLeaks).toEqual([]);
		// The planted text did reach the model, pseudonymized (not dropped).
		expect(prompts.every((p) => /\[(NAME|EMAIL|PHONE)_[0-9a-f]{8}\]/.test(p))).toBe(true);
		const auditLeaks = out.flatMap((o, i) => leaks(JSON.stringify(auditRow(o.json.audit as unknown as AuditRecord)), { names: true }).map((l) => `#${i}: ${l}`));
		expect(auditLeaks).toEqual([]);
		const outputLeaks = out.flatMap((o, i) => leaks(JSON.stringify(o.json), { names: false }).map((l) => `#${i}: ${l}`));
		expect(outputLeaks).toEqual([]);
		// Names come back into the copy (the customer is greeted); the model's copied email and
		// phone tokens do not, and are removed as placeholders it should not have used.
		const first = out[0].json;
		expect(String(first.ai_subject_line)).not.toMatch(/\[(NAME|EMAIL|PHONE)_/);
		expect(String(first.ai_body)).not.toMatch(/\[(EMAIL|PHONE)_/);
	});

	it('Classify Text: prompts (the text plus the item\'s known names) and audit rows carry no planted PII', async () => {
		const prompts = capturePrompts('classify', corpus.length);
		const out = await runScorer(
			{ resource: 'text', operation: 'classify', classification: 'reviewSentiment', text: (i: number) => corpus[i].text, backend: 'llm', llmModel: 'corpus-model', options: { includeInput: false } },
			items,
		);
		expect(prompts).toHaveLength(corpus.length);
		const promptLeaks = prompts.flatMap((p, i) => leaks(p, { names: true }).map((l) => `#${i}: ${l}`));
		expect(promptLeaks).toEqual([]);
		const auditLeaks = out.flatMap((o, i) => leaks(JSON.stringify(auditRow(o.json.audit as unknown as AuditRecord)), { names: true }).map((l) => `#${i}: ${l}`));
		expect(auditLeaks).toEqual([]);
		expect(out.flatMap((o) => leaks(JSON.stringify(o.json), { names: true }))).toEqual([]);
	});

	it('Klaviyo: a failed lookup page gives every customer an error item and audit row without anyone\'s email or phone', async () => {
		installFakeClock();
		const page = corpus.slice(0, 60);
		// The vendor echoes the first address back in its error, as Klaviyo does for a bad filter.
		nock(KLAVIYO_BASE)
			.get('/api/profiles')
			.query(true)
			.reply(400, { errors: [{ status: 400, code: 'invalid', title: 'Invalid input.', detail: `Invalid filter value ${page[0].booking.customer ? (page[0].booking.customer as IDataObject).email : ''}`, source: { parameter: 'filter' } }] });
		const { out } = await runNode({ resource: 'profile', operation: 'getByEmail' }, page.map((c) => ({ json: c.booking as IDataObject })), { continueOnFail: true });
		expect(out).toHaveLength(page.length);
		for (const item of out) {
			expect(item.json.error).toEqual(expect.stringContaining('Klaviyo rejected the request'));
			// The user still sees which request failed and with what filter shape.
			expect((item.json.request as IDataObject).url).toEqual(expect.stringContaining('/api/profiles?filter=any'));
		}
		const errorLeaks = out.flatMap((o, i) => leaks(JSON.stringify({ ...o.json, audit: undefined }), { names: false }).map((l) => `#${i}: ${l}`));
		expect(errorLeaks).toEqual([]);
		const auditLeaks = out.flatMap((o, i) => leaks(JSON.stringify(auditRow(o.json.audit as unknown as AuditRecord)), { names: true }).map((l) => `#${i}: ${l}`));
		expect(auditLeaks).toEqual([]);
	});
});

describe('free-text name detection (bundled name list), measured on the corpus', () => {
	it('prints recall and precision, and finds at least 90% of planted names', () => {
		const m = measureNameDetection(corpus, NON_NAME_TEXTS);
		// eslint-disable-next-line no-console -- the measured recall is what the issue asks to see
		console.log(report(m, corpus.length, NON_NAME_TEXTS.length));
		expect(m.recall).toBeGreaterThanOrEqual(0.9);
		expect(m.precision).toBeGreaterThanOrEqual(0.9);
		expect(m.nonNameFalse / m.nonNameWords).toBeLessThan(0.05);
	});
});
