import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BASE, booking, items, runNode, useKlaviyoTestLifecycle } from './harness';

useKlaviyoTestLifecycle();

/** A fake profile directory answering `any(email,[...])` lookups. */
function profilesDirectory(known: Record<string, string>) {
	return nock(BASE)
		.get('/api/profiles')
		.query(true)
		.times(100)
		.optionally()
		.reply(200, (uri) => {
			const filter = new URL(`http://x${uri}`).searchParams.get('filter') ?? '';
			const emails = [...filter.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
			return { data: emails.filter((e) => known[e]).map((e) => ({ type: 'profile', id: known[e], attributes: { email: e } })), links: {} };
		});
}

describe('List → Get Many', () => {
	it('follows links.next (page size 10) up to the limit, one output item per list', async () => {
		nock(BASE)
			.get('/api/lists')
			.query({ 'page[size]': '10' })
			.reply(200, { data: Array.from({ length: 10 }, (_, i) => ({ type: 'list', id: `L${i}`, attributes: { name: `List ${i}` } })), links: { next: `${BASE}/api/lists?page%5Bcursor%5D=abc&page%5Bsize%5D=10` } })
			.get('/api/lists')
			.query({ 'page[cursor]': 'abc', 'page[size]': '10' })
			.reply(200, { data: Array.from({ length: 10 }, (_, i) => ({ type: 'list', id: `L${i + 10}`, attributes: { name: `List ${i + 10}` } })), links: { next: `${BASE}/api/lists?page%5Bcursor%5D=def` } });
		const { out } = await runNode({ resource: 'list', operation: 'getMany', limit: 15 }, items({}));
		expect(out).toHaveLength(15);
		expect(out[14].json).toMatchObject({ id: 'L14', name: 'List 14' });
		expect(out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('does not follow a next link to another host (the API key would go with it)', async () => {
		nock(BASE).get('/api/lists').query(true).reply(200, { data: [{ type: 'list', id: 'L1', attributes: { name: 'A' } }], links: { next: 'https://evil.test/api/lists?page=2' } });
		const { out } = await runNode({ resource: 'list', operation: 'getMany', returnAll: true }, items({}));
		expect(out).toHaveLength(1);
	});
});

describe('List → Add / Remove Profiles', () => {
	it('resolves emails to profile ids, then adds each id once', async () => {
		profilesDirectory({ 'ana@example.com': 'P-ANA', 'bo@example.com': 'P-BO' });
		let sent: IDataObject | undefined;
		nock(BASE).post('/api/lists/Y6nRLr/relationships/profiles', (b) => ((sent = b), true)).reply(204);
		const { out } = await runNode(
			{ resource: 'list', operation: 'addProfiles', listId: 'Y6nRLr' },
			items(booking('B-1', 'ana@example.com'), booking('B-2', 'Bo@Example.com'), booking('B-3', 'ana@example.com')),
		);
		expect(sent).toEqual({ data: [{ type: 'profile', id: 'P-ANA' }, { type: 'profile', id: 'P-BO' }] });
		expect(out.map((o) => o.json.profileId)).toEqual(['P-ANA', 'P-BO', 'P-ANA']);
		expect(out[0].json).toMatchObject({ listId: 'Y6nRLr', added: true });
	});

	it('fails an unknown email naming the field, without the email in the message', async () => {
		profilesDirectory({ 'ana@example.com': 'P-ANA' });
		nock(BASE).post('/api/lists/Y6nRLr/relationships/profiles').reply(204);
		const { out } = await runNode({ resource: 'list', operation: 'addProfiles', listId: 'Y6nRLr' }, items({ email: 'ana@example.com' }, { email: 'ghost@example.com' }), { continueOnFail: true });
		expect(out[0].json.added).toBe(true);
		expect(out[1].json).toMatchObject({ field: 'email', error: 'No Klaviyo profile has this email' });
		expect(String(out[1].json.error) + String(out[1].json.description)).not.toContain('ghost');
	});

	it('creates a missing profile when asked, then adds it', async () => {
		profilesDirectory({});
		nock(BASE).post('/api/profile-import').reply(201, { data: { type: 'profile', id: 'P-NEW', attributes: {} } });
		nock(BASE).post('/api/lists/Y6nRLr/relationships/profiles', { data: [{ type: 'profile', id: 'P-NEW' }] }).reply(204);
		const { out } = await runNode({ resource: 'list', operation: 'addProfiles', listId: 'Y6nRLr', createMissingProfiles: true }, items({ email: 'new@example.com' }));
		expect(out[0].json).toMatchObject({ profileId: 'P-NEW', added: true });
	});

	it('sends 1,000 ids per call (1,001 profiles → 2 calls)', async () => {
		const sizes: number[] = [];
		nock(BASE).post('/api/lists/Y6nRLr/relationships/profiles', (b) => (sizes.push((b as { data: unknown[] }).data.length), true)).times(2).reply(204);
		await runNode({ resource: 'list', operation: 'addProfiles', listId: 'Y6nRLr', identifyBy: 'profileId', profileId: (i: number) => `P${i}` }, items(...Array.from({ length: 1001 }, () => ({}))));
		expect(sizes).toEqual([1000, 1]);
	});

	it('removes with DELETE and skips emails that have no profile', async () => {
		profilesDirectory({ 'ana@example.com': 'P-ANA' });
		nock(BASE).delete('/api/lists/Y6nRLr/relationships/profiles', { data: [{ type: 'profile', id: 'P-ANA' }] }).reply(204);
		const { out } = await runNode({ resource: 'list', operation: 'removeProfiles', listId: 'Y6nRLr' }, items({ email: 'ana@example.com' }, { email: 'nobody@example.com' }));
		expect(out[0].json).toMatchObject({ removed: true });
		expect(out[1].json.skipped).toBe(true);
	});
});

describe('Consent → Subscribe', () => {
	it('subscribes only channels with explicit consent in the item; never by default', async () => {
		let sent: IDataObject | undefined;
		nock(BASE).post('/api/profile-subscription-bulk-create-jobs', (b) => ((sent = b), true)).reply(202);
		const consenting = booking('B-1', 'ana@example.com');
		(consenting.customer as IDataObject).emailMarketingConsent = true;
		(consenting.customer as IDataObject).phone = '+15005550006';
		(consenting.customer as IDataObject).smsMarketingConsent = 'yes';
		const silent = booking('B-2', 'bo@example.com');
		const refused = booking('B-3', 'cy@example.com');
		(refused.customer as IDataObject).emailMarketingConsent = false;
		const { out, ctx } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email', 'sms'], listId: 'Y6nRLr' }, items(consenting, silent, refused));
		expect(ctx.requests).toHaveLength(1);
		expect(sent).toEqual({
			data: {
				type: 'profile-subscription-bulk-create-job',
				attributes: {
					custom_source: 'PeekPro AI (n8n)',
					profiles: {
						data: [
							{
								type: 'profile',
								attributes: {
									email: 'ana@example.com',
									phone_number: '+15005550006',
									subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } }, sms: { marketing: { consent: 'SUBSCRIBED' } } },
								},
							},
						],
					},
				},
				relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } },
			},
		});
		expect(out[0].json).toMatchObject({ subscribed: ['email', 'sms'], status: 'accepted' });
		expect(out[1].json).toMatchObject({ skipped: true });
		expect(out[2].json).toMatchObject({ skipped: true });
		expect((out[1].json.audit as IDataObject).result).toBe('skipped');
	});

	it('with a consent time field, sends a historical import with consented_at', async () => {
		let sent: IDataObject | undefined;
		nock(BASE).post('/api/profile-subscription-bulk-create-jobs', (b) => ((sent = b), true)).reply(202);
		await runNode(
			{ resource: 'consent', operation: 'subscribe', channels: ['email'], emailConsentField: 'optIn', options: { consentedAtField: 'optInAt' } },
			items({ email: 'a@x.io', optIn: true, optInAt: '2026-03-01T10:00:00Z' }),
		);
		const attributes = (sent!.data as IDataObject).attributes as IDataObject;
		expect(attributes.historical_import).toBe(true);
		expect(JSON.stringify(attributes)).toContain('"consented_at":"2026-03-01T10:00:00.000Z"');
	});

	it('rejects SMS consent with a phone number that is not E.164, naming the field', async () => {
		const json = { email: 'a@x.io', phone: '555 1234', customer: { smsMarketingConsent: true } };
		await expect(runNode({ resource: 'consent', operation: 'subscribe', channels: ['sms'] }, items(json))).rejects.toMatchObject({ context: expect.objectContaining({ field: 'phoneNumber' }) });
	});

	it('one guest-typed phone does not stop the batch: email still subscribed, SMS-only row is its own error item', async () => {
		let sent: IDataObject | undefined;
		nock(BASE).post('/api/profile-subscription-bulk-create-jobs', (b) => ((sent = b), true)).reply(202);
		const both = { email: 'ana@example.com', phone: 'call after 5pm', customer: { emailMarketingConsent: true, smsMarketingConsent: true } };
		const smsOnly = { phone: 'call after 5pm', customer: { smsMarketingConsent: true } };
		const typed = { email: 'bo@example.com', phone: '+1 (403) 555-0142', customer: { smsMarketingConsent: true } };
		const { out } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email', 'sms'] }, items(both, smsOnly, typed));
		const profiles = (((sent!.data as IDataObject).attributes as IDataObject).profiles as { data: Array<{ attributes: IDataObject }> }).data;
		expect(profiles.map((p) => p.attributes)).toEqual([
			{ email: 'ana@example.com', subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } } } },
			{ email: 'bo@example.com', phone_number: '+14035550142', subscriptions: { sms: { marketing: { consent: 'SUBSCRIBED' } } } },
		]);
		expect(out[0].json).toMatchObject({ subscribed: ['email'] });
		expect(out[0].json.warnings).toEqual([
			expect.objectContaining({ field: 'phone_number' }),
			expect.objectContaining({ field: 'phone_number', reason: expect.stringContaining('SMS was not subscribed') }),
		]);
		expect(out[1].json).toMatchObject({ field: 'phoneNumber' });
		expect(JSON.stringify(out[1].json)).not.toContain('call after 5pm');
		expect(out[2].json).toMatchObject({ subscribed: ['sms'] });
	});

	it('does not retry a subscribe job after a 503 (a repeat could send a second opt-in message)', async () => {
		nock(BASE).post('/api/profile-subscription-bulk-create-jobs').once().reply(503, { errors: [{ id: '1', code: 'x', title: 'Unavailable', detail: 'down' }] });
		const { out } = await runNode({ resource: 'consent', operation: 'subscribe', channels: ['email'] }, items({ email: 'a@x.io', customer: { emailMarketingConsent: true } }), { continueOnFail: true });
		expect(out[0].json.httpCode).toBe('503');
	});
});

describe('Consent → Unsubscribe', () => {
	it('sends at most 100 profiles per job', async () => {
		const sizes: number[] = [];
		nock(BASE)
			.post('/api/profile-subscription-bulk-delete-jobs', (b) => (sizes.push(((b as IDataObject).data as { attributes: { profiles: { data: unknown[] } } }).attributes.profiles.data.length), true))
			.times(2)
			.reply(202);
		const { out } = await runNode({ resource: 'consent', operation: 'unsubscribe', channels: ['email'] }, items(...Array.from({ length: 101 }, (_, i) => ({ email: `g${i}@x.io` }))));
		expect(sizes).toEqual([100, 1]);
		expect(out[100].json).toMatchObject({ unsubscribed: ['email'], status: 'accepted' });
	});

	it('shadow mode sends nothing and shows the job', async () => {
		const { out, ctx } = await runNode({ resource: 'consent', operation: 'unsubscribe', channels: ['email', 'sms'], shadowMode: true }, items({ email: 'a@x.io', phone: '+15005550006' }));
		expect(ctx.requests).toHaveLength(0);
		expect((out[0].json.request as IDataObject).url).toBe(`${BASE}/api/profile-subscription-bulk-delete-jobs`);
	});
});
