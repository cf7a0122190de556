import nock from 'nock';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { PeekProTrigger } from '../../../nodes/PeekProTrigger/PeekProTrigger.node';
import { resetDedupeCache } from '../../../nodes/PeekProTrigger/dedupe';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { asWebhook, BASE, ctxWith, delivery, peekBooking, SHAPES } from './helpers';

/** mulberry32: a seeded PRNG so a failure reproduces from its seed. */
function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SEED = 20261123;
const rand = prng(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const WEIRD: unknown[] = [null, true, 0, -1, 1e308, NaN, '', ' ', 'x'.repeat(5000), '2026-13-45T99:99:99Z', '💥', [], {}, [1, 'a'], { __proto__: { polluted: 1 } }, 'booking.created', 'b_1001'];

function randomValue(depth: number): unknown {
	const r = rand();
	if (depth > 3 || r < 0.4) return pick(WEIRD);
	if (r < 0.7) {
		const o: IDataObject = {};
		for (let i = 0, n = Math.floor(rand() * 5); i < n; i++) o[pick(['id', 'data', 'event', 'booking', 'status', 'customer', 'a', 'eventType'])] = randomValue(depth + 1) as IDataObject;
		return o;
	}
	return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
}

/** Mutates a valid delivery: drop, retype or replace a random field at a random depth. */
function mutate(value: unknown, depth = 0): unknown {
	if (value === null || typeof value !== 'object' || depth > 4) return rand() < 0.3 ? randomValue(0) : value;
	const copy: IDataObject = Array.isArray(value) ? ([...value] as unknown as IDataObject) : { ...(value as IDataObject) };
	const keys = Object.keys(copy);
	if (!keys.length) return copy;
	const key = pick(keys);
	const r = rand();
	if (r < 0.25) delete copy[key];
	else if (r < 0.5) copy[key] = randomValue(0) as IDataObject;
	else copy[key] = mutate(copy[key], depth + 1) as IDataObject;
	return copy;
}

function randomRaw(): string {
	const r = rand();
	if (r < 0.1) return Array.from({ length: Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
	if (r < 0.2) return JSON.stringify(randomValue(0));
	let body: unknown = delivery(pick(SHAPES));
	for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) body = mutate(body);
	const text = JSON.stringify(body) ?? 'null';
	return r < 0.3 ? text.slice(0, Math.floor(rand() * text.length)) : text;
}

describe(`fuzz: 1,000 random and malformed deliveries (seed ${SEED})`, () => {
	beforeAll(() => {
		nock.disableNetConnect();
		// Peek knows b_1001 only; every other id is a 404, as a forged delivery would be.
		nock(BASE).persist().get('/bookings/b_1001').reply(200, peekBooking());
		nock(BASE).persist().get(/\/bookings\/.+/).reply(404, { message: 'Booking not found' });
		let t = 0;
		setTransportClock({ now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 });
	});
	afterAll(() => {
		nock.cleanAll();
		setTransportClock(undefined);
	});

	it('each is normalized or rejected with 4xx; none throws or hangs', async () => {
		const trigger = new PeekProTrigger();
		const tally = { emitted: 0, ignored: 0, duplicate: 0, rejected4xx: 0 };
		for (let n = 0; n < 1000; n++) {
			resetDedupeCache();
			resetRateLimiters();
			const raw = randomRaw();
			const ctx = ctxWith({
				parameters: { events: ['*'], verifyByFetch: rand() < 0.5, signature: 'none', sharedSecret: 'none', options: { acceptUnverifiable: true } },
				request: { rawBody: Buffer.from(raw), headers: { 'content-type': 'application/json' } },
			});
			let thrown: unknown;
			const result: IWebhookResponseData = await trigger.webhook.call(asWebhook(ctx)).catch((error: unknown) => {
				thrown = error;
				return {};
			});
			// Reported with the input, so a failure reproduces from the seed and the body.
			expect({ n, raw: thrown ? raw.slice(0, 300) : '', thrown: thrown ? String(thrown) : undefined }).toEqual({ n, raw: '', thrown: undefined });
			if (result.workflowData) {
				const json = result.workflowData[0][0].json;
				expect(typeof json.id === 'string' || json.kind === 'resource' || json.kind === 'customer').toBe(true);
				expect(typeof json.event).toBe('string');
				tally.emitted++;
			} else if (result.noWebhookResponse) {
				expect([400, 401]).toContain(ctx.response.statusCode);
				tally.rejected4xx++;
			} else if ((result.webhookResponse as IDataObject)?.duplicate) tally.duplicate++;
			else tally.ignored++;
		}
		expect(tally.emitted + tally.ignored + tally.duplicate + tally.rejected4xx).toBe(1000);
		// The generator must exercise both paths, or the test proves nothing.
		expect(tally.emitted).toBeGreaterThan(50);
		expect(tally.rejected4xx).toBeGreaterThan(50);
	}, 30_000);
});
