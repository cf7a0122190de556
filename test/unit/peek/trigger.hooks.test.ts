import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PeekProTrigger } from '../../../nodes/PeekProTrigger/PeekProTrigger.node';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { API_KEY, asHook, BASE, ctxWith } from './helpers';

const URL_ = 'https://n8n.example.test/webhook/abc/webhook';
const hooks = new PeekProTrigger().webhookMethods.default;

function hookCtx(staticData: IDataObject, events: string[] = ['booking.created', 'booking.no_show']) {
	return ctxWith({ parameters: { events }, staticData, webhookUrl: URL_ });
}

beforeEach(() => {
	nock.disableNetConnect();
	resetRateLimiters();
});
afterEach(() => nock.cleanAll());

describe('webhook registration', () => {
	it('registers the URL with the Peek events for the selection and stores the id', async () => {
		const staticData: IDataObject = {};
		const scope = nock(BASE)
			.post('/webhooks', (b) => b.url === URL_ && JSON.stringify(b.eventTypes) === '["booking.created","booking.updated"]' && b.active === true)
			.matchHeader('x-api-key', API_KEY)
			.reply(201, { id: 'wh_1' });
		await expect(hooks.create.call(asHook(hookCtx(staticData)))).resolves.toBe(true);
		scope.done();
		expect(staticData).toMatchObject({ webhookId: 'wh_1', webhookEvents: ['booking.created', 'booking.updated'] });
	});

	it('checkExists: true for an active registration with the same events, false (and forgets it) on 404', async () => {
		const staticData: IDataObject = { webhookId: 'wh_1', webhookEvents: ['booking.created', 'booking.updated'] };
		nock(BASE).get('/webhooks/wh_1').reply(200, { id: 'wh_1', url: URL_, active: true, eventTypes: ['booking.updated', 'booking.created'] });
		await expect(hooks.checkExists.call(asHook(hookCtx(staticData)))).resolves.toBe(true);
		nock(BASE).get('/webhooks/wh_1').reply(200, { id: 'wh_1', url: URL_, active: false });
		await expect(hooks.checkExists.call(asHook(hookCtx(staticData)))).resolves.toBe(false);
		nock(BASE).get('/webhooks/wh_1').reply(200, { id: 'wh_1', url: URL_, active: true, eventTypes: ['booking.created'] });
		await expect(hooks.checkExists.call(asHook(hookCtx(staticData)))).resolves.toBe(false);
		nock(BASE).get('/webhooks/wh_1').reply(404, { message: 'Webhook not found' });
		await expect(hooks.checkExists.call(asHook(hookCtx(staticData)))).resolves.toBe(false);
		expect(staticData.webhookId).toBeUndefined();
		await expect(hooks.checkExists.call(asHook(hookCtx({})))).resolves.toBe(false);
	});

	it('on 409 adopts an identical registration, or replaces an outdated one', async () => {
		const staticData: IDataObject = {};
		nock(BASE)
			.post('/webhooks')
			.reply(409, { message: 'A webhook with this URL already exists' })
			.get('/webhooks')
			.reply(200, [{ id: 'wh_9', url: URL_, active: true, eventTypes: ['booking.updated', 'booking.created'] }]);
		await hooks.create.call(asHook(hookCtx(staticData)));
		expect(staticData.webhookId).toBe('wh_9');

		const other: IDataObject = {};
		const scope = nock(BASE)
			.post('/webhooks')
			.reply(409, {})
			.get('/webhooks')
			.reply(200, [{ id: 'wh_9', url: URL_, active: true, eventTypes: ['booking.created'] }])
			.delete('/webhooks/wh_9')
			.reply(200, {})
			.post('/webhooks')
			.reply(201, { id: 'wh_10' });
		await hooks.create.call(asHook(hookCtx(other)));
		scope.done();
		expect(other.webhookId).toBe('wh_10');
	});

	it('deletes the registration on deactivation; an already-gone one counts as deleted', async () => {
		const staticData: IDataObject = { webhookId: 'wh_1', webhookEvents: ['booking.created'] };
		const scope = nock(BASE).delete('/webhooks/wh_1').matchHeader('x-api-key', API_KEY).reply(200, {});
		await expect(hooks.delete.call(asHook(hookCtx(staticData)))).resolves.toBe(true);
		scope.done();
		expect(staticData).toEqual({});
		const gone: IDataObject = { webhookId: 'wh_2' };
		nock(BASE).delete('/webhooks/wh_2').reply(404, {});
		await expect(hooks.delete.call(asHook(hookCtx(gone)))).resolves.toBe(true);
		expect(gone.webhookId).toBeUndefined();
	});

	it('registers nothing when only proxy-delivered events are selected', async () => {
		const staticData: IDataObject = {};
		const ctx = hookCtx(staticData, ['waitlist_entry.created']);
		await expect(hooks.checkExists.call(asHook(ctx))).resolves.toBe(true);
		await expect(hooks.create.call(asHook(ctx))).resolves.toBe(true);
		expect(ctx.requests).toHaveLength(0);
	});
});
