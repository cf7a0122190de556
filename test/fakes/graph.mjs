// A local fake Microsoft Graph (v1.0 calendar subset) on loopback for the integration suite,
// `npm start` and bench/outlook. The behaviour lives in graphModel.cjs (shared with the unit tests'
// nock interceptors); this file is HTTP: `/v1.0/...` for Graph, `/{tenant}/oauth2/v2.0/token` for
// the app-only credential's client-credentials grant. Every request is recorded with its contract
// check (`valid`, `errors`), like the other fakes.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { GraphModel, validateRequest } = require('./graphModel.cjs');

export async function startGraphFake({ port = 0, ...modelOpts } = {}) {
	const model = new GraphModel(modelOpts);
	const requests = [];
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url, 'http://127.0.0.1');
			const path = decodeURIComponent(url.pathname);
			const query = Object.fromEntries(url.searchParams);
			let reply;
			if (/\/oauth2\/v2\.0\/token$/.test(path) && req.method === 'POST') {
				const form = Object.fromEntries(new URLSearchParams(raw));
				requests.push({ method: 'POST', path, query, headers: req.headers, body: { ...form, client_secret: form.client_secret ? '***' : undefined }, valid: true, errors: [] });
				reply = model.token(form);
			} else {
				let body;
				try {
					body = raw ? JSON.parse(raw) : undefined;
				} catch {
					body = raw;
				}
				const graphPath = path.replace(/^\/v1\.0/, '');
				const check = validateRequest(req.method, graphPath, body);
				requests.push({ method: req.method, path: graphPath, query, headers: req.headers, body, valid: check.valid, errors: check.errors, at: Date.now() });
				reply = model.handle({ method: req.method, path: graphPath, query, headers: req.headers, body });
			}
			res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
			res.end(reply.body === null || reply.body === undefined ? '' : JSON.stringify(reply.body));
		});
	});
	await new Promise((r) => server.listen(port, '127.0.0.1', r));
	const actualPort = server.address().port;
	const url = `http://127.0.0.1:${actualPort}`;
	return {
		url,
		baseUrl: `${url}/v1.0`,
		port: actualPort,
		model,
		requests,
		reset() {
			requests.length = 0;
			model.reset();
		},
		close: () => new Promise((r) => server.close(r)),
	};
}
