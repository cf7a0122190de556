import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { PeekProTrigger } from '../../../nodes/PeekProTrigger/PeekProTrigger.node';
import { resetDedupeCache } from '../../../nodes/PeekProTrigger/dedupe';
import { asWebhook, ctxWith, delivery, SECRET, useTriggerLifecycle } from './helpers';

/**
 * Version 1.1's one Authentication selector (issue 17) and version 1's two selectors guard the same
 * way: what reaches the workflow is what the chosen check let through.
 */
const trigger = new PeekProTrigger();
const state = useTriggerLifecycle(Date.parse('2026-07-01T12:00:00Z'));

async function deliver(typeVersion: number, params: IDataObject, { headers = {}, query }: { headers?: Record<string, string>; query?: IDataObject } = {}) {
	const body = delivery('seed_flat');
	const raw = JSON.stringify(body);
	const ctx = ctxWith({
		parameters: { events: ['*'], verifyByFetch: false, options: {}, ...params },
		request: { body, rawBody: Buffer.from(raw), headers: { 'content-type': 'application/json', ...headers }, query },
		staticData: state.staticData,
		node: { id: 'trigger-auth', typeVersion },
	});
	const result = await trigger.webhook.call(asWebhook(ctx));
	resetDedupeCache();
	state.staticData = {};
	return { status: ctx.response.statusCode, items: result.workflowData?.[0] ?? [], raw };
}

describe('Peek Pro Trigger 1.1: one Authentication selector', () => {
	it('Secret in a Header: the right token starts the workflow, a wrong or missing one is answered 401', async () => {
		const params = { authentication: 'headerSecret', authHeaderName: 'x-peek-token' };
		expect((await deliver(1.1, params, { headers: { 'x-peek-token': SECRET } })).items).toHaveLength(1);
		const wrong = await deliver(1.1, params, { headers: { 'x-peek-token': 'wrong' } });
		expect([wrong.status, wrong.items.length]).toEqual([401, 0]);
		expect((await deliver(1.1, params)).status).toBe(401);
	});

	it('Secret in a Query Parameter', async () => {
		const params = { authentication: 'querySecret', authQueryParameterName: 'token' };
		expect((await deliver(1.1, params, { query: { token: SECRET } })).items).toHaveLength(1);
		expect((await deliver(1.1, params, { query: { token: 'nope' } })).status).toBe(401);
	});

	it('HMAC Signature: a valid signature passes and the item says hmac; a bad one is 401', async () => {
		const raw = JSON.stringify(delivery('seed_flat'));
		const good = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
		// n8n fills a shown parameter's default; the fake context does not, so the defaults are given.
		const hmac = { authentication: 'hmac', signatureHeader: 'x-peek-signature', signatureEncoding: 'auto', timestampHeader: '', replayWindowSeconds: 300 };
		const ok = await deliver(1.1, hmac, { headers: { 'x-peek-signature': good } });
		expect(ok.items).toHaveLength(1);
		expect((ok.items[0].json.verification as IDataObject).methods).toContain('hmac');
		expect((await deliver(1.1, hmac, { headers: { 'x-peek-signature': 'sha256=00' } })).status).toBe(401);
	});

	it('None lets a delivery through with no method claimed', async () => {
		const { items } = await deliver(1.1, { authentication: 'none' });
		expect((items[0].json.verification as IDataObject).methods).toEqual([]);
	});

	it('version 1.1 ignores version 1 selectors left in the parameters', async () => {
		// A workflow converted by hand may still carry sharedSecret: it must not silently add a check.
		const { items } = await deliver(1.1, { authentication: 'none', sharedSecret: 'header', authHeaderName: 'x-peek-token' });
		expect(items).toHaveLength(1);
	});
});

describe('Peek Pro Trigger 1: saved workflows keep their two selectors', () => {
	it('Shared Secret in a header still guards a version 1 node', async () => {
		const params = { signature: 'none', sharedSecret: 'header', authHeaderName: 'x-peek-token' };
		expect((await deliver(1, params, { headers: { 'x-peek-token': SECRET } })).items).toHaveLength(1);
		expect((await deliver(1, params)).status).toBe(401);
	});

	it('a version 1 node ignores an Authentication parameter it never had', async () => {
		expect((await deliver(1, { signature: 'none', sharedSecret: 'header', authHeaderName: 'x-peek-token', authentication: 'none' })).status).toBe(401);
	});
});

