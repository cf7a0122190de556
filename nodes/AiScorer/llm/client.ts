import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import { vendorRequest } from '../../shared/transport/request';
import { OpenAI } from './openaiSdk';

export const OPENAI_CREDENTIAL = 'peekProAiOpenAiApi';
const VENDOR = 'OpenAI-compatible API';
const SDK_KEY_PLACEHOLDER = 'n8n-managed';

export interface LlmSettings {
	model: string;
	temperature: number;
	timeoutMs: number;
	maxRetries: number;
	structuredOutput: 'jsonSchema' | 'jsonObject';
}

export interface LlmUsage {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
}

export interface ChatMessage {
	role: 'system' | 'user';
	content: string;
}

export type LlmFailureKind = 'rate_limited' | 'server_error' | 'timeout' | 'network' | 'invalid_json' | 'invalid_output' | 'rejected' | 'no_credentials';

/** Why the LLM path gave no usable answer; the caller falls back to the local model or rule. */
export interface LlmFailure {
	ok: false;
	kind: LlmFailureKind;
	reason: string;
}

export type LlmResult<T> = { ok: true; data: T; usage: LlmUsage; model: string } | LlmFailure;

const failure = (kind: LlmFailureKind, reason: string): LlmFailure => ({ ok: false, kind, reason });

export const llmProperties = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Model Name',
		name: 'llmModel',
		type: 'string',
		default: 'gpt-4o-mini',
		placeholder: 'e.g. gpt-4o-mini, llama3.1, my-azure-deployment',
		description: 'Model (or Azure deployment) name on the OpenAI-compatible server',
		displayOptions: { show: { ...show, backend: ['llm'] } },
	},
	{
		displayName: 'LLM Options',
		name: 'llmOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { ...show, backend: ['llm'] } },
		options: [
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 2,
				typeOptions: { minValue: 0, maxValue: 6 },
				description: 'Retries on 429 (honouring Retry-After), 5xx and timeouts before falling back',
			},
			{
				displayName: 'Structured Output',
				name: 'structuredOutput',
				type: 'options',
				default: 'jsonSchema',
				options: [
					{ name: 'JSON Schema', value: 'jsonSchema', description: 'OpenAI, Azure, recent Ollama and vLLM' },
					{ name: 'JSON Object', value: 'jsonObject', description: 'Servers without JSON-schema support' },
				],
			},
			{ displayName: 'Temperature', name: 'temperature', type: 'number', default: 0.4, typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 } },
			{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', default: 30000, typeOptions: { minValue: 100 }, description: 'Per attempt' },
		],
	},
];

export function llmSettings(ctx: IExecuteFunctions, itemIndex: number, defaultTemperature: number): LlmSettings {
	return {
		model: ctx.getNodeParameter('llmModel', itemIndex, 'gpt-4o-mini') as string,
		temperature: ctx.getNodeParameter('llmOptions.temperature', itemIndex, defaultTemperature) as number,
		timeoutMs: ctx.getNodeParameter('llmOptions.timeoutMs', itemIndex, 30000) as number,
		maxRetries: ctx.getNodeParameter('llmOptions.maxRetries', itemIndex, 2) as number,
		structuredOutput: ctx.getNodeParameter('llmOptions.structuredOutput', itemIndex, 'jsonSchema') as LlmSettings['structuredOutput'],
	};
}

/** Headers the SDK sets that the server should see; auth comes from the credential, not the SDK. */
const FORWARDED = new Set(['content-type', 'accept', 'openai-organization', 'openai-project']);

function headerRecord(init: RequestInit | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	const h = init?.headers;
	if (!h) return out;
	const entries: Array<[string, string]> =
		typeof (h as Headers).forEach === 'function' && !Array.isArray(h)
			? (() => {
					const list: Array<[string, string]> = [];
					(h as Headers).forEach((v, k) => list.push([k, v]));
					return list;
				})()
			: Array.isArray(h)
				? (h as Array<[string, string]>)
				: Object.entries(h as Record<string, string>);
	for (const [k, v] of entries) if (FORWARDED.has(k.toLowerCase()) && v) out[k.toLowerCase()] = v;
	return out;
}

