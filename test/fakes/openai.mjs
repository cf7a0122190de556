/**
 * OpenAI-compatible chat-completions fake for the integration suite (loopback only).
 *
 *   const fake = await startOpenAiFake();            // { url: 'http://127.0.0.1:PORT/v1', ... }
 *   fake.enqueue({ status: 429, headers: { 'retry-after': '1' } }, { content: { variants: [...] } });
 *   fake.prompts  // every chat message sent, for PII assertions
 *
 * Scripted replies are used in order; when none are left, a valid answer is generated from the
 * request's response_format (email variants, or the first label of a classification enum).
 * A scripted entry: { status, body, headers, delayMs, raw, content, usage }.
 */
import http from 'node:http';

function defaultContent(body) {
	const schema = body?.response_format?.json_schema?.schema;
	const name = body?.response_format?.json_schema?.name;
	const labels = schema?.properties?.label?.enum;
	if (Array.isArray(labels)) return { label: labels[0], confidence: 0.8 };
	if (name === 'email_variants' || JSON.stringify(body?.messages ?? '').includes('variants')) {
		return { variants: [{ subject: 'A day to remember', preheader: 'Your next adventure', body: 'Thanks for booking with us. Make a day of it with a second tour.' }] };
	}
	return {};
}

export async function startOpenAiFake(opts = {}) {
	const requests = [];
	const prompts = [];
	let script = [...(opts.script ?? [])];
	const usage = { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140 };

	const server = http.createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			const url = new URL(req.url, 'http://127.0.0.1');
			let body = null;
			try {
				body = data ? JSON.parse(data) : null;
			} catch {
				body = data;
			}
			requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
			if (req.method === 'GET' && url.pathname.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] }));
				return;
			}
			if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url.pathname}` } }));
				return;
			}
			for (const m of body?.messages ?? []) prompts.push(m);
			const step = script.shift() ?? {};
			const send = () => {
				if (step.raw !== undefined) {
					res.writeHead(step.status ?? 200, { 'content-type': 'text/html', ...(step.headers ?? {}) });
					res.end(step.raw);
					return;
				}
				const status = step.status ?? 200;
				let payload = step.body;
				if (payload === undefined) {
					if (status >= 400) payload = { error: { message: status === 429 ? 'Rate limit reached' : 'Server error', type: 'fake' } };
					else {
						const content = step.content ?? defaultContent(body);
						payload = {
							id: `chatcmpl-fake-${requests.length}`,
							object: 'chat.completion',
							created: Math.floor(Date.now() / 1000),
							model: body?.model ?? 'fake-model',
							choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content) } }],
							usage: step.usage ?? usage,
						};
					}
				}
				res.writeHead(status, { 'content-type': 'application/json', ...(step.headers ?? {}) });
				res.end(JSON.stringify(payload));
			};
			if (step.delayMs) setTimeout(send, step.delayMs);
			else send();
		});
	});
	await new Promise((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
	const port = server.address().port;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		port,
		requests,
		prompts,
		enqueue: (...steps) => script.push(...steps),
		reset() {
			requests.length = 0;
			prompts.length = 0;
			script = [];
		},
		close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
	};
}
