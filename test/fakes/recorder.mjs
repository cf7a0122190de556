// A loopback HTTP server that records every request it receives and answers from a small route
// table. It stands in for any outbound endpoint a workflow calls (weather API, Braze, a webhook
// sink), so tests assert on what n8n actually sent over the wire.
import { createServer } from 'node:http';

export async function startRecorder({ port = 0, routes = {} } = {}) {
	const requests = [];
	const handlers = { ...routes };
	const waiters = [];
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = raw;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				/* keep raw text */
			}
			const url = new URL(req.url, 'http://127.0.0.1');
			const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, at: Date.now() };
			requests.push(record);
			for (const w of [...waiters]) {
				if (w.predicate(record)) {
					waiters.splice(waiters.indexOf(w), 1);
					w.resolve(record);
				}
			}
			const handler = handlers[`${req.method} ${url.pathname}`] ?? handlers[url.pathname];
			const reply = typeof handler === 'function' ? handler(record) : handler;
			const status = reply?.status ?? 200;
			const payload = reply?.body ?? { ok: true };
			res.writeHead(status, { 'content-type': 'application/json', ...(reply?.headers ?? {}) });
			res.end(JSON.stringify(payload));
		});
	});
	await new Promise((r) => server.listen(port, '127.0.0.1', r));
	const actualPort = server.address().port;
	return {
		url: `http://127.0.0.1:${actualPort}`,
		port: actualPort,
		requests,
		route(key, handler) {
			handlers[key] = handler;
		},
		reset() {
			requests.length = 0;
		},
		/** Resolves with the first recorded request (past or future) matching `predicate`. */
		waitFor(predicate, timeoutMs = 20_000) {
			const found = requests.find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise((resolveWait, reject) => {
				const waiter = { predicate, resolve: resolveWait };
				waiters.push(waiter);
				setTimeout(() => {
					const i = waiters.indexOf(waiter);
					if (i >= 0) {
						waiters.splice(i, 1);
						reject(new Error(`no matching request within ${timeoutMs} ms; saw ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'}`));
					}
				}, timeoutMs).unref();
			});
		},
		async close() {
			server.closeAllConnections?.();
			await new Promise((r) => server.close(r));
		},
	};
}
