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
