import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BASE, booking, items, runNode, useKlaviyoTestLifecycle } from './harness';

useKlaviyoTestLifecycle();

describe('Profile → Create or Update', () => {
	it('sends identifiers, names, location and ai_* properties to profile-import and outputs the profile', async () => {
		let sent: IDataObject | undefined;
		nock(BASE)
			.post('/api/profile-import', (b) => ((sent = b), true))
			.reply(201, { data: { type: 'profile', id: '01PROFILE', attributes: { email: 'ana@example.com', first_name: 'Ana' } } });
		const json: IDataObject = { ...booking('B-1', 'ana@example.com'), ai_score: 0.82, ai_next_best_activity: 'kayak', ai: { churn_risk: 'low', details: { x: 1 } } };
		(json.customer as IDataObject).country = 'ES';
		const { out } = await runNode(
			{ resource: 'profile', operation: 'upsert', customProperties: '{"vip": true}', additionalFields: { city: 'Madrid' } },
			items(json),
		);
		expect(sent).toEqual({
			data: {
				type: 'profile',
				attributes: {
					email: 'ana@example.com',
					external_id: 'c-B-1',
					first_name: 'Ana',
					last_name: 'Lopez',
					location: { city: 'Madrid', country: 'ES' },
					properties: { ai_churn_risk: 'low', ai_score: 0.82, ai_next_best_activity: 'kayak', vip: true },
				},
			},
		});
		expect(out[0].json).toMatchObject({ id: '01PROFILE', created: true, email: 'ana@example.com' });
	});

	it('reports an update (200) as created: false', async () => {
		nock(BASE).post('/api/profile-import').reply(200, { data: { type: 'profile', id: '01P', attributes: {} } });
		const { out } = await runNode({ resource: 'profile', operation: 'upsert', includeAiAttributes: false }, items({ email: 'a@x.io' }));
		expect(out[0].json).toMatchObject({ id: '01P', created: false });
	});
});

describe('Profile → Get by Email', () => {
	it('looks up 100 emails per request with an any() filter and says found or not', async () => {
		const filters: string[] = [];
		nock(BASE)
			.get('/api/profiles')
			.query((q) => (filters.push(String(q.filter)), q['page[size]'] === '100'))
			.times(2)
			.reply(200, (uri) => {
				const filter = new URL(`http://x${uri}`).searchParams.get('filter') ?? '';
				const data = filter.includes('"g0@x.io"') ? [{ type: 'profile', id: 'P0', attributes: { email: 'g0@x.io' } }] : [];
				return { data, links: {} };
			});
		const { out } = await runNode({ resource: 'profile', operation: 'getByEmail' }, items(...Array.from({ length: 150 }, (_, i) => ({ email: i === 0 ? 'G0@x.io' : `g${i}@x.io` }))));
		expect(filters).toHaveLength(2);
		expect(filters[0]).toMatch(/^any\(email,\["g0@x\.io","g1@x\.io",/);
		expect(out[0].json).toMatchObject({ found: true, id: 'P0' });
		expect(out[1].json).toMatchObject({ found: false, email: 'g1@x.io' });
		expect(out).toHaveLength(150);
	});
});

describe('Profile → Bulk Import', () => {
	it('creates one job per 10,000 profiles and polls each to completion', async () => {
		const sizes: number[] = [];
		let polls = 0;
		nock(BASE)
			.post('/api/profile-bulk-import-jobs', (b) => (sizes.push(((b as IDataObject).data as { attributes: { profiles: { data: unknown[] } } }).attributes.profiles.data.length), true))
			.times(2)
			.reply(202, () => ({ data: { type: 'profile-bulk-import-job', id: `job-${sizes.length}`, attributes: { status: 'queued', total_count: sizes[sizes.length - 1], completed_count: 0, failed_count: 0 } } }))
			.get(/\/api\/profile-bulk-import-jobs\/job-\d$/)
			.times(4)
			.reply(200, (uri) => {
				polls++;
				const id = uri.split('/').pop();
				const done = polls % 2 === 0;
				return { data: { type: 'profile-bulk-import-job', id, attributes: { status: done ? 'complete' : 'processing', total_count: 5, completed_count: done ? 5 : 2, failed_count: 0 } } };
			});
		const { out, ctx } = await runNode(
			{ resource: 'profile', operation: 'bulkImport', pollIntervalSeconds: 0, listId: 'Y6nRLr' },
			items(...Array.from({ length: 10_001 }, (_, i) => ({ email: `g${i}@x.io` }))),
		);
		expect(sizes).toEqual([10_000, 1]);
		expect(polls).toBe(4);
		expect(out[0].json).toMatchObject({ jobId: 'job-1', status: 'complete', completedCount: 5, batch: { number: 1, profiles: 10_000 } });
		expect(out[10_000].json).toMatchObject({ jobId: 'job-2', status: 'complete' });
		expect(ctx.logs.some((l) => /job job-1: processing, 2\/5 done/.test(l.message))).toBe(true);
		expect(ctx.logs.every((l) => !l.message.includes('@'))).toBe(true);
	});
});
