// Fake of Peek Pro's automation API (contracts/PEEK.md §1) for the real-n8n integration suite and
// benches. In-memory, loopback only, records every request. Plus builders for a sample booking and
// a sample delivery body of every payload shape the trigger accepts.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

export const DEFAULT_API_KEY = 'peek-test-key';

const SAMPLES = JSON.parse(readFileSync(new URL('./peek-samples.json', import.meta.url), 'utf8'));
const clone = (v) => JSON.parse(JSON.stringify(v));

/** A booking as the fake's `GET /bookings/:id` serves it (the automation API shape we assume). */
export function samplePeekBooking(overrides = {}) {
	return { ...clone(SAMPLES.booking), ...overrides };
}

/**
 * A delivery body for each shape in PEEK.md (fixtures in peek-samples.json, shared with the unit
 * tests). `id` replaces the booking id the body names, so a fake store seeded with
 * `samplePeekBooking({ id })` verifies it; `event` replaces the event name where the shape has one.
 */
export function sampleDelivery(shape = 'peek_automation_api', { id, event } = {}) {
	if (!SAMPLES.deliveries[shape]) throw new Error(`unknown shape ${shape}`);
	let text = JSON.stringify(SAMPLES.deliveries[shape]);
	if (id) text = text.replaceAll('"b_1001"', JSON.stringify(id)).replaceAll('"evt_b_1001"', JSON.stringify(`evt_${id}`));
	const body = JSON.parse(text);
	if (event) {
		if ('eventType' in body) body.eventType = event;
		else body.event = event;
	}
	return body;
}

export const DELIVERY_SHAPES = [
	'seed_flat',
	'seed_marketing',
	'seed_nested',
	'seed_slot',
	'seed_waitlist',
	'peek_automation_api',
	'peek_app_platform',
	'peek_waiver',
	'octo',
];

/** HMAC-SHA256 signature headers for a body, as the trigger's HMAC check expects them. */
export function signDelivery(secret, rawBody, { encoding = 'hex', prefix = true, timestamp, header = 'x-peek-signature', timestampHeader = 'x-peek-timestamp' } = {}) {
	const hmac = createHmac('sha256', secret);
	if (timestamp !== undefined) hmac.update(`${timestamp}.`);
	const sig = hmac.update(rawBody).digest(encoding);
	const headers = { [header]: `${prefix ? 'sha256=' : ''}${sig}` };
	if (timestamp !== undefined) headers[timestampHeader] = String(timestamp);
	return headers;
}

