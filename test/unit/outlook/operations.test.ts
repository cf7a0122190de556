import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { booking, expectContractClean, graph, installGraph, items, run } from './harness';

afterEach(() => {
	expectContractClean();
	nock.cleanAll();
});

const BASE_PARAMS = { authentication: 'appOnly', rolloutPhase: 'oneWay', mailboxSource: 'guideEmail', noMailbox: 'error' };

describe('Outlook Calendar: check conflicts, availability, events', () => {
	test('check conflicts: a clash goes to the second output, a clear calendar to the first; buffers count', async () => {
		installGraph();
		// Ends 10 minutes before the 13:00Z tour: a clash only because of the 15-minute buffer.
		graph.seed('sam@outfitter.test', { subject: 'School run', start: '2026-06-10T12:20:00', end: '2026-06-10T12:50:00' });
		const { done, conflicts } = await run({ ...BASE_PARAMS, resource: 'booking', operation: 'checkConflicts', conflictCheck: { bufferBefore: 15 } }, items(booking('K-1'), booking('K-2', { guides: [{ name: 'Kim', email: 'kim@outfitter.test' }] })));
		expect(conflicts.map((c) => c.json.bookingId)).toEqual(['K-1']);
		expect((conflicts[0].json.conflicts as IDataObject[])[0]).toMatchObject({ subject: 'School run', start: '2026-06-10T12:20:00Z' });
		expect(done.map((d) => [d.json.bookingId, d.json.hasConflict])).toEqual([['K-2', false]]);
		const none = await run({ ...BASE_PARAMS, resource: 'booking', operation: 'checkConflicts', conflictCheck: { bufferBefore: 0 } }, items(booking('K-1')));
		expect(none.conflicts).toHaveLength(0);
	});

	test('read availability: out of office blocks the timeslot, a free guide keeps it bookable', async () => {
		installGraph();
		graph.seed('sam@outfitter.test', { subject: 'Vacation', start: '2026-06-09T00:00:00', end: '2026-06-12T00:00:00', showAs: 'oof' });
		const { done } = await run(
			{ ...BASE_PARAMS, resource: 'availability', operation: 'read', rangeStart: '', rangeEnd: '' },
			items({ timeslotId: 'ts-1', startsAt: '2026-06-10T13:00:00Z', endsAt: '2026-06-10T15:00:00Z', guide: { name: 'Sam', email: 'sam@outfitter.test' } }, { timeslotId: 'ts-2', startsAt: '2026-06-10T13:00:00Z', endsAt: '2026-06-10T15:00:00Z', guide: 'kim@outfitter.test' }),
		);
		const byTimeslot = Object.fromEntries(done.map((d) => [d.json.timeslotId, d.json]));
		expect(byTimeslot['ts-1']).toMatchObject({ timeslotStatus: 'BLOCKED', outOfOffice: true, available: false });
		expect(byTimeslot['ts-2']).toMatchObject({ timeslotStatus: 'BOOKABLE', available: true });
		// Both guides in one getSchedule call.
		const schedules = graph.requests.flatMap((r) => (r.body?.requests as Array<{ url: string; body: IDataObject }> | undefined) ?? []).filter((m) => m.url.endsWith('/getSchedule'));
		expect(schedules).toHaveLength(1);
		expect(schedules[0].body.schedules).toEqual(['sam@outfitter.test', 'kim@outfitter.test']);
	});

	test('event delete in the read-only phase writes nothing; one-way deletes', async () => {
		installGraph();
		const ev = graph.seed('sam@outfitter.test', { start: '2026-06-10T12:00:00', end: '2026-06-10T13:00:00' });
		const params = { ...BASE_PARAMS, resource: 'event', operation: 'delete', mailbox: 'sam@outfitter.test', eventId: ev.id };
		const shadow = await run({ ...params, rolloutPhase: 'readOnly' }, items({}));
		expect(shadow.done[0].json).toMatchObject({ deleted: false, shadow: true });
		expect(graph.allEvents()).toHaveLength(1);
		const live = await run(params, items({}));
		expect(live.done[0].json).toEqual({ eventId: ev.id, deleted: true });
		expect(graph.allEvents()).toHaveLength(0);
	});

	test('mapping rows that are not JSON stop the node with a message naming the parameter', async () => {
		installGraph();
		await expect(run({ ...BASE_PARAMS, resource: 'booking', operation: 'sync', mailboxSource: 'mapping', mailboxMapping: '[{guide:' }, items(booking('M-1')))).rejects.toThrow(/Mapping Rows is not valid JSON/);
	});
});
