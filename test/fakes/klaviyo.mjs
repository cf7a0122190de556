// A local fake Klaviyo (revision 2026-07-15) for the real-n8n integration suite and bench/klaviyo.
//
// - Implements the endpoints the Klaviyo node uses, and GET /api/accounts for the credential test.
// - Validates every request against Klaviyo's official OpenAPI spec (test/contracts, Ajv with the
//   nullable rewrite from contracts/README.md) and records `{ valid, errors }`; an invalid body gets
//   a JSON:API 400 naming `source.pointer`, as Klaviyo answers.
// - Enforces the events endpoint's published limits with fixed windows (350 per 1 s, 3,500 per
//   60 s, every admitted request counts): 429 with an integer Retry-After until the window resets.
// - Optional fault injection (`rate429` before admission, `rate500` after it, `rateTimeout`: no answer
//   at all, the socket is closed after `timeoutHoldMs`, nothing recorded as delivered; seeded).
// - Records the peak number of event requests reaching the limiter in any 1 s and 60 s window
//   (`state.peaks`), so a bench can show the client side never went over Klaviyo's limits.
// - Counts delivered event `unique_id`s, so a bench can prove zero lost and zero duplicated.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const here = dirname(fileURLToPath(import.meta.url));
export const SPEC_PATH = resolve(here, '../contracts/klaviyo-openapi-subset.json');

function rewrite(node) {
	if (Array.isArray(node)) return node.map(rewrite);
	if (!node || typeof node !== 'object') return node;
	const out = {};
	for (const [k, v] of Object.entries(node)) {
		if (k === 'example' || k === 'examples') continue;
		out[k] = k === 'properties' && v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, rewrite(pv)])) : rewrite(v);
	}
	if (out.nullable === true) {
		delete out.nullable;
		if (typeof out.type === 'string') out.type = [out.type, 'null'];
		else return { anyOf: [out, { type: 'null' }] };
	}
	delete out.nullable;
	return out;
}

function loadValidators(specPath) {
	const spec = JSON.parse(readFileSync(specPath, 'utf8'));
	const ajv = new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addSchema({ $id: 'klaviyo', components: rewrite(spec.components) }, 'klaviyo');
	const ops = [];
	for (const [template, methods] of Object.entries(spec.paths)) {
		for (const [method, op] of Object.entries(methods)) {
			if (!op?.operationId) continue;
			const ref = op.requestBody?.content?.['application/vnd.api+json']?.schema?.$ref;
			ops.push({
				method: method.toUpperCase(),
				regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
				operationId: op.operationId,
				validate: ref ? ajv.getSchema(`klaviyo${ref}`) : undefined,
			});
		}
	}
	return { ops, revision: spec.info.version };
}

/** Small seeded PRNG so fault injection is reproducible. */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function jsonApiError(status, detail, pointer, code = 'invalid') {
	return { status, body: { errors: [{ id: randomBytes(8).toString('hex'), status, code, title: status === 429 ? 'Throttled.' : 'Invalid input.', detail, ...(pointer ? { source: { pointer } } : {}) }] } };
}

function parseEmailFilter(filter) {
	if (!filter) return undefined;
	const m = /^(equals|any)\(email,(.*)\)$/.exec(filter);
	if (!m) return undefined;
	return [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1].replace(/\\(.)/g, '$1').toLowerCase());
}

