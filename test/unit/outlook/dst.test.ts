import nock from 'nock';

import { booking, expectContractClean, graph, installGraph, items, run, SYNC } from './harness';

afterEach(() => {
	expectContractClean();
	nock.cleanAll();
});

/** The instant the guide's calendar shows the event at, as Graph (the fake, via luxon's tz data) resolves it. */
function storedUtc(): { start: string; end: string } {
	const ev = graph.allEvents()[0].event;
	return { start: new Date(ev._startUtc).toISOString(), end: new Date(ev._endUtc).toISOString() };
}

describe('Outlook Calendar: daylight-saving transitions', () => {
	test('a 07:00 tour on the morning US clocks spring forward lands at 13:00Z (MDT), not 14:00Z', async () => {
		installGraph();
		// Peek's local start time, no offset: wall time in the activity's zone.
		const { done } = await run(SYNC, items(booking('DST-1', { startsAt: '2026-03-08T07:00:00', endsAt: undefined, activity: { name: 'Sunrise kayak', timeZone: 'America/Denver', durationMinutes: 120, tags: [] } })));
		const sent = graph.requests.find((r) => r.path === '/$batch' && (r.body.requests as Array<{ method: string }>).some((x) => x.method === 'POST'));
		const create = (sent!.body.requests as Array<{ body: { start: unknown; end: unknown } }>)[0].body;
		expect(create.start).toEqual({ dateTime: '2026-03-08T07:00:00', timeZone: 'America/Denver' });
		expect(create.end).toEqual({ dateTime: '2026-03-08T09:00:00', timeZone: 'America/Denver' });
		expect(storedUtc()).toEqual({ start: '2026-03-08T13:00:00.000Z', end: '2026-03-08T15:00:00.000Z' });
		expect(done[0].json.start).toBe('2026-03-08T13:00:00Z');
	});

	test('a 07:00 tour on the morning European clocks spring forward lands at 05:00Z (CEST)', async () => {
		installGraph();
		await run(SYNC, items(booking('DST-2', { startsAt: '2026-03-29T07:00:00', endsAt: '2026-03-29T09:30:00', activity: { name: 'Old town walk', timeZone: 'Europe/Berlin', tags: [] } })));
		expect(storedUtc()).toEqual({ start: '2026-03-29T05:00:00.000Z', end: '2026-03-29T07:30:00.000Z' });
	});

	test('a 07:00 tour on the morning clocks fall back lands at 06:00Z (CET)', async () => {
		installGraph();
		await run(SYNC, items(booking('DST-3', { startsAt: '2026-10-25T07:00:00', endsAt: undefined, activity: { name: 'Old town walk', timeZone: 'Europe/Berlin', tags: [] } })));
		expect(storedUtc().start).toBe('2026-10-25T06:00:00.000Z');
	});

	test('a tour across the skipped hour keeps its real length (3 h from 01:00 ends at 05:00 local)', async () => {
		installGraph();
		const { done } = await run(SYNC, items(booking('DST-4', { startsAt: '2026-03-29T01:00:00', endsAt: undefined, activity: { name: 'Night hike', timeZone: 'Europe/Berlin', durationMinutes: 180, tags: [] } })));
		expect(storedUtc()).toEqual({ start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T03:00:00.000Z' });
		const ev = graph.allEvents()[0].event as unknown as { end: { dateTime: string } };
		expect(ev.end.dateTime).toBe('2026-03-29T05:00:00');
		expect(done[0].json.warnings).toBeUndefined();
	});

	test('a start inside the skipped hour is moved forward and says so', async () => {
		installGraph();
		const { done } = await run(SYNC, items(booking('DST-5', { startsAt: '2026-03-29T02:30:00', endsAt: undefined, activity: { name: 'Night hike', timeZone: 'Europe/Berlin', tags: [] } })));
		expect(storedUtc().start).toBe('2026-03-29T01:30:00.000Z');
		expect(done[0].json.warnings).toEqual(['2026-03-29T02:30:00 does not exist in Europe/Berlin (clocks skip it); used 2026-03-29T03:30']);
	});

	test('a start with an offset is an instant, shown in the activity\'s zone', async () => {
		installGraph();
		await run(SYNC, items(booking('DST-6', { startsAt: '2026-03-29T05:00:00Z', endsAt: undefined, activity: { name: 'Old town walk', timeZone: 'Europe/Berlin', tags: [] } })));
		const ev = graph.allEvents()[0].event as unknown as { start: { dateTime: string; timeZone: string } };
		expect(ev.start).toEqual({ dateTime: '2026-03-29T07:00:00', timeZone: 'Europe/Berlin' });
	});
});