function classify(error: unknown): LlmFailure {
	if (error instanceof NodeApiError) {
		const status = Number(error.httpCode);
		const net = (error.context as { networkCode?: string } | undefined)?.networkCode;
		if (status === 429) return failure('rate_limited', `rate limited (429): ${error.message}`);
		if (status >= 500) return failure('server_error', `server error (${status}): ${error.message}`);
		if (net === 'ECONNABORTED' || net === 'ETIMEDOUT' || /timeout/i.test(error.message)) return failure('timeout', `timed out: ${error.message}`);
		if (status) return failure('rejected', `rejected (${status}): ${error.message}`);
		return failure('network', error.message);
	}
	const e = error as Error;
	return failure('network', e?.message ?? String(error));
}

/**
 * One chat completion through the `openai` SDK with n8n doing the HTTP.
 *
 * The SDK's `fetch` is an adapter over the pack's shared transport (`vendorRequest` →
 * `httpRequestWithAuthentication`), so proxies, the credential's auth header and the retry policy are
 * the same as every other node's. Retries are ours, not the SDK's (`maxRetries: 0`): the shared
 * policy honours Retry-After, is tested with an injected clock, and there is one retry loop, not two.
 * A completion has no side effect, so it is retried as idempotent (5xx and timeouts too).
 * Never throws for a server or model problem: it returns the failure, and the caller falls back.
 */
export async function chatJson<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	messages: ChatMessage[],
	schemaName: string,
	jsonSchema: Record<string, unknown>,
	schema: z.ZodType<T>,
	settings: LlmSettings,
): Promise<LlmResult<T>> {
	let credentials: Record<string, unknown>;
	try {
		credentials = (await ctx.getCredentials(OPENAI_CREDENTIAL, itemIndex)) as Record<string, unknown>;
	} catch {
		return failure('no_credentials', 'no OpenAI-compatible credential is set on the node');
	}
	const baseURL = String(credentials.baseUrl || 'https://api.openai.com/v1').replace(/\/+$/, '');
	let transportError: unknown;
	const adapter = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
		const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
		try {
			const res = await vendorRequest.call(ctx, {
				vendor: VENDOR,
				credentialType: OPENAI_CREDENTIAL,
				method: (init?.method ?? 'POST').toUpperCase() as 'POST',
				url: typeof url === 'string' ? url : url instanceof URL ? url.toString() : url.url,
				body,
				headers: headerRecord(init),
				idempotent: true,
				timeoutMs: settings.timeoutMs,
				retry: { maxRetries: settings.maxRetries },
				itemIndex,
			});
			const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? null);
			return new Response(text, { status: res.statusCode, headers: { 'content-type': 'application/json' } });
		} catch (error) {
			// Kept for the fallback reason; the SDK only needs to know the call failed.
			transportError = error;
			throw new NodeOperationError(ctx.getNode(), 'The LLM request failed', { itemIndex });
		}
	};
	const client = new OpenAI({
		// The real key is added by n8n from the credential; the SDK insists on a value.
		apiKey: SDK_KEY_PLACEHOLDER,
		baseURL,
		organization: (credentials.organization as string) || null,
		maxRetries: 0,
		// The transport enforces the per-attempt timeout; this only bounds the whole retry sequence.
		timeout: settings.timeoutMs * (settings.maxRetries + 1) + 60_000,
		fetch: adapter as unknown as typeof fetch,
	});
	const responseFormat =
		settings.structuredOutput === 'jsonSchema'
			? ({ type: 'json_schema', json_schema: { name: schemaName, schema: jsonSchema, strict: true } } as const)
			: ({ type: 'json_object' } as const);
	let completion: Awaited<ReturnType<typeof client.chat.completions.create>>;
	try {
		completion = (await client.chat.completions.create({
			model: settings.model,
			messages,
			temperature: settings.temperature,
			response_format: responseFormat,
		})) as typeof completion;
	} catch (error) {
		if (transportError) return classify(transportError);
		if (error instanceof SyntaxError) return failure('invalid_json', 'the server answered with something that is not JSON');
		return classify(error);
	}
	const content = (completion as { choices?: Array<{ message?: { content?: string | null } }> }).choices?.[0]?.message?.content;
	if (typeof content !== 'string' || !content.trim()) return failure('invalid_output', 'the model returned no content');
	let parsed: unknown;
	try {
		parsed = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
	} catch {
		return failure('invalid_json', 'the model did not return valid JSON');
	}
	const result = schema.safeParse(parsed);
	if (!result.success) {
		return failure('invalid_output', `the model's JSON did not match the schema (${result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
	}
	const u = (completion as { usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } }).usage;
	return {
		ok: true,
		data: result.data,
		usage: { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0, totalTokens: u?.total_tokens ?? 0 },
		model: (completion as { model?: string }).model ?? settings.model,
	};
}
