// The in-memory Microsoft Graph calendar behind test/fakes/graph.mjs (HTTP, integration suite,
// `npm start`, bench/outlook) and the unit tests' nock interceptors: one model, so what the unit
// tests prove about the node holds against the server the real n8n talks to.
//
// - Events per mailbox; lookup by single-value extended property ($filter ... ep/value eq '...'),
//   calendarView, getSchedule (scheduleItems + availabilityView), cancel, delete, `$batch` (20 max,
//   each member handled and throttled on its own, as Graph does).
// - `transactionId`: a second create with the same id in a mailbox returns the first event (201),
//   so a retried create never duplicates.
// - Throttling like Outlook: a per-mailbox token bucket (`mailboxPerSecond`, `mailboxBurst`) answers
//   429 `ApplicationThrottled` with `Retry-After`; `throttleEvery: n` makes every n-th call a 429 (tests).
// - Every request body is validated against test/contracts/graph-calendar-subset.json (`request.*`,
//   the strict test-aid schemas); an invalid one gets Graph's 400 and is recorded in `invalid`.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const Ajv = require('ajv');
const { DateTime } = require('luxon');

const SPEC_PATH = resolve(__dirname, '../contracts/graph-calendar-subset.json');
let validators;
function schemas() {
	if (validators) return validators;
	const doc = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
	const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
	ajv.addSchema(doc);
	const get = (name) => ajv.getSchema(`${doc.$id}#/definitions/${name}`);
	validators = {
		createEvent: get('request.createEvent'),
		updateEvent: get('request.updateEvent'),
		cancelEvent: get('request.cancelEvent'),
		getSchedule: get('request.getSchedule'),
		batch: get('request.batch'),
		tokenRequest: get('auth.tokenRequest'),
	};
	return validators;
}

/** Which schema a request body must satisfy, or null for body-less calls. */
function schemaFor(method, path) {
	if (method === 'POST' && path === '/$batch') return 'batch';
	if (method === 'POST' && /^\/users\/[^/]+(\/calendars\/[^/]+)?\/events$/.test(path)) return 'createEvent';
	if (method === 'PATCH' && /^\/users\/[^/]+\/events\/[^/]+$/.test(path)) return 'updateEvent';
	if (method === 'POST' && /\/events\/[^/]+\/cancel$/.test(path)) return 'cancelEvent';
	if (method === 'POST' && /\/calendar\/getSchedule$/.test(path)) return 'getSchedule';
	return null;
}

