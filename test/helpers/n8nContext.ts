/**
 * Fake n8n contexts for unit tests (execute, hooks, webhooks, load options).
 *
 * What is real: HTTP. `helpers.httpRequestWithAuthentication` applies the credential type's own
 * `authenticate` block (so a wrong header name fails a test) and sends a real request with Node's
 * http/https client, which nock intercepts. Its return and error shapes follow n8n 2.41's
 * (`returnFullResponse` → `{ body, headers, statusCode }`; status errors thrown unless
 * `ignoreHttpStatusErrors`), so the transport is tested the way it runs inside n8n.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	IWorkflowDataProxyData,
	NodeParameterValueType,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

export interface FakeContextOptions {
	/** Node parameters; item-specific values may be functions of the item index. */
	parameters?: Record<string, unknown | ((itemIndex: number) => unknown)>;
	items?: INodeExecutionData[];
	/** Credential data by credential type name. */
	credentials?: Record<string, IDataObject>;
	/** Credential type classes, so their `authenticate` block is applied. */
	credentialTypes?: ICredentialType[];
	continueOnFail?: boolean;
	node?: Partial<INode>;
	staticData?: IDataObject;
	webhookUrl?: string;
	/** Webhook request parts. */
	request?: { body?: unknown; rawBody?: Buffer; headers?: Record<string, string>; query?: IDataObject; method?: string };
	binary?: Record<string, Buffer>;
	workflowId?: string;
	executionId?: string;
	mode?: string;
	/** Workflow variables ($vars). */
	variables?: IDataObject;
}

