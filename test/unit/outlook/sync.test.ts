import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { BOOKING_PROPERTY_ID } from '../../../nodes/OutlookCalendar/helpers/graph';
import { booking, expectContractClean, graph, installGraph, items, run, SYNC } from './harness';

afterEach(() => {
	expectContractClean();
	nock.cleanAll();
});

const writes = () => graph.requests.flatMap((r) => (r.path === '/$batch' ? ((r.body.requests as IDataObject[]) ?? []) : [r])).filter((r) => r.method !== 'GET' && !String(r.url ?? r.path).includes('getSchedule'));

describe('Outlook Calendar: sync booking to event', () => {
	test('the same booking delivered 3 times makes exactly one create, then updates', async () => {
		installGraph();
		for (let i = 0; i < 3; i++) {
			const { done } = await run(SYNC, items(booking('B-100', { partySize: 3 + i })));
			expect(done).toHaveLength(1);
			expect(done[0].json.action).toBe(i === 0 ? 'created' : 'updated');
		}
		const sent = writes();
		expect(sent.map((w) => w.method)).toEqual(['POST', 'PATCH', 'PATCH']);
		const events = graph.allEvents();
		expect(events).toHaveLength(1);
		expect(events[0].mailbox).toBe('sam@outfitter.test');
		expect(events[0].event.subject).toBe('Sunrise kayak: Ana Lopez (5)');
		// Found by the extended property holding the booking id, not by subject.
		expect(events[0].event.singleValueExtendedProperties).toEqual([{ id: BOOKING_PROPERTY_ID, value: 'B-100' }]);
		const create = sent[0].body as IDataObject;
		expect(create.transactionId).toMatch(/^peekpro-[0-9a-f]{32}$/);
		expect((sent[0].headers as IDataObject).Prefer).toBe('IdType="ImmutableId"');
	});

	test('outputs the event id and web link for the Peek Pro write-back', async () => {
		installGraph();
		const { done } = await run(SYNC, items(booking('B-101')));
		const ev = graph.allEvents()[0].event;
		expect(done[0].json.eventId).toBe(ev.id);
		expect(done[0].json.webLink).toBe(ev.webLink);
		expect(done[0].json.writeBack).toEqual({ 'outlook.eventId': ev.id, 'outlook.webLink': ev.webLink });
		expect(done[0].pairedItem).toEqual({ item: 0 });
	});

	test('a retried create with the same transactionId does not duplicate the event', async () => {
		installGraph();
		// Two deliveries in one run both find nothing and both create: Graph keeps one event.
		const { done } = await run(SYNC, items(booking('B-102'), booking('B-102')));
		expect(done.map((d) => d.json.action)).toEqual(['created', 'created']);
		expect(graph.allEvents()).toHaveLength(1);
		expect(graph.counts.dedupedCreates).toBe(1);
		expect(done[0].json.eventId).toBe(done[1].json.eventId);
	});

	test('pending shows tentative, confirmed flips to busy, and an unpaid balance stays tentative', async () => {
		installGraph();
		await run(SYNC, items(booking('B-103', { status: 'pending' })));
		expect(graph.allEvents()[0].event.showAs).toBe('tentative');
		await run(SYNC, items(booking('B-103', { status: 'confirmed' })));
		expect(graph.allEvents()[0].event.showAs).toBe('busy');
		await run(SYNC, items(booking('B-103', { status: 'confirmed', balance: { amount: 40, currency: 'USD' } })));
		expect(graph.allEvents()[0].event.showAs).toBe('tentative');
		expect(graph.allEvents()).toHaveLength(1);
	});

	test('a cancellation deletes the event, or cancels it with a comment when attendees were invited', async () => {
		installGraph();
		await run(SYNC, items(booking('B-104')));
		const { done } = await run(SYNC, items(booking('B-104', { status: 'cancelled' })));
		expect(done[0].json.action).toBe('deleted');
		expect(graph.allEvents()).toHaveLength(0);

		await run(SYNC, items(booking('B-105')));
		(graph.allEvents()[0].event.attendees as IDataObject[]).push({ emailAddress: { address: 'helper@outfitter.test' }, status: { response: 'accepted' } });
		const cancelled = await run(SYNC, items(booking('B-105', { status: 'canceled' })));
		expect(cancelled.done[0].json.action).toBe('cancelled');
		const cancel = writes().find((w) => String(w.url).endsWith('/cancel'));
		expect(cancel?.body).toEqual({ comment: 'The booking was cancelled in Peek Pro.' });
		expect(graph.allEvents()).toHaveLength(0);
		// Cancelling again finds nothing and writes nothing.
		const again = await run(SYNC, items(booking('B-105', { status: 'cancelled' })));
		expect(again.done[0].json.action).toBe('none');
	});

	test('a clashing event routes the booking to the conflict output with alternatives, and nothing is written', async () => {
		installGraph();
		graph.seed('sam@outfitter.test', { subject: 'Dentist', start: '2026-06-10T14:30:00', end: '2026-06-10T15:30:00', timeZone: 'UTC' });
		graph.seed('kim@outfitter.test', { subject: 'Other tour', start: '2026-06-10T13:00:00', end: '2026-06-10T15:00:00', timeZone: 'UTC' });
		const { done, conflicts } = await run({ ...SYNC, conflictCheck: { alternativePool: 'kim@outfitter.test, lee@outfitter.test' } }, items(booking('B-106')));
		expect(done).toHaveLength(0);
		expect(conflicts).toHaveLength(1);
		const c = conflicts[0].json;
		expect(c.action).toBe('none');
		expect(c.wouldDo).toBe('created');
		expect((c.conflicts as IDataObject[]).map((x) => x.subject)).toEqual(['Dentist']);
		const alt = c.alternatives as { freeGuides: string[]; freeWindows: Array<{ start: string }> };
		expect(alt.freeGuides).toEqual(['lee@outfitter.test']);
		expect(alt.freeWindows.length).toBeGreaterThan(0);
		for (const w of alt.freeWindows) expect(Date.parse(w.start) >= Date.parse('2026-06-10T15:45:00Z') || Date.parse(w.start) <= Date.parse('2026-06-10T12:15:00Z')).toBe(true);
		expect(graph.counts.creates).toBe(0);
	});

	test('read-only phase decides and outputs the request but writes nothing', async () => {
		installGraph();
		const { done } = await run({ ...SYNC, rolloutPhase: 'readOnly' }, items(booking('B-107')));
		expect(done[0].json).toMatchObject({ action: 'created', shadow: true, request: { method: 'POST', url: '/users/sam%40outfitter.test/events' } });
		expect(graph.allEvents()).toHaveLength(0);
	});

	test('a 429 storm is ridden out: every booking synced once, Retry-After honoured', async () => {
		installGraph({ throttleEvery: 2, retryAfterSeconds: 3, batchMailboxConcurrency: 4 });
		const bookings = Array.from({ length: 30 }, (_, i) => booking(`B-2${String(i).padStart(2, '0')}`, { guides: [{ name: `G${i % 5}`, email: `g${i % 5}@outfitter.test` }] }));
		const { done } = await run(SYNC, items(...bookings));
		expect(done.filter((d) => d.json.action === 'created')).toHaveLength(30);
		expect(graph.allEvents()).toHaveLength(30);
		expect(graph.counts.throttled).toBeGreaterThan(10);
		expect(graph.counts.creates).toBe(30);
		// Every wait after a throttled member was at least Graph's Retry-After.
		const { clock } = await import('./harness');
		expect(clock.slept.length).toBeGreaterThan(0);
		expect(Math.min(...clock.slept)).toBeGreaterThanOrEqual(3000);
	});

	test('a guide with no mailbox is an error item naming guide and booking; the rest of the batch goes through', async () => {
		installGraph();
		const { done } = await run(SYNC, items(booking('B-108', { guides: [{ id: 'g-9', name: 'No Mail' }] }), booking('B-109')), { continueOnFail: true });
		const error = done.find((d) => d.json.error);
		expect(error?.json.error).toBe('Guide "No Mail" (g-9) has no Outlook mailbox (no email on the guide) (booking B-108)');
		expect(error?.json.outlook).toEqual({ guide: '"No Mail" (g-9)', bookingId: 'B-108', graphCode: null });
		expect(error?.pairedItem).toEqual({ item: 0 });
		expect(done.find((d) => d.json.bookingId === 'B-109')?.json.action).toBe('created');
	});

	test('mapping rows map a Peek guide to a mailbox', async () => {
		installGraph();
		await run({ ...SYNC, mailboxSource: 'mapping', mailboxMapping: [{ guide: 'g-1', mailbox: 'sam.cal@outfitter.test' }] }, items(booking('B-110')));
		expect(graph.allEvents()[0].mailbox).toBe('sam.cal@outfitter.test');
	});

	test('a Graph error names the guide, the booking and Graph\'s code', async () => {
		installGraph({ unknownMailboxes: ['gone@outfitter.test'] });
		const { done } = await run(
			SYNC,
			items(booking('B-111', { endsAt: 'soon' }), booking('B-112', { status: 'weird' }), booking('B-114', { guides: [{ id: 'g-7', name: 'Left Company', email: 'gone@outfitter.test' }] })),
			{ continueOnFail: true },
		);
		// An unreadable end falls back to the duration; the booking still syncs.
		expect(done.find((d) => d.json.bookingId === 'B-111')?.json.action).toBe('created');
		const errors = done.filter((d) => d.json.error);
		expect(errors.map((e) => e.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(errors[0].json.error).toContain('Booking B-112 has status "weird"');
		expect(errors[1].json.error).toMatch(/^Looking up the event for booking B-114, guide "Left Company" \(g-7\) \(gone@outfitter.test\): .*invalid.* \[ErrorInvalidUser\]$/);
		expect(errors[1].json.outlook).toEqual({ guide: '"Left Company" (g-7)', bookingId: 'B-114', graphCode: 'ErrorInvalidUser' });
	});

	test('two-way reports a move made in Outlook and does not move it back', async () => {
		installGraph();
		await run(SYNC, items(booking('B-113')));
		const ev = graph.allEvents()[0].event;
		Object.assign(ev, { start: { dateTime: '2026-06-10T15:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-10T17:00:00', timeZone: 'UTC' } });
		(ev.attendees as IDataObject[]).push({ emailAddress: { address: 'x@outfitter.test' }, status: { response: 'declined' } });
		const { done } = await run({ ...SYNC, rolloutPhase: 'twoWay' }, items(booking('B-113')));
		expect(done[0].json.outlookChanges).toEqual([
			{ kind: 'declined', attendee: 'x@outfitter.test' },
			{ kind: 'moved', bookingStart: '2026-06-10T13:00:00Z', outlookStart: '2026-06-10T15:00:00Z', outlookEnd: '2026-06-10T17:00:00Z' },
		]);
		const patch = writes().find((w) => w.method === 'PATCH');
		expect((patch?.body as IDataObject).start).toBeUndefined();
	});
});