function validateRequest(method, path, body) {
	const name = schemaFor(method, path);
	if (!name) return { valid: true, errors: [], schema: null };
	const v = schemas()[name];
	const valid = v(body ?? {});
	return { valid: !!valid, schema: name, errors: valid ? [] : v.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`) };
}

function odataError(status, code, message, headers = {}) {
	return { status, headers, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': `fake-${Math.random().toString(16).slice(2)}` } } } };
}

function toUtc(dtz) {
	if (!dtz || typeof dtz.dateTime !== 'string') return undefined;
	const zone = dtz.timeZone || 'UTC';
	const dt = DateTime.fromISO(dtz.dateTime, { zone });
	return dt.isValid ? dt.toUTC() : undefined;
}

function utcDtz(dt) {
	return { dateTime: dt.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'0000'"), timeZone: 'UTC' };
}

class GraphModel {
	constructor(opts = {}) {
		this.opts = { mailboxPerSecond: 0, mailboxBurst: 0, batchMailboxConcurrency: 0, retryAfterSeconds: 1, throttleEvery: 0, now: () => Date.now(), ...opts };
		this.reset();
	}

	reset() {
		this.mailboxes = new Map();
		this.transactions = new Map();
		this.invalid = [];
		this.requests = [];
		this.counts = { calls: 0, throttled: 0, creates: 0, dedupedCreates: 0, updates: 0, cancels: 0, deletes: 0, batches: 0 };
		this.buckets = new Map();
		this.nextId = 1;
		this.tokens = new Set(['test-token']);
	}

	mailbox(name) {
		const key = decodeURIComponent(name).toLowerCase();
		if (!this.mailboxes.has(key)) this.mailboxes.set(key, new Map());
		return this.mailboxes.get(key);
	}

	/** Every live event, for assertions: [{ mailbox, event }]. */
	allEvents() {
		const out = [];
		for (const [mailbox, events] of this.mailboxes) for (const event of events.values()) out.push({ mailbox, event });
		return out;
	}

	/** Adds an event directly (a guide's own appointment), returns it. */
	seed(mailbox, { subject = 'Busy', start, end, showAs = 'busy', timeZone = 'UTC', isCancelled = false } = {}) {
		const id = `seed-${this.nextId++}`;
		const ev = { id, subject, start: { dateTime: start, timeZone }, end: { dateTime: end, timeZone }, showAs, isCancelled, attendees: [], singleValueExtendedProperties: [] };
		this.mailbox(mailbox).set(id, this.stamp(mailbox, ev));
		return ev;
	}

	stamp(mailbox, ev) {
		ev.webLink = `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(ev.id)}&exvsurl=1&path=/calendar/item`;
		ev._startUtc = toUtc(ev.start)?.toMillis();
		ev._endUtc = toUtc(ev.end)?.toMillis();
		ev._mailbox = mailbox.toLowerCase();
		return ev;
	}

	throttled(mailbox) {
		this.counts.calls++;
		const { throttleEvery, mailboxPerSecond, mailboxBurst, retryAfterSeconds } = this.opts;
		const reply = () => {
			this.counts.throttled++;
			return odataError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': String(retryAfterSeconds) });
		};
		if (throttleEvery > 0 && this.counts.calls % throttleEvery === 0) return reply();
		if (mailboxPerSecond > 0 && mailbox) {
			const now = this.opts.now();
			const key = decodeURIComponent(mailbox).toLowerCase();
			const b = this.buckets.get(key) ?? { tokens: mailboxBurst || mailboxPerSecond, at: now };
			b.tokens = Math.min(mailboxBurst || mailboxPerSecond, b.tokens + ((now - b.at) / 1000) * mailboxPerSecond);
			b.at = now;
			this.buckets.set(key, b);
			if (b.tokens < 1) return reply();
			b.tokens -= 1;
		}
		return null;
	}

	view(ev, expand) {
		const { _startUtc, _endUtc, _mailbox, transactionId, ...rest } = ev;
		const out = { ...rest, transactionId };
		if (!/singleValueExtendedProperties/.test(expand ?? '')) delete out.singleValueExtendedProperties;
		return out;
	}

	/** One Graph call. `path` is relative to the version root (`/users/...`), `query` an object. */
	handle({ method, path, query = {}, headers = {}, body }, { inBatch = false } = {}) {
		method = method.toUpperCase();
		if (!inBatch) this.requests.push({ method, path, query, headers, body });
		const auth = headers.authorization ?? headers.Authorization;
		if (!inBatch && (!auth || !this.tokens.has(String(auth).replace(/^Bearer\s+/i, '')))) return odataError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
		const check = validateRequest(method, path, body);
		if (!check.valid) {
			this.invalid.push({ method, path, schema: check.schema, errors: check.errors, body });
			return odataError(400, 'ErrorInvalidRequest', `Body does not match ${check.schema}: ${check.errors.join('; ')}`);
		}
		if (method === 'POST' && path === '/$batch') return this.batch(body);
		const user = /^\/users\/([^/]+)/.exec(path)?.[1];
		const limited = this.throttled(user);
		if (limited) return limited;
		if (user && (this.opts.unknownMailboxes ?? []).includes(decodeURIComponent(user).toLowerCase())) return odataError(404, 'ErrorInvalidUser', `The requested user '${decodeURIComponent(user)}' is invalid.`);
		return this.route(method, path, query, headers, body);
	}

	batch(body) {
		this.counts.batches++;
		// Outlook runs at most 4 members per mailbox of one batch at a time; with
		// `batchMailboxConcurrency` set, the members beyond it get 429 as on a busy mailbox.
		const perMailbox = new Map();
		const responses = body.requests.map((r) => {
			const mailbox = /^\/users\/([^/]+)/.exec(r.url)?.[1]?.toLowerCase();
			if (mailbox && this.opts.batchMailboxConcurrency > 0) {
				perMailbox.set(mailbox, (perMailbox.get(mailbox) ?? 0) + 1);
				if (perMailbox.get(mailbox) > this.opts.batchMailboxConcurrency) {
					this.counts.calls++;
					this.counts.throttled++;
					const res = odataError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': String(this.opts.retryAfterSeconds) });
					return { id: r.id, status: 429, headers: { 'Content-Type': 'application/json', ...res.headers }, body: res.body };
				}
			}
			const url = new URL(r.url, 'http://graph.local');
			const query = Object.fromEntries(url.searchParams);
			const res = this.handle({ method: r.method, path: decodeURIComponent(url.pathname).replace(/^\/v1\.0/, ''), query, headers: r.headers ?? {}, body: r.body }, { inBatch: true });
			return { id: r.id, status: res.status, headers: { 'Content-Type': 'application/json', ...(res.headers ?? {}) }, body: res.body ?? null };
		});
		return { status: 200, body: { responses } };
	}

	route(method, path, query, headers, body) {
		let m;
		if (method === 'GET' && (path === '/users' || path === '/me/calendar')) return { status: 200, body: { value: [{ id: 'fake-user' }] } };
		if ((m = /^\/users\/([^/]+)(?:\/calendars\/[^/]+)?\/events$/.exec(path))) {
			const events = this.mailbox(m[1]);
			if (method === 'GET') {
				const filter = query.$filter ?? '';
				const wanted = /ep\/value eq '((?:[^']|'')*)'/.exec(filter)?.[1]?.replace(/''/g, "'");
				const propId = /ep\/id eq '((?:[^']|'')*)'/.exec(filter)?.[1];
				const value = [...events.values()].filter((e) => wanted === undefined || (e.singleValueExtendedProperties ?? []).some((p) => p.id.toLowerCase() === (propId ?? '').toLowerCase() && p.value === wanted));
				return { status: 200, body: { value: value.map((e) => this.view(e, query.$expand)) } };
			}
			if (method === 'POST') {
				const key = body.transactionId ? `${m[1].toLowerCase()}|${body.transactionId}` : undefined;
				if (key && this.transactions.has(key) && events.has(this.transactions.get(key))) {
					this.counts.dedupedCreates++;
					return { status: 201, body: this.view(events.get(this.transactions.get(key)), 'singleValueExtendedProperties') };
				}
				const id = `AAMkAD-fake-${this.nextId++}`;
				const ev = this.stamp(m[1], { attendees: [], isCancelled: false, singleValueExtendedProperties: [], ...structuredClone(body), id, createdDateTime: new Date(this.opts.now()).toISOString() });
				events.set(id, ev);
				if (key) this.transactions.set(key, id);
				this.counts.creates++;
				return { status: 201, body: this.view(ev, 'singleValueExtendedProperties') };
			}
		}
		if ((m = /^\/users\/([^/]+)\/events\/([^/]+)(\/cancel)?$/.exec(path))) {
			const events = this.mailbox(m[1]);
			const ev = events.get(m[2]);
			if (!ev) return odataError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
			if (m[3] && method === 'POST') {
				events.delete(m[2]);
				this.counts.cancels++;
				return { status: 202, body: null };
			}
			if (method === 'GET') return { status: 200, body: this.view(ev, query.$expand) };
			if (method === 'PATCH') {
				Object.assign(ev, structuredClone(body));
				this.stamp(m[1], ev);
				this.counts.updates++;
				return { status: 200, body: this.view(ev, 'singleValueExtendedProperties') };
			}
			if (method === 'DELETE') {
				events.delete(m[2]);
				this.counts.deletes++;
				return { status: 204, body: null };
			}
		}
		if ((m = /^\/users\/([^/]+)(?:\/calendar|\/calendars\/[^/]+)?\/calendarView$/.exec(path)) && method === 'GET') {
			const from = Date.parse(query.startDateTime);
			const to = Date.parse(query.endDateTime);
			if (Number.isNaN(from) || Number.isNaN(to)) return odataError(400, 'ErrorInvalidParameter', 'startDateTime and endDateTime are required.');
			const value = [...this.mailbox(m[1]).values()].filter((e) => e._startUtc < to && e._endUtc > from).sort((a, b) => a._startUtc - b._startUtc);
			return { status: 200, body: { value: value.map((e) => this.view(e, query.$expand)) } };
		}
		if ((m = /^\/users\/([^/]+)\/calendar\/getSchedule$/.exec(path)) && method === 'POST') {
			const start = toUtc(body.startTime ?? body.StartTime);
			const end = toUtc(body.endTime ?? body.EndTime);
			const interval = body.availabilityViewInterval ?? body.AvailabilityViewInterval ?? 30;
			const rank = { free: 0, tentative: 1, busy: 2, oof: 3, workingElsewhere: 0 };
			const value = (body.schedules ?? body.Schedules).map((scheduleId) => {
				const items = [...this.mailbox(scheduleId).values()].filter((e) => !e.isCancelled && e._startUtc < end.toMillis() && e._endUtc > start.toMillis() && e.showAs !== 'free');
				let view = '';
				for (let t = start; t < end; t = t.plus({ minutes: interval })) {
					const a = t.toMillis();
					const b = t.plus({ minutes: interval }).toMillis();
					view += String(Math.max(0, ...items.filter((e) => e._startUtc < b && e._endUtc > a).map((e) => rank[e.showAs] ?? 2)));
				}
				return {
					scheduleId,
					availabilityView: view,
					scheduleItems: items.map((e) => ({ status: e.showAs ?? 'busy', start: utcDtz(DateTime.fromMillis(e._startUtc)), end: utcDtz(DateTime.fromMillis(e._endUtc)) })),
				};
			});
			return { status: 200, body: { value } };
		}
		return odataError(400, 'BadRequest', `Unsupported ${method} ${path}`);
	}

	/** The client-credentials token endpoint (form fields already parsed). */
	token(form) {
		const check = schemas().tokenRequest(form);
		if (!check) {
			this.invalid.push({ method: 'POST', path: '/oauth2/v2.0/token', errors: schemas().tokenRequest.errors.map((e) => e.message), body: { ...form, client_secret: '***' } });
			return { status: 400, body: { error: 'invalid_request', error_description: 'AADSTS900144: The request body is not valid.' } };
		}
		if (this.opts.clientSecret && form.client_secret !== this.opts.clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
		const token = `fake-token-${this.nextId++}`;
		this.tokens.add(token);
		return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
	}
}

module.exports = { GraphModel, validateRequest, SPEC_PATH };
