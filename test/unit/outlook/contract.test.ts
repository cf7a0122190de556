import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { booking, graph, installGraph, items, run, SYNC } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateRequest } = require('../../fakes/graphModel.cjs') as { validateRequest: (m: string, p: string, b: unknown) => { valid: boolean; schema: string | null; errors: string[] } };

afterEach(() => nock.cleanAll());

describe('Outlook Calendar: every request body matches the vendored Graph contract', () => {
	test('create, update, cancel, getSchedule and the $batch envelopes all validate', async () => {
		installGraph();
		await run(SYNC, items(booking('C-1')));
		await run(SYNC, items(booking('C-1', { status: 'pending' })));
		(graph.allEvents()[0].event.attendees as IDataObject[]).push({ emailAddress: { address: 'a@outfitter.test' } });
		await run(SYNC, items(booking('C-1', { status: 'cancelled' })));
		graph.seed('sam@outfitter.test', { start: '2026-06-10T13:00:00', end: '2026-06-10T14:00:00' });
		await run({ ...SYNC, conflictCheck: { alternativePool: 'kim@outfitter.test' } }, items(booking('C-2')));
		await run({ authentication: 'appOnly', rolloutPhase: 'readOnly', resource: 'availability', operation: 'read', mailboxSource: 'guideEmail', noMailbox: 'error', rangeStart: '2026-06-10T00:00:00Z', rangeEnd: '2026-06-11T00:00:00Z' }, items({ guide: 'sam@outfitter.test', timeslotId: 'ts-1', startsAt: '2026-06-10T13:00:00Z', endsAt: '2026-06-10T15:00:00Z' }));

		const checked = graph.requests.flatMap((r) => [
			{ method: r.method, path: r.path, body: r.body },
			...(r.path === '/$batch' ? (r.body.requests as Array<{ method: string; url: string; body?: unknown }>).map((m) => ({ method: m.method, path: decodeURIComponent(new URL(m.url, 'http://x').pathname), body: m.body })) : []),
		]);
		const results = checked.map((c) => ({ ...c, ...validateRequest(c.method, c.path, c.body) }));
		expect(results.filter((r) => !r.valid)).toEqual([]);
		expect(graph.invalid).toEqual([]);
		expect(new Set(results.map((r) => r.schema).filter(Boolean))).toEqual(new Set(['batch', 'createEvent', 'updateEvent', 'cancelEvent', 'getSchedule']));
	});

	test('the contract check can fail: an event body with an offset in dateTime is rejected', () => {
		const bad = validateRequest('POST', '/users/a@b.c/events', { subject: 'x', start: { dateTime: '2026-06-10T07:00:00-06:00', timeZone: 'America/Denver' } });
		expect(bad.valid).toBe(false);
	});
});
