import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { z } from 'zod';

import { vendorRequest } from '../../shared/transport/request';

export const OPENAI_CREDENTIAL = 'peekProAiOpenAiApi';
const VENDOR = 'OpenAI-compatible API';

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

/** The model name, shown right under Backend when it is LLM. */
export const llmModelProperty = (show: Record<string, string[]>): INodeProperties => ({
	displayName: 'Model Name',
	name: 'llmModel',
	type: 'string',
	default: 'gpt-4o-mini',
	placeholder: 'e.g. gpt-4o-mini, llama3.1, my-azure-deployment',
	description: 'Model (or Azure deployment) name on the OpenAI-compatible server',
	displayOptions: { show: { ...show, backend: ['llm'] } },
});

/** The LLM call's tuning: since version 1.1 inside the one Options collection (shown for Backend: LLM). */
export const llmOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 2,
		typeOptions: { minValue: 0, maxValue: 6 },
		description: 'LLM only. Retries on 429 (honouring Retry-After), 5xx and timeouts before falling back.',
	},
	{
		displayName: 'Structured Output',
		name: 'structuredOutput',
		type: 'options',
		default: 'jsonSchema',
		description: 'LLM only. How the server is asked for JSON.',
		options: [
			{ name: 'JSON Schema', value: 'jsonSchema', description: 'OpenAI, Azure, recent Ollama and vLLM' },
			{ name: 'JSON Object', value: 'jsonObject', description: 'Servers without JSON-schema support' },
		],
	},
	{
		displayName: 'Temperature',
		name: 'temperature',
		type: 'number',
		default: 0.4,
		typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
		description: 'LLM only. Higher is more varied.',
	},
	{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', default: 30000, typeOptions: { minValue: 100 }, description: 'LLM only. Per attempt.' },
];

/** Version 1's layout: Model Name, then a separate "LLM Options" collection (kept for its workflows). */
export const llmProperties = (show: Record<string, string[]>): INodeProperties[] => [
	llmModelProperty(show),
	{
		displayName: 'LLM Options',
		name: 'llmOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { ...show, backend: ['llm'] } },
		options: llmOptionFields,
	},
];

export function llmSettings(ctx: IExecuteFunctions, itemIndex: number, defaultTemperature: number): LlmSettings {
	// 1.1 keeps these in Options; version 1 in LLM Options. Whichever is set wins, then the default.
	const option = <T>(name: string, fallback: T): T => ctx.getNodeParameter(`options.${name}`, itemIndex, ctx.getNodeParameter(`llmOptions.${name}`, itemIndex, fallback)) as T;
	return {
		model: ctx.getNodeParameter('llmModel', itemIndex, 'gpt-4o-mini') as string,
		temperature: option('temperature', defaultTemperature),
		timeoutMs: option('timeoutMs', 30000),
		maxRetries: option('maxRetries', 2),
		structuredOutput: option<LlmSettings['structuredOutput']>('structuredOutput', 'jsonSchema'),
	};
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

/** Parses a body n8n left as text (a proxy's HTML page, a server ignoring `json`); undefined if not JSON. */
function jsonBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * One chat completion (`POST {baseUrl}/chat/completions`) through the pack's shared transport
 * (`vendorRequest` → `httpRequestWithAuthentication`): the credential adds the bearer key, proxies
 * work, and the retry policy is the one every other node uses (Retry-After honoured, tested with an
 * injected clock). A completion has no side effect, so it is retried as idempotent: 429, 502-504 and
 * timeouts, up to `maxRetries`; a 500 is not retried (more likely a bug than load).
 *
 * Why not the `openai` SDK: bundled into dist/ it reads `process.env` (`OPENAI_*`), uses `console`
 * and timer globals, all of which n8n's community scanner rejects, and the one request we need is a
 * plain JSON POST. The SDK's TypeScript types still describe the wire format (`import type`, erased
 * at compile time), so a malformed request or a misread response fails the typecheck.
 *
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
	const baseUrl = String(credentials.baseUrl || 'https://api.openai.com/v1').replace(/\/+$/, '');
	const request: ChatCompletionCreateParamsNonStreaming = {
		model: settings.model,
		messages,
		temperature: settings.temperature,
		response_format:
			settings.structuredOutput === 'jsonSchema'
				? { type: 'json_schema', json_schema: { name: schemaName, schema: jsonSchema, strict: true } }
				: { type: 'json_object' },
	};
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	// The API key is the credential's `authenticate` header; the organization is not a secret, and
	// n8n's generic authenticate cannot add a header only when the field is set.
	const organization = typeof credentials.organization === 'string' ? credentials.organization.trim() : '';
	if (organization) headers['openai-organization'] = organization;

	let body: unknown;
	try {
		const res = await vendorRequest.call(ctx, {
			vendor: VENDOR,
			credentialType: OPENAI_CREDENTIAL,
			method: 'POST',
			url: `${baseUrl}/chat/completions`,
			body: request,
			headers,
			idempotent: true,
			timeoutMs: settings.timeoutMs,
			retry: { maxRetries: settings.maxRetries },
			itemIndex,
		});
		body = res.body;
	} catch (error) {
		return classify(error);
	}
	const completion = jsonBody(body) as Partial<ChatCompletion> | undefined;
	if (!completion || typeof completion !== 'object') return failure('invalid_json', 'the server answered with something that is not JSON');
	const content = completion.choices?.[0]?.message?.content;
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
	const u = completion.usage;
	return {
		ok: true,
		data: result.data,
		usage: { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0, totalTokens: u?.total_tokens ?? 0 },
		model: completion.model ?? settings.model,
	};
}
