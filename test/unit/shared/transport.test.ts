import nock from 'nock';
import type { ICredentialType, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { vendorRequest, setTransportClock } from '../../../nodes/shared/transport/request';
import { resetRateLimiters, TokenBucket } from '../../../nodes/shared/transport/rateLimiter';
import { parseRetryAfter, backoffDelayMs, DEFAULT_RETRY_POLICY } from '../../../nodes/shared/transport/retry';
import { createFakeContext } from '../../helpers/n8nContext';

const credentialType: ICredentialType = {
	name: 'testApi',
	displayName: 'Test',
	properties: [],
	authenticate: { type: 'generic', properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } } },
};

const BASE = 'https://vendor.test';
let slept: number[];
let now: number;

function ctx() {
	return createFakeContext({ credentials: { testApi: { apiKey: 'k-123' } }, credentialTypes: [credentialType] }) as unknown as IExecuteFunctions;
}

function call(c: IExecuteFunctions, extra: Partial<Parameters<typeof vendorRequest>[0]> = {}) {
	return vendorRequest.call(c, { vendor: 'Vendor', credentialType: 'testApi', method: 'GET', baseUrl: BASE, url: '/things', ...extra });
}

beforeEach(() => {
	slept = [];
	now = 1_000_000;
	setTransportClock({ now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)), random: () => 0.5 });
	resetRateLimiters();
	nock.disableNetConnect();
});
afterEach(() => {
	nock.cleanAll();
	setTransportClock(undefined);
});

describe('vendorRequest', () => {
	it('sends the credential header and returns the body', async () => {
		const scope = nock(BASE).get('/things').matchHeader('x-api-key', 'k-123').reply(200, { ok: true });
		const res = await call(ctx());
		expect(res.body).toEqual({ ok: true });
		expect(res.attempts).toBe(1);
		scope.done();
	});

	it('honours Retry-After in seconds on 429, then succeeds', async () => {
		nock(BASE).get('/things').reply(429, { message: 'slow down' }, { 'Retry-After': '3' }).get('/things').reply(200, { ok: 1 });
		const res = await call(ctx());
		expect(res.attempts).toBe(2);
		expect(slept[0]).toBeGreaterThanOrEqual(3000);
		expect(slept[0]).toBeLessThan(3200);
	});

	it('honours Retry-After as an HTTP date', () => {
		expect(parseRetryAfter(new Date(5_000).toUTCString(), 0)).toBe(5000);
		expect(parseRetryAfter('garbage', 0)).toBeUndefined();
	});

	it('backs off exponentially on 503 without Retry-After', async () => {
		nock(BASE).get('/things').times(2).reply(503, 'unavailable').get('/things').reply(200, {});
		await call(ctx());
		expect(slept).toEqual([backoffDelayMs(0, DEFAULT_RETRY_POLICY, () => 0.5), backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.5)]);
		expect(slept[1]).toBeGreaterThan(slept[0]);
	});

	it('does not retry a non-idempotent POST on 503 (it may have been processed)', async () => {
		const scope = nock(BASE).post('/things').reply(503, { message: 'busy' });
		await expect(call(ctx(), { method: 'POST', body: { a: 1 } })).rejects.toBeInstanceOf(NodeApiError);
		scope.done();
		expect(slept).toEqual([]);
	});

	it('retries a POST on 429 (rejected, not processed) and when marked idempotent', async () => {
		nock(BASE).post('/things').reply(429, {}).post('/things').reply(202, { queued: true });
		await expect(call(ctx(), { method: 'POST', body: {} })).resolves.toMatchObject({ statusCode: 202 });
		nock(BASE).post('/things').reply(504, {}).post('/things').reply(200, {});
		await expect(call(ctx(), { method: 'POST', body: {}, idempotent: true })).resolves.toMatchObject({ attempts: 2 });
	});

	it('gives up after maxRetries and names the vendor message and field', async () => {
		nock(BASE).get('/things').times(5).reply(429, { errors: [{ detail: 'Too many', source: { pointer: '/data' } }] });
		const err = (await call(ctx()).catch((e) => e)) as NodeApiError;
		expect(err).toBeInstanceOf(NodeApiError);
		expect(err.message).toContain('Too many');
		expect(err.message).toContain('/data');
		expect(err.httpCode).toBe('429');
		expect(slept).toHaveLength(4);
	});

	it('maps a JSON:API 400 to a NodeApiError naming source.pointer, without retrying', async () => {
		nock(BASE).post('/things').reply(400, { errors: [{ code: 'invalid', detail: 'Invalid email address', source: { pointer: '/data/attributes/email' } }] });
		const err = (await call(ctx(), { method: 'POST', body: {} }).catch((e) => e)) as NodeApiError;
		expect(err.message).toBe('Vendor rejected the request: Invalid email address (field /data/attributes/email)');
		expect(err.context.field).toBe('/data/attributes/email');
	});

	it('retries timeouts for idempotent calls and reports the network code at the end', async () => {
		const scope = nock(BASE).get('/things').times(2).delay(300).reply(200, {});
		const err = (await call(ctx(), { timeoutMs: 30, retry: { maxRetries: 1 } }).catch((e) => e)) as NodeApiError;
		expect(err).toBeInstanceOf(NodeApiError);
		expect(err.context.networkCode).toBe('ECONNABORTED');
		expect(err.description).toContain('GET /things failed after 2 attempts');
		expect(slept).toHaveLength(1);
		scope.done();
	});

	it('handles malformed error bodies', async () => {
		nock(BASE).get('/things').reply(500, '<html>oops</html>', { 'content-type': 'text/html' });
		const err = (await call(ctx(), { retry: { maxRetries: 0 } }).catch((e) => e)) as NodeApiError;
		expect(err.message).toContain('<html>oops</html>');
		expect(err.httpCode).toBe('500');
	});
});

