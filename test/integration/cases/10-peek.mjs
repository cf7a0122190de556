// Peek Pro Trigger in the real n8n, against the loopback fake of Peek's API: activation registers
// the webhook at Peek, deactivation deletes it, a delivery to the production URL starts exactly one
// execution whose output is the canonical booking, repeats start none, and a bad HMAC starts none.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { samplePeekBooking, sampleDelivery, signDelivery } from '../../fakes/peek.mjs';

const PLAIN = { id: 'PeekE2eTrigger01', webhookId: '7d1f0c55-6a0e-4f53-9d43-5e2a4c1e0001', out: '/peek-out' };
const HMAC = { id: 'PeekE2eHmac00001', webhookId: '7d1f0c55-6a0e-4f53-9d43-5e2a4c1e0002', out: '/peek-hmac-out' };
const HMAC_SECRET = 'whsec_integration_0123456789';

const productionUrl = (host, wf) => `${host.baseUrl}/webhook/${wf.webhookId}/webhook`;

/** Points the workflow's outbound HTTP node at the recorder and, optionally, at another credential. */
async function wire(host, recorder, wf, credential) {
	const stored = await host.rest('GET', `/rest/workflows/${wf.id}`);
	const nodes = stored.nodes.map((n) => {
		if (n.type === 'n8n-nodes-base.httpRequest') return { ...n, parameters: { ...n.parameters, url: `${recorder.url}${wf.out}` } };
		if (credential && n.type === 'n8n-nodes-peekpro-ai.peekProTrigger') return { ...n, credentials: { peekProAiPeekProApi: credential } };
		return n;
	});
	await host.rest('PATCH', `/rest/workflows/${wf.id}`, { nodes, versionId: stored.versionId });
}

async function deliver(host, wf, body, headers = {}) {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const res = await fetch(productionUrl(host, wf), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
	return { status: res.status, text: await res.text() };
}

const settle = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, predicate, timeoutMs = 15_000) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		if (await predicate()) return;
		await settle(200);
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Publishing returns before n8n has finished activating the trigger (webhook registration runs in
 * the background), so wait until Peek has the registration and n8n serves the production URL (an
 * event the trigger does not listen to starts nothing).
 */
async function activateAndWait(host, fakes, wf) {
	await host.activate(wf.id);
	const url = productionUrl(host, wf);
	await until('the registration at Peek', () => [...fakes.peek.webhooks.values()].some((h) => h.url === url));
	await until('n8n to serve the production URL', async () => (await deliver(host, wf, { event: 'waiver.signed', id: 'probe' })).status !== 404);
}

async function deactivateAndWait(host, fakes, wf) {
	await host.deactivate(wf.id);
	const url = productionUrl(host, wf);
	await until('the registration to be deleted at Peek', () => ![...fakes.peek.webhooks.values()].some((h) => h.url === url));
}