describe('Peek Pro Trigger: a request that cannot pass is refused before the credential is read', () => {
	// Reading the credential is most of what n8n spends on a rejected request (README, "Bad input at
	// volume"): a flood of unsigned, stale or garbled requests must be refused without it.
	const NOW = Date.parse('2026-07-01T12:00:00Z');
	const hmac = { authentication: 'hmac', signatureHeader: 'x-peek-signature', signatureEncoding: 'auto', timestampHeader: 'x-peek-timestamp', replayWindowSeconds: 300 };
	const raw = JSON.stringify(delivery('seed_flat'));
	const sign = (ts: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;

	async function reads(params: IDataObject, headers: Record<string, string>, query?: IDataObject) {
		const ctx = ctxWith({
			parameters: { events: ['*'], verifyByFetch: false, options: {}, ...params },
			request: { body: JSON.parse(raw), rawBody: Buffer.from(raw), headers: { 'content-type': 'application/json', ...headers }, query },
			staticData: state.staticData,
			node: { id: 'trigger-screen', typeVersion: 1.1 },
		});
		const spy = jest.spyOn(ctx, 'getCredentials');
		const result = await trigger.webhook.call(asWebhook(ctx));
		resetDedupeCache();
		state.staticData = {};
		const body = ctx.response.body as IDataObject | undefined;
		return { status: ctx.response.statusCode, message: body?.message, credentialReads: spy.mock.calls.length, started: (result.workflowData?.[0] ?? []).length };
	}

	it.each([
		['no signature', {}, 'Missing signature header x-peek-signature'],
		['no timestamp', { 'x-peek-signature': sign(String(NOW / 1000)) }, 'Missing timestamp header x-peek-timestamp'],
		['a stale timestamp', { 'x-peek-signature': sign(String(NOW / 1000 - 3600)), 'x-peek-timestamp': String(NOW / 1000 - 3600) }, 'Timestamp outside the 300 s replay window'],
		['a timestamp that is not a time', { 'x-peek-signature': sign('soon'), 'x-peek-timestamp': 'soon' }, 'Timestamp header x-peek-timestamp is not a time'],
		['a signature that is no HMAC-SHA256', { 'x-peek-signature': 'sha256=not-a-signature', 'x-peek-timestamp': String(NOW / 1000) }, 'Signature header x-peek-signature is not a hex or base64 HMAC-SHA256'],
	])('HMAC, %s: 401 naming what is missing, credential never read', async (_case, headers, message) => {
		expect(await reads(hmac, headers)).toEqual({ status: 401, message, credentialReads: 0, started: 0 });
	});

	it('HMAC, a well-formed fresh signature made with another secret: the credential is read, and the answer is 401 "does not match"', async () => {
		const ts = String(NOW / 1000);
		expect(await reads(hmac, { 'x-peek-signature': sign(ts, 'whsec_someone_else'), 'x-peek-timestamp': ts })).toEqual({ status: 401, message: 'Signature does not match the body', credentialReads: 1, started: 0 });
	});

	it('HMAC, the right signature: read once, and the delivery starts the workflow', async () => {
		const ts = String(NOW / 1000);
		expect(await reads(hmac, { 'x-peek-signature': sign(ts), 'x-peek-timestamp': ts })).toMatchObject({ status: 200, credentialReads: 1, started: 1 });
	});

	it('Shared secret missing from the header or the query: 401 without reading the credential; present but wrong: read, 401', async () => {
		expect(await reads({ authentication: 'headerSecret', authHeaderName: 'x-peek-token' }, {})).toEqual({ status: 401, message: 'Missing shared secret (header x-peek-token)', credentialReads: 0, started: 0 });
		expect(await reads({ authentication: 'querySecret', authQueryParameterName: 'token' }, {}, {})).toEqual({ status: 401, message: 'Missing shared secret (query parameter token)', credentialReads: 0, started: 0 });
		expect(await reads({ authentication: 'headerSecret', authHeaderName: 'x-peek-token' }, { 'x-peek-token': 'guess' })).toEqual({ status: 401, message: 'Shared secret (header x-peek-token) does not match', credentialReads: 1, started: 0 });
	});
});