describe('TokenBucket', () => {
	it('allows the burst, then spaces requests at the steady rate', () => {
		const b = new TokenBucket(3, 10, 0);
		expect([b.reserve(0), b.reserve(0), b.reserve(0)]).toEqual([0, 0, 0]);
		expect(b.reserve(0)).toBe(100);
		expect(b.reserve(0)).toBe(200);
	});
	it('refunds the token of a 429 and blocks the bucket only when 429s are sustained', () => {
		const b = new TokenBucket(5, 5, 0);
		b.reserve(0);
		b.refund(0);
		expect(b.available(0)).toBe(5);
		// A stray 429 among successes does not block everyone.
		for (let i = 0; i < 30; i++) expect(b.recordThrottled(false)).toBe(false);
		expect(b.recordThrottled(true)).toBe(false);
		// Sustained 429s do; the block is a ceiling, not a sum.
		let sustained = false;
		for (let i = 0; i < 20; i++) sustained = b.recordThrottled(true) || sustained;
		expect(sustained).toBe(true);
		b.block(0, 2000);
		b.block(0, 2000);
		expect(b.reserve(0)).toBe(2000);
	});
	it('waits out Retry-After for the throttled request only, not for the next one', async () => {
		nock(BASE).get('/things').reply(429, {}, { 'Retry-After': '2' }).get('/things').times(2).reply(200, {});
		const c = ctx();
		const rateLimit = { key: 'test:stray', burst: 10, perSecond: 10 };
		await call(c, { rateLimit });
		expect(slept).toHaveLength(1);
		expect(slept[0]).toBeGreaterThanOrEqual(2000);
		await call(c, { rateLimit });
		expect(slept).toHaveLength(1);
	});
	it('rate-limits vendorRequest calls through the shared bucket', async () => {
		nock(BASE).get('/things').times(4).reply(200, {});
		const c = ctx();
		const rateLimit = { key: 'test:events', burst: 2, perSecond: 1 };
		for (let i = 0; i < 4; i++) await call(c, { rateLimit });
		expect(slept.length).toBe(2);
		expect(slept.every((ms) => ms >= 900)).toBe(true);
	});
});