export async function register(getEnv) {
	test('Peek Pro Trigger: activation registers the production URL at Peek, deactivation deletes it', async () => {
		const { host, fakes } = getEnv();
		assert.ok(fakes.peek, 'the Peek fake must be running');
		await wire(host, fakes.recorder, PLAIN);
		await activateAndWait(host, fakes, PLAIN);
		const url = productionUrl(host, PLAIN);
		const registered = [...fakes.peek.webhooks.values()].filter((h) => h.url === url);
		assert.equal(registered.length, 1, `expected one registration of ${url}, saw ${JSON.stringify([...fakes.peek.webhooks.values()])}`);
		assert.deepEqual([...registered[0].eventTypes].sort(), ['booking.created', 'booking.updated']);
		const post = fakes.peek.requests.find((r) => r.method === 'POST' && r.path === '/webhooks');
		assert.equal(post.headers['x-api-key'], 'peek-test-key');

		await deactivateAndWait(host, fakes, PLAIN);
		assert.equal([...fakes.peek.webhooks.values()].filter((h) => h.url === url).length, 0, 'deactivation must delete the registration');
		assert.ok(fakes.peek.requests.some((r) => r.method === 'DELETE' && r.path === `/webhooks/${registered[0].id}`));
	});

	test('Peek Pro Trigger: one delivery starts one execution that outputs the canonical booking from Peek', async () => {
		const { host, fakes } = getEnv();
		await activateAndWait(host, fakes, PLAIN);
		const before = (await host.executions(PLAIN.id)).length;
		// Peek's record says 4 guests; the forged delivery claims 1. Verify-by-fetch must win.
		fakes.peek.bookings.set('b_e2e_1', samplePeekBooking({ id: 'b_e2e_1' }));
		const delivery = sampleDelivery('peek_automation_api', { id: 'b_e2e_1' });
		const res = await deliver(host, PLAIN, delivery);
		assert.equal(res.status, 200, res.text);
		const sent = await fakes.recorder.waitFor((r) => r.path === PLAIN.out && r.body?.id === 'b_e2e_1');
		assert.equal(sent.body.schema, 'peekpro-ai/canonical@1');
		assert.equal(sent.body.source, 'peek_automation_api');
		assert.equal(sent.body.event, 'booking.created');
		assert.ok(sent.body.raw, 'the raw payload travels beside the canonical booking');
		assert.ok(fakes.peek.requests.some((r) => r.method === 'GET' && r.path === '/bookings/b_e2e_1'), 'the booking was re-read from Peek');
		const finished = await host.waitForExecutions(PLAIN.id, before + 1);
		assert.equal(finished.length, before + 1);
		assert.equal(finished[0].status, 'success');
	});

	test('Peek Pro Trigger: the same body three times starts one execution; an unknown booking id none', async () => {
		const { host, fakes } = getEnv();
		fakes.peek.bookings.set('b_e2e_dup', samplePeekBooking({ id: 'b_e2e_dup' }));
		const before = (await host.executions(PLAIN.id)).length;
		const body = JSON.stringify(sampleDelivery('peek_automation_api', { id: 'b_e2e_dup' }));
		for (let i = 0; i < 3; i++) assert.equal((await deliver(host, PLAIN, body)).status, 200);
		await fakes.recorder.waitFor((r) => r.path === PLAIN.out && r.body?.id === 'b_e2e_dup');
		await settle(1500);
		const after = await host.waitForExecutions(PLAIN.id, before + 1);
		assert.equal(after.length, before + 1, 'three identical deliveries must start exactly one execution');
		assert.equal(fakes.recorder.requests.filter((r) => r.path === PLAIN.out && r.body?.id === 'b_e2e_dup').length, 1);

		const forged = await deliver(host, PLAIN, sampleDelivery('peek_automation_api', { id: 'b_does_not_exist' }));
		assert.ok(forged.status >= 400 && forged.status < 500, `unknown booking must be rejected with 4xx, got ${forged.status}`);
		await settle(500);
		assert.equal((await host.executions(PLAIN.id)).length, before + 1, 'a forged delivery starts no execution');
		await deactivateAndWait(host, fakes, PLAIN);
	});

	test('Peek Pro Trigger with HMAC: a valid signature starts one execution, a bad one gets 401 and starts none', async () => {
		const { host, fakes } = getEnv();
		const credential = await host.rest('POST', '/rest/credentials', {
			name: 'Peek Pro (HMAC test)',
			type: 'peekProAiPeekProApi',
			data: { apiKey: 'peek-test-key', baseUrl: fakes.peek.url, webhookSecret: HMAC_SECRET },
		});
		await wire(host, fakes.recorder, HMAC, { id: credential.id, name: credential.name });
		await host.activate(HMAC.id);
		await until('the HMAC workflow to be served', async () => (await deliver(host, HMAC, '{}')).status !== 404);
		const before = (await host.executions(HMAC.id)).length;

		const raw = JSON.stringify(sampleDelivery('peek_automation_api', { id: 'b_e2e_hmac' }));
		const bad = await deliver(host, HMAC, raw, signDelivery('wrong-secret', raw));
		assert.equal(bad.status, 401);
		const missing = await deliver(host, HMAC, raw);
		assert.equal(missing.status, 401);
		await settle(500);
		assert.equal((await host.executions(HMAC.id)).length, before, 'rejected deliveries start no execution');

		const good = await deliver(host, HMAC, raw, signDelivery(HMAC_SECRET, raw));
		assert.equal(good.status, 200, good.text);
		const sent = await fakes.recorder.waitFor((r) => r.path === HMAC.out && r.body?.id === 'b_e2e_hmac');
		assert.equal(sent.body.event, 'booking.created');
		assert.equal((await host.waitForExecutions(HMAC.id, before + 1)).length, before + 1);
		await deactivateAndWait(host, fakes, HMAC);
	});
}