function getPath(obj: unknown, path: string): unknown {
	let cur: unknown = obj;
	for (const part of path.split('.')) {
		if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

/** Resolves `={{$credentials.x}}` style values the way n8n does for generic authenticate blocks. */
function resolveCredentialExpression(template: unknown, credentials: IDataObject): unknown {
	if (typeof template !== 'string' || !template.startsWith('=')) return template;
	return template.slice(1).replace(/\{\{\s*\$credentials\.([\w.]+)\s*\}\}/g, (_m, key: string) => String(getPath(credentials, key) ?? ''));
}

async function applyAuthenticate(type: ICredentialType | undefined, credentials: IDataObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const auth = type?.authenticate;
	// A function authenticator is called as n8n's CredentialsHelper.authenticate calls it.
	if (typeof auth === 'function') return await auth(credentials as ICredentialDataDecryptedObject, { ...options, headers: { ...(options.headers ?? {}) } });
	if (!auth || auth.type !== 'generic') return options;
	const props = auth.properties;
	const out: IHttpRequestOptions = { ...options, headers: { ...(options.headers ?? {}) }, qs: { ...(options.qs ?? {}) } };
	for (const [k, v] of Object.entries(props.headers ?? {})) (out.headers as IDataObject)[k] = resolveCredentialExpression(v, credentials) as string;
	for (const [k, v] of Object.entries(props.qs ?? {})) (out.qs as IDataObject)[k] = resolveCredentialExpression(v, credentials) as string;
	if (props.body) out.body = { ...((options.body as IDataObject) ?? {}), ...(props.body as IDataObject) };
	return out;
}

function appendQuery(url: URL, qs: IDataObject | undefined): void {
	for (const [k, v] of Object.entries(qs ?? {})) {
		if (v === undefined || v === null) continue;
		if (Array.isArray(v)) for (const each of v) url.searchParams.append(k, String(each));
		else url.searchParams.append(k, String(v));
	}
}

/**
 * A real HTTP request with n8n's httpRequest semantics (the subset the pack uses). Uses the global
 * `fetch` (which nock intercepts) so test code needs no Node built-in imports, which the strict
 * community lint forbids in every TypeScript file of the package.
 */
export async function n8nLikeHttpRequest(options: IHttpRequestOptions, node: INode): Promise<unknown> {
	const url = new URL(options.baseURL ? new URL(options.url, options.baseURL).toString() : options.url);
	appendQuery(url, options.qs as IDataObject);
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = String(v);
	let payload: string | Buffer | undefined;
	if (options.body !== undefined && options.body !== null && options.method !== 'GET') {
		if (Buffer.isBuffer(options.body) || typeof options.body === 'string') payload = options.body as string | Buffer;
		else {
			payload = JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
	}
	let res: Response;
	try {
		res = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body: payload,
			signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
		});
	} catch (error) {
		const e = error as Error & { code?: string; cause?: { code?: string } };
		// Same codes as n8n's axios client: a timeout is ECONNABORTED, socket errors keep their code.
		const code = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'ECONNABORTED' : (e.cause?.code ?? e.code ?? 'ECONNRESET');
		const wrapped = Object.assign(new Error(code === 'ECONNABORTED' ? `timeout of ${options.timeout}ms exceeded` : e.message), { code });
		throw new NodeApiError(node, wrapped as never);
	}
	const text = await res.text();
	let body: unknown = text;
	if (options.json !== false || /json/.test(res.headers.get('content-type') ?? '')) {
		try {
			body = text.length ? JSON.parse(text) : '';
		} catch {
			/* keep text, as n8n does for non-JSON bodies */
		}
	}
	const responseHeaders = Object.fromEntries(res.headers.entries());
	if (!res.ok && !options.ignoreHttpStatusErrors) {
		const axiosLike = Object.assign(new Error(`Request failed with status code ${res.status}`), {
			response: { status: res.status, headers: responseHeaders, data: body },
			httpCode: String(res.status),
		});
		throw new NodeApiError(node, axiosLike as never, { httpCode: String(res.status) });
	}
	if (options.returnFullResponse) return { body, headers: responseHeaders, statusCode: res.status, statusMessage: res.statusText };
	return body;
}

export function makeNode(partial: Partial<INode> = {}): INode {
	return {
		id: 'node-1',
		name: 'Test Node',
		type: 'n8n-nodes-peekpro-ai.test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...partial,
	};
}

/**
 * Builds one object that satisfies IExecuteFunctions, IHookFunctions, IWebhookFunctions and
 * ILoadOptionsFunctions for what this pack's nodes use. Cast it to the interface under test.
 */
export function createFakeContext(opts: FakeContextOptions = {}) {
	const node = makeNode(opts.node);
	const items: INodeExecutionData[] = opts.items ?? [{ json: {} }];
	const staticData = opts.staticData ?? {};
	const requests: RecordedRequest[] = [];
	const logs: Array<{ level: string; message: string; meta?: unknown }> = [];
	const typesByName = new Map((opts.credentialTypes ?? []).map((t) => [t.name, t]));
	const response = {
		statusCode: 200,
		body: undefined as unknown,
		headers: {} as Record<string, string>,
		ended: false,
		status(code: number) {
			this.statusCode = code;
			return this;
		},
		send(body: unknown) {
			this.body = body;
			return this;
		},
		json(body: unknown) {
			this.body = body;
			return this;
		},
		setHeader(k: string, v: string) {
			this.headers[k] = v;
			return this;
		},
		end() {
			this.ended = true;
			return this;
		},
	};
	const reqHeaders = Object.fromEntries(Object.entries(opts.request?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
	const rawBody = opts.request?.rawBody ?? (opts.request?.body !== undefined ? Buffer.from(typeof opts.request.body === 'string' ? opts.request.body : JSON.stringify(opts.request.body)) : undefined);
	const request = {
		method: opts.request?.method ?? 'POST',
		headers: reqHeaders,
		body: opts.request?.body,
		rawBody,
		query: opts.request?.query ?? {},
		header: (name: string) => reqHeaders[name.toLowerCase()],
		readRawBody: async () => undefined,
	};

	function param(name: string, itemIndex: number, fallback?: unknown): unknown {
		const params = opts.parameters ?? {};
		let value: unknown = name in params ? params[name] : getPath(params, name);
		if (typeof value === 'function') value = (value as (i: number) => unknown)(itemIndex);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		return value;
	}

	const ctx = {
		requests,
		logs,
		response,
		staticData,
		getNode: () => node,
		getInputData: () => items,
		getWorkflow: () => ({ id: opts.workflowId ?? 'wf-1', name: 'Test workflow', active: true }),
		getExecutionId: () => opts.executionId ?? 'exec-1',
		getMode: () => opts.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getTimezone: () => 'UTC',
		continueOnFail: () => opts.continueOnFail ?? false,
		getNodeParameter: (name: string, a?: unknown, b?: unknown) => {
			// Execute: (name, itemIndex, fallback); hooks/webhooks: (name, fallback).
			if (typeof a === 'number') return param(name, a, b);
			return param(name, 0, a);
		},
		getCredentials: async (type: string) => {
			const data = opts.credentials?.[type];
			if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
			return data;
		},
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => opts.webhookUrl ?? 'https://n8n.example.test/webhook/abc/webhook',
		getWebhookName: () => 'default',
		getRequestObject: () => request,
		getResponseObject: () => response,
		getHeaderData: () => reqHeaders,
		getBodyData: () => (opts.request?.body ?? {}) as IDataObject,
		getQueryData: () => (opts.request?.query ?? {}) as IDataObject,
		getWorkflowDataProxy: () => ({ $vars: opts.variables ?? {} }) as unknown as IWorkflowDataProxyData,
		getExecuteData: () => ({ node, data: { main: [items] }, source: null }),
		logger: {
			debug: (message: string, meta?: unknown) => logs.push({ level: 'debug', message, meta }),
			info: (message: string, meta?: unknown) => logs.push({ level: 'info', message, meta }),
			warn: (message: string, meta?: unknown) => logs.push({ level: 'warn', message, meta }),
			error: (message: string, meta?: unknown) => logs.push({ level: 'error', message, meta }),
		},
		sendMessageToUI: () => undefined,
		helpers: {
			httpRequestWithAuthentication: async function (this: unknown, credentialType: string, options: IHttpRequestOptions) {
				const data = opts.credentials?.[credentialType];
				if (!data) throw new Error(`Node does not have credentials of type "${credentialType}"`);
				const authed = await applyAuthenticate(typesByName.get(credentialType), data, options);
				const url = new URL(authed.url, authed.baseURL);
				appendQuery(url, authed.qs as IDataObject);
				requests.push({
					method: authed.method ?? 'GET',
					url: url.toString(),
					headers: Object.fromEntries(Object.entries(authed.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
					body: authed.body,
				});
				return await n8nLikeHttpRequest(authed, node);
			},
			httpRequest: async (options: IHttpRequestOptions) => await n8nLikeHttpRequest(options, node),
			returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (data: INodeExecutionData[], meta: { itemData: { item: number } }) =>
				data.map((d) => ({ ...d, pairedItem: meta.itemData })),
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const key = `${itemIndex}:${property}`;
				const buf = opts.binary?.[key] ?? opts.binary?.[property];
				if (!buf) throw new Error(`No binary data "${property}" on item ${itemIndex}`);
				return buf;
			},
			assertBinaryData: (itemIndex: number, property: string) => {
				const bin = items[itemIndex]?.binary?.[property];
				if (!bin) throw new Error(`No binary data "${property}" on item ${itemIndex}`);
				return bin;
			},
			prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string) => ({
				data: buffer.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
			}),
		},
	};
	return ctx;
}

export type FakeContext = ReturnType<typeof createFakeContext>;

/** Parameter value helper for typed tests. */
export type Params = Record<string, NodeParameterValueType | ((itemIndex: number) => unknown)>;