export async function startKlaviyoFake(opts = {}) {
	const {
		port = 0,
		rate429 = 0,
		rate500 = 0,
		rateTimeout = 0,
		/** How long an injected timeout holds the request before closing the socket without an answer. */
		timeoutHoldMs = 65_000,
		seed = 1,
		/** Retry-After (seconds) on injected 429s; `null` sends none. */
		retryAfterSeconds = 1,
		eventLimits = { burst: 350, perMinute: 3500 },
		/** Profile upsert (`/api/profile-import`) limits, enforced when given (Klaviyo: 75/s, 750/min). */
		profileLimits = null,
		/** Polls before a bulk import job reports complete. */
		jobPolls = 2,
		lists = [{ id: 'Y6nRLr', name: 'Newsletter' }, { id: 'VIP001', name: 'VIP guests' }],
		specPath = SPEC_PATH,
		apiKey,
	} = opts;
	const { ops, revision } = loadValidators(specPath);
	const random = mulberry32(seed);
	const state = {
		requests: [],
		deliveredUniqueIds: new Map(),
		duplicates: 0,
		profiles: new Map(),
		listMembers: new Map(lists.map((l) => [l.id, new Set()])),
		jobs: new Map(),
		subscriptions: [],
		unsubscriptions: [],
		counts: { limited429: 0, injected429: 0, injected500: 0, injectedTimeout: 0, accepted: 0, admitted: 0 },
		peaks: { perSecond: 0, perMinute: 0 },
		firstAdmittedAt: undefined,
		lastAcceptedAt: undefined,
	};
	const startedAt = Date.now();
	/** Fixed windows aligned to the fake's start, as Klaviyo's are fixed windows; one limiter per endpoint. */
	function limiter(limits, peaks) {
		const windows = { second: { start: 0, count: 0, attempts: 0 }, minute: { start: 0, count: 0, attempts: 0 } };
		return (now) => {
			const sec = Math.floor((now - startedAt) / 1000);
			const min = Math.floor((now - startedAt) / 60000);
			if (windows.second.start !== sec) windows.second = { start: sec, count: 0, attempts: 0 };
			if (windows.minute.start !== min) windows.minute = { start: min, count: 0, attempts: 0 };
			// Attempts, admitted or not: what the clients together sent in this window.
			windows.second.attempts++;
			windows.minute.attempts++;
			peaks.perSecond = Math.max(peaks.perSecond, windows.second.attempts);
			peaks.perMinute = Math.max(peaks.perMinute, windows.minute.attempts);
			if (!limits) return { ok: true };
			if (windows.minute.count >= limits.perMinute) return { ok: false, retryAfter: Math.max(1, Math.ceil((startedAt + (min + 1) * 60000 - now) / 1000)) };
			if (windows.second.count >= limits.burst) return { ok: false, retryAfter: 1 };
			windows.second.count++;
			windows.minute.count++;
			return { ok: true };
		};
	}
	const admitEvent = limiter(eventLimits, state.peaks);
	state.profilePeaks = { perSecond: 0, perMinute: 0 };
	const admitProfile = limiter(profileLimits, state.profilePeaks);

	function profileFor(attributes = {}) {
		const key = (attributes.email ?? attributes.phone_number ?? attributes.external_id ?? '').toLowerCase();
		let profile = state.profiles.get(key);
		const created = !profile;
		if (!profile) {
			profile = { id: `01FAKE${randomBytes(6).toString('hex').toUpperCase()}`, attributes: {} };
			state.profiles.set(key, profile);
		}
		Object.assign(profile.attributes, attributes);
		return { profile, created };
	}

	function recordEvent(attributes, profileAttributes) {
		const id = attributes.unique_id ?? `${attributes.metric?.data?.attributes?.name}:${profileAttributes?.email}:${attributes.time}`;
		const key = `${attributes.metric?.data?.attributes?.name}\u0000${id}`;
		if (state.deliveredUniqueIds.has(key)) {
			state.duplicates++;
			state.deliveredUniqueIds.set(key, state.deliveredUniqueIds.get(key) + 1);
		} else state.deliveredUniqueIds.set(key, 1);
	}

	function handle(method, url, headers, body) {
		const path = url.pathname;
		if (method === 'GET' && path === '/api/accounts') return { status: 200, body: { data: [{ type: 'account', id: 'FAKE', attributes: {} }] } };
		const op = ops.find((o) => o.method === method && o.regex.test(path));
		if (!op) return jsonApiError(404, `No route ${method} ${path}`, undefined, 'not_found');
		const match = op.regex.exec(path);
		const record = state.requests[state.requests.length - 1];
		record.operationId = op.operationId;
		const errors = [];
		if (headers.revision !== revision) errors.push({ detail: `revision header must be ${revision}`, pointer: undefined });
		if (op.validate) {
			if (headers['content-type'] !== 'application/vnd.api+json') errors.push({ detail: 'content-type must be application/vnd.api+json' });
			if (!op.validate(body)) for (const e of op.validate.errors ?? []) errors.push({ detail: `${e.instancePath || '/'} ${e.message}`, pointer: e.instancePath || '/data' });
		}
		record.valid = errors.length === 0;
		record.errors = errors.map((e) => e.detail);
		if (errors.length) return jsonApiError(400, errors[0].detail, errors[0].pointer);

		if (op.operationId === 'create_event') {
			const now = Date.now();
			// An injected 429 stands for a rejection by Klaviyo's limiter, so, like a limiter 429, it
			// is not counted against the window; an injected 500 happens after admission and is.
			const roll = random();
			if (roll >= 1 - rateTimeout) {
				state.counts.injectedTimeout++;
				return { hang: true };
			}
			if (roll < rate429) {
				state.counts.injected429++;
				return { ...jsonApiError(429, 'Request was throttled.', undefined, 'throttled'), headers: retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) } };
			}
			const admission = admitEvent(now);
			if (!admission.ok) {
				state.counts.limited429++;
				return { ...jsonApiError(429, 'Request was throttled.', undefined, 'throttled'), headers: { 'retry-after': String(admission.retryAfter) } };
			}
			state.counts.admitted++;
			state.firstAdmittedAt ??= now;
			if (roll < rate429 + rate500) {
				state.counts.injected500++;
				return jsonApiError(500, 'A server error occurred.', undefined, 'error');
			}
			const a = body.data.attributes;
			profileFor(a.profile.data.attributes);
			recordEvent(a, a.profile.data.attributes);
			state.counts.accepted++;
			state.lastAcceptedAt = Date.now();
			return { status: 202, body: '' };
		}
		if (op.operationId === 'bulk_create_events') {
			const entries = body.data.attributes['events-bulk-create'].data;
			const seen = new Set();
			for (const entry of entries) {
				for (const ev of entry.attributes.events.data) {
					const k = `${JSON.stringify(entry.attributes.profile.data.attributes)}\u0000${ev.attributes.metric.data.attributes.name}\u0000${ev.attributes.unique_id}`;
					// Klaviyo: a repeated unique_id for the same profile and metric fails the whole job.
					if (ev.attributes.unique_id && seen.has(k)) return jsonApiError(400, 'Duplicate unique_id in job', '/data/attributes/events-bulk-create/data');
					seen.add(k);
				}
			}
			for (const entry of entries) {
				profileFor(entry.attributes.profile.data.attributes);
				for (const ev of entry.attributes.events.data) recordEvent(ev.attributes, entry.attributes.profile.data.attributes);
			}
			return { status: 202, body: '' };
		}
		if (op.operationId === 'create_or_update_profile') {
			const admission = admitProfile(Date.now());
			if (!admission.ok) {
				state.counts.limitedProfile429 = (state.counts.limitedProfile429 ?? 0) + 1;
				return { ...jsonApiError(429, 'Request was throttled.', undefined, 'throttled'), headers: { 'retry-after': String(admission.retryAfter) } };
			}
			const { profile, created } = profileFor(body.data.attributes);
			return { status: created ? 201 : 200, body: { data: { type: 'profile', id: profile.id, attributes: profile.attributes } } };
		}
		if (op.operationId === 'get_profiles') {
			const emails = parseEmailFilter(url.searchParams.get('filter'));
			const found = [...state.profiles.values()].filter((p) => !emails || emails.includes(String(p.attributes.email ?? '').toLowerCase()));
			const size = Number(url.searchParams.get('page[size]') ?? 20);
			return { status: 200, body: { data: found.slice(0, size).map((p) => ({ type: 'profile', id: p.id, attributes: p.attributes })), links: { self: url.href, next: null } } };
		}
		if (op.operationId === 'bulk_import_profiles') {
			const profiles = body.data.attributes.profiles.data;
			for (const p of profiles) profileFor(p.attributes);
			const id = `job-${randomBytes(4).toString('hex')}`;
			const listIds = (body.data.relationships?.lists?.data ?? []).map((l) => l.id);
			for (const listId of listIds) for (const p of profiles) state.listMembers.get(listId)?.add(profileFor(p.attributes).profile.id);
			state.jobs.set(id, { total: profiles.length, polls: 0 });
			return { status: 202, body: { data: { type: 'profile-bulk-import-job', id, attributes: { status: 'queued', total_count: profiles.length, completed_count: 0, failed_count: 0 } } } };
		}
		if (op.operationId === 'get_bulk_import_profiles_job') {
			const job = state.jobs.get(decodeURIComponent(match[1]));
			if (!job) return jsonApiError(404, 'Job not found', undefined, 'not_found');
			job.polls++;
			const done = job.polls >= jobPolls;
			const completed = done ? job.total : Math.floor((job.total * job.polls) / jobPolls);
			return { status: 200, body: { data: { type: 'profile-bulk-import-job', id: decodeURIComponent(match[1]), attributes: { status: done ? 'complete' : 'processing', total_count: job.total, completed_count: completed, failed_count: 0 } } } };
		}
		if (op.operationId === 'get_lists') {
			const cursor = Number(url.searchParams.get('page[cursor]') ?? 0);
			const size = Math.min(10, Number(url.searchParams.get('page[size]') ?? 10));
			const page = lists.slice(cursor, cursor + size);
			const next = cursor + size < lists.length ? `${url.origin}/api/lists?page%5Bcursor%5D=${cursor + size}&page%5Bsize%5D=${size}` : null;
			return { status: 200, body: { data: page.map((l) => ({ type: 'list', id: l.id, attributes: { name: l.name } })), links: { self: url.href, next } } };
		}
		if (op.operationId === 'add_profiles_to_list' || op.operationId === 'remove_profiles_from_list') {
			const members = state.listMembers.get(decodeURIComponent(match[1]));
			if (!members) return jsonApiError(404, 'List not found', undefined, 'not_found');
			for (const p of body.data) (op.operationId === 'add_profiles_to_list' ? members.add(p.id) : members.delete(p.id));
			return { status: 204, body: '' };
		}
		if (op.operationId === 'bulk_subscribe_profiles') {
			state.subscriptions.push(body);
			return { status: 202, body: '' };
		}
		if (op.operationId === 'bulk_unsubscribe_profiles') {
			state.unsubscriptions.push(body);
			return { status: 202, body: '' };
		}
		return jsonApiError(501, `${op.operationId} is not implemented by the fake`, undefined, 'not_implemented');
	}

	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url, `http://${req.headers.host}`);
			const text = Buffer.concat(chunks).toString('utf8');
			let body;
			try {
				body = text ? JSON.parse(text) : undefined;
			} catch {
				body = text;
			}
			const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, valid: undefined, errors: [] };
			state.requests.push(record);
			let out;
			if (apiKey && req.headers.authorization !== `Klaviyo-API-Key ${apiKey}`) out = jsonApiError(401, 'Missing or invalid private key.', undefined, 'not_authenticated');
			else out = handle(req.method, url, req.headers, body);
			if (out.hang) {
				record.status = 'timeout';
				const timer = setTimeout(() => req.socket.destroy(), timeoutHoldMs);
				req.socket.once('close', () => clearTimeout(timer));
				return;
			}
			record.status = out.status;
			const payload = out.body === '' || out.body === undefined ? '' : JSON.stringify(out.body);
			res.writeHead(out.status, { ...(payload ? { 'content-type': 'application/vnd.api+json' } : {}), ...(out.headers ?? {}) });
			res.end(payload);
		});
	});
	await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
	const address = server.address();
	return {
		url: `http://127.0.0.1:${address.port}`,
		port: address.port,
		requests: state.requests,
		state,
		get duplicates() {
			return state.duplicates;
		},
		deliveredUniqueIds: state.deliveredUniqueIds,
		reset() {
			state.requests.length = 0;
			state.deliveredUniqueIds.clear();
			state.duplicates = 0;
			state.jobs.clear();
			state.subscriptions.length = 0;
			state.unsubscriptions.length = 0;
			for (const k of Object.keys(state.counts)) state.counts[k] = 0;
			state.peaks.perSecond = 0;
			state.peaks.perMinute = 0;
		},
		close: () => new Promise((ok) => server.close(() => ok())),
	};
}