function json(res, status, body) {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

export async function startPeekFake(opts = {}) {
	const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
	const state = {
		bookings: new Map(),
		guests: new Map(),
		timeslots: new Map(),
		products: new Map(),
		users: new Map(),
		webhooks: new Map(),
		account: { id: 'acct_1', name: 'Test Tours Co', timezone: 'America/Denver' },
		dailyNote: { date: new Date().toISOString().slice(0, 10), note: '' },
	};
	const requests = [];
	let nextWebhook = 1;
	// Per-path forced failures for retry tests: fake.failNext('/bookings/b_1', 503, 2).
	const failures = new Map();
	// Whole-API outage (fake.setOutage(true)): every API call answers 503 until switched off.
	let outage = false;

	function seed() {
		state.bookings.clear();
		state.guests.clear();
		state.timeslots.clear();
		state.products.clear();
		state.users.clear();
		state.webhooks.clear();
		failures.clear();
		nextWebhook = 1;
		if (opts.seed !== false) {
			const b = samplePeekBooking();
			state.bookings.set(b.id, b);
			state.guests.set(b.id, [{ id: 'g_1', name: 'Ada Lovelace', email: 'ada@example.com' }, { id: 'g_2', name: 'Guest Two' }]);
			state.timeslots.set('ts_1', { id: 'ts_1', productId: 'p_kayak', date: '2026-07-01', startTime: '2026-07-01T18:00:00-06:00', status: 'BOOKABLE', notes: '', bookedCount: 2, capacity: 8 });
			state.products.set('p_kayak', { id: 'p_kayak', name: 'Sunset Kayak Tour' });
			state.users.set('u_1', { id: 'u_1', name: 'Owner', email: 'owner@example.com' });
		}
	}
	seed();

	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url, 'http://127.0.0.1');
			const rawText = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try {
				body = rawText ? JSON.parse(rawText) : null;
			} catch {
				body = rawText;
			}
			const path = url.pathname.replace(/^\/n8n\/api\/v1/, '').replace(/\/+$/, '') || '/';
			requests.push({ method: req.method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
			if (req.headers['x-api-key'] !== apiKey) return json(res, 401, { message: 'Invalid API key' });
			// Sandbox-only route (demo and tests): seed bookings and products over HTTP.
			if (req.method === 'POST' && path === '/__sandbox/seed') {
				for (const b of body?.bookings ?? []) state.bookings.set(String(b.id), b);
				for (const p of body?.products ?? []) state.products.set(String(p.id), p);
				return json(res, 200, { bookings: state.bookings.size, products: state.products.size });
			}
			if (outage) return json(res, 503, { message: 'Service unavailable (sandbox outage)' });
			const forced = failures.get(path);
			if (forced && forced.times > 0) {
				forced.times--;
				return json(res, forced.status, { message: 'forced failure' });
			}
			try {
				route(req.method, path, url.searchParams, body, res);
			} catch (error) {
				json(res, 500, { message: String(error?.message ?? error) });
			}
		});
	});

	function route(method, path, q, body, res) {
		const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
		const [root, id, sub] = parts;
		if (method === 'GET' && path === '/ping') return json(res, 200, { ok: true });
		if (root === 'accounts' && id === 'current' && method === 'GET') return json(res, 200, state.account);
		if (root === 'webhooks') {
			if (!id && method === 'POST') {
				if (!body?.url || !Array.isArray(body.eventTypes)) return json(res, 400, { message: 'url and eventTypes are required', field: 'url' });
				if ([...state.webhooks.values()].some((w) => w.url === body.url)) return json(res, 409, { message: 'A webhook with this URL already exists' });
				const hook = { id: `wh_${nextWebhook++}`, url: body.url, eventTypes: body.eventTypes, active: body.active !== false, description: body.description };
				state.webhooks.set(hook.id, hook);
				return json(res, 201, hook);
			}
			if (!id && method === 'GET') return json(res, 200, [...state.webhooks.values()]);
			const hook = state.webhooks.get(id);
			if (!hook) return json(res, 404, { message: 'Webhook not found' });
			if (method === 'GET') return json(res, 200, hook);
			if (method === 'DELETE') {
				state.webhooks.delete(id);
				return json(res, 200, { id, deleted: true });
			}
		}
		if (root === 'bookings') {
			if (!id && method === 'GET') {
				let list = [...state.bookings.values()];
				if (q.get('timeslotId')) list = list.filter((b) => b.timeslotId === q.get('timeslotId'));
				if (q.get('productId')) list = list.filter((b) => b.product?.id === q.get('productId'));
				if (q.get('email')) list = list.filter((b) => b.purchaser?.email?.toLowerCase() === q.get('email').toLowerCase());
				const field = q.get('searchBy') === 'purchaseDate' ? 'purchasedAt' : 'startTime';
				const start = q.get('start') ? Date.parse(q.get('start')) : -Infinity;
				const end = q.get('end') ? Date.parse(q.get('end')) : Infinity;
				list = list.filter((b) => !b[field] || (Date.parse(b[field]) >= start && Date.parse(b[field]) <= end));
				return json(res, 200, list);
			}
			const booking = state.bookings.get(id);
			if (!booking) return json(res, 404, { message: 'Booking not found' });
			if (!sub && method === 'GET') return json(res, 200, booking);
			if (sub === 'guests' && method === 'GET') return json(res, 200, state.guests.get(id) ?? []);
			if (sub === 'notes' && method === 'POST') {
				if (typeof body?.note !== 'string') return json(res, 400, { message: 'note is required', field: 'note' });
				const mode = body.appendOrOverwrite ?? 'append';
				booking.notes = mode === 'overwrite' || !booking.notes ? body.note : `${booking.notes}\n${body.note}`;
				return json(res, 200, { id, notes: booking.notes });
			}
			if (sub === 'checkin' && method === 'POST') {
				booking.checkedIn = body?.checkedIn !== false;
				return json(res, 200, { id, checkedIn: booking.checkedIn });
			}
		}
		if (root === 'timeslots') {
			if (!id && method === 'GET') {
				let list = [...state.timeslots.values()];
				if (q.get('productId')) list = list.filter((t) => t.productId === q.get('productId'));
				if (q.get('date')) list = list.filter((t) => t.date === q.get('date'));
				if (q.get('filterBookings') === 'withBookings') list = list.filter((t) => t.bookedCount > 0);
				if (q.get('filterBookings') === 'withoutBookings') list = list.filter((t) => !t.bookedCount);
				return json(res, 200, list);
			}
			const slot = state.timeslots.get(id);
			if (!slot) return json(res, 404, { message: 'Timeslot not found' });
			if (method === 'GET') return json(res, 200, slot);
			if (method === 'POST') {
				if (body?.status !== undefined) {
					if (!['BOOKABLE', 'BLOCKED', 'CALL_TO_BOOK'].includes(body.status)) return json(res, 400, { message: 'invalid status', field: 'status' });
					slot.status = body.status;
				}
				if (body?.notes !== undefined) slot.notes = body.notes;
				return json(res, 200, slot);
			}
		}
		if (root === 'products' || root === 'users') {
			const map = state[root];
			if (!id && method === 'GET') return json(res, 200, [...map.values()]);
			const found = map.get(id);
			return found ? json(res, 200, found) : json(res, 404, { message: `${root.slice(0, -1)} not found` });
		}
		if (root === 'dailyNote' && id === 'today') {
			if (method === 'GET') return json(res, 200, state.dailyNote);
			if (method === 'POST') {
				state.dailyNote.note = String(body?.note ?? '');
				return json(res, 200, state.dailyNote);
			}
		}
		return json(res, 404, { message: `No route ${method} ${path}` });
	}

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		apiKey,
		requests,
		...state,
		/** Forces the next `times` requests to `path` to answer `status`. */
		failNext(path, status = 503, times = 1) {
			failures.set(path, { status, times });
		},
		/** Switches a whole-API outage on or off (every API call answers 503 while on). */
		setOutage(on) {
			outage = Boolean(on);
		},
		reset() {
			requests.length = 0;
			outage = false;
			seed();
		},
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** sha256 of a body, as the trigger keys duplicate bodies. */
export function bodyHash(raw) {
	return createHash('sha256').update(raw).digest('hex');
}
