// Flows 4 and 5 in the real n8n with Peek Pro and Microsoft Graph on loopback fakes:
// (a) guide calendar sync: one booking's life cycle (created → updated → cancelled) creates, updates
//     and cancels exactly one event in the guide's mailbox on the fake Graph, and the event id goes
//     back to Peek Pro; a booking that clashes with the guide's own appointment writes nothing and
//     reaches the dispatcher with free guides from the pool;
// (b) availability back-sync: a guide out of office blocks the Peek timeslot (one-way), and in the
//     read-only phase nothing is written.
// The app-only credential gets its token from the fake's client-credentials endpoint (n8n runs the
// credential's preAuthentication), and every Graph request recorded is valid against the vendored
// contract (test/contracts/graph-calendar-subset.json).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sampleDelivery, samplePeekBooking } from '../../fakes/peek.mjs';
import { deliver, finishedCount, nextExecution, publish, runScheduled, setConfig, stringify, workflow } from './20-templates.mjs';

const ID = { sync: 'PeekProAiGCal001', availability: 'PeekProAiGAvl001' };
const DAY = 86_400_000;
const GUIDE = { id: 'gd_sam', name: 'Sam Guide', email: 'sam.guide@tours.test' };

function peekBooking(id, startMs, overrides = {}) {
	return samplePeekBooking({
		id,
		displayId: `BKG-${id}`,
		status: 'confirmed',
		timeslotId: `ts_${id}`,
		startTime: new Date(startMs).toISOString(),
		endTime: new Date(startMs + 2 * 3600_000).toISOString(),
		purchasedAt: new Date(Date.now() - 60_000).toISOString(),
		guides: [GUIDE],
		...overrides,
	});
}

/** A Peek delivery with its own event id: the trigger drops a repeated event id as a duplicate. */
function delivery(id, event) {
	return { ...sampleDelivery('peek_automation_api', { id, event }), id: `evt_${id}_${event}` };
}

function graphWrites(graph, from = 0) {
	return graph.requests.slice(from).flatMap((r) => (r.path === '/$batch' ? r.body.requests.map((m) => ({ method: m.method, url: m.url, body: m.body })) : [{ method: r.method, url: r.path, body: r.body }])).filter((w) => w.method !== 'GET' && !/getSchedule|\$batch|oauth2/.test(w.url));
}

function assertGraphContract(graph) {
	const invalid = graph.requests.filter((r) => r.valid === false);
	assert.deepEqual(invalid.map((r) => `${r.method} ${r.path}: ${r.errors.join('; ')}`), [], 'Graph requests that break the contract');
	assert.deepEqual(graph.model.invalid, [], 'Graph batch members that break the contract');
}

export async function register(getEnv) {
	const ready = () => {
		const env = getEnv();
		assert.ok(env.fakes.graph, 'the Graph fake (test/fakes/graph.mjs) is not started by scripts/sandboxes.mjs');
		return env;
	};

	test('template guide calendar sync: a booking\'s life cycle creates, updates and cancels one Outlook event; a conflict goes to the dispatcher with alternatives', { timeout: 240_000 }, async () => {
		const { host, fakes } = ready();
		const graph = fakes.graph;
		const peek = fakes.peek;
		// Whole hours: Graph keeps seconds, not milliseconds.
		const start = Math.floor((Date.now() + 20 * DAY) / 3600_000) * 3600_000;
		await setConfig(host, ID.sync, { shadowMode: false, rolloutPhase: 'oneWay', alternativeGuides: 'kim.guide@tours.test, lee.guide@tours.test', dispatcherWebhookUrl: `${fakes.recorder.url}/dispatch` });
		await publish(host, ID.sync);
		const wf = await workflow(host, ID.sync);

		// Created.
		peek.bookings.set('gc_1', peekBooking('gc_1', start));
		let before = await finishedCount(host, ID.sync);
		await deliver(host, wf, delivery('gc_1', 'booking.created'));
		let run = await nextExecution(host, ID.sync, before, { timeoutMs: 60_000 });
		const token = graph.requests.find((r) => /oauth2\/v2\.0\/token$/.test(r.path));
		assert.ok(token, 'the app-only credential never fetched a token from the fake login endpoint');
		assert.equal(token.body.grant_type, 'client_credentials');
		assert.equal(token.body.scope, 'https://graph.microsoft.com/.default');
		let events = graph.model.allEvents();
		assert.equal(events.length, 1, `expected one event, found ${events.length}`);
		assert.equal(events[0].mailbox, GUIDE.email);
		assert.equal(events[0].event._startUtc, Date.parse(new Date(start).toISOString()));
		assert.equal(events[0].event.showAs, 'busy');
		const eventId = events[0].event.id;
		const synced = run.nodes['Sync to guide calendar'] ?? [];
		assert.equal(synced[0]?.action, 'created', stringify(synced));
		// The event id went back to Peek Pro in the booking notes' block.
		const note = peek.requests.filter((r) => r.method === 'POST' && r.path === '/bookings/gc_1/notes').at(-1);
		assert.ok(note, 'no write-back to Peek Pro');
		assert.match(note.body.note, new RegExp(`outlook\\.eventId=${eventId}`));

		// Updated: the party grows and the tour moves an hour later; same event, updated in place.
		peek.bookings.set('gc_1', peekBooking('gc_1', start + 3600_000, { quantity: 4 }));
		before = await finishedCount(host, ID.sync);
		await deliver(host, wf, delivery('gc_1', 'booking.updated'));
		run = await nextExecution(host, ID.sync, before, { timeoutMs: 60_000 });
		events = graph.model.allEvents();
		assert.equal(events.length, 1, 'the update created a second event');
		assert.equal(events[0].event.id, eventId);
		assert.equal(events[0].event._startUtc, start + 3600_000);
		assert.equal(run.nodes['Sync to guide calendar']?.[0]?.action, 'updated');

		// Cancelled: the event disappears.
		peek.bookings.set('gc_1', peekBooking('gc_1', start + 3600_000, { status: 'cancelled' }));
		before = await finishedCount(host, ID.sync);
		await deliver(host, wf, delivery('gc_1', 'booking.cancelled'));
		run = await nextExecution(host, ID.sync, before, { timeoutMs: 60_000 });
		assert.equal(graph.model.allEvents().length, 0, 'the cancelled booking still has an event');
		assert.deepEqual(graph.model.counts.creates, 1);
		assert.equal(run.nodes['Sync to guide calendar']?.[0]?.action, 'deleted');

		// Conflict: Sam has a dentist appointment over the next booking; Kim is busy too, Lee is free.
		const clashStart = start + 2 * DAY;
		graph.model.seed(GUIDE.email, { subject: 'Dentist', start: new Date(clashStart + 30 * 60_000).toISOString().slice(0, 19), end: new Date(clashStart + 90 * 60_000).toISOString().slice(0, 19), timeZone: 'UTC' });
		graph.model.seed('kim.guide@tours.test', { subject: 'Other tour', start: new Date(clashStart).toISOString().slice(0, 19), end: new Date(clashStart + 3 * 3600_000).toISOString().slice(0, 19), timeZone: 'UTC' });
		peek.bookings.set('gc_2', peekBooking('gc_2', clashStart));
		const createsBefore = graph.model.counts.creates;
		const dispatchBefore = fakes.recorder.requests.length;
		before = await finishedCount(host, ID.sync);
		await deliver(host, wf, delivery('gc_2', 'booking.created'));
		run = await nextExecution(host, ID.sync, before, { timeoutMs: 60_000 });
		assert.equal(graph.model.counts.creates, createsBefore, 'a clashing booking was written to the calendar');
		const dispatched = fakes.recorder.requests.slice(dispatchBefore).find((r) => r.path === '/dispatch');
		assert.ok(dispatched, 'the dispatcher got no message');
		assert.equal(dispatched.body.bookingId, 'gc_2');
		assert.deepEqual(dispatched.body.alternatives.freeGuides, ['lee.guide@tours.test']);
		assert.ok(dispatched.body.alternatives.freeWindows.length >= 1, 'no free window suggested');
		assert.match(dispatched.body.text, /Dentist|clashes with 1 event/);

		const rows = (await host.dataTableRows('peekpro_ai_audit')).filter((r) => r.flow === 'guide-calendar-sync');
		assert.ok(rows.some((r) => r.decision === 'created') && rows.some((r) => r.decision === 'conflict'), `audit rows: ${stringify(rows.map((r) => r.decision))}`);
		assertGraphContract(graph);
		assert.deepEqual(graphWrites(graph).map((w) => w.method), ['POST', 'PATCH', 'DELETE']);
	});

	test('template guide availability back-sync: read-only writes nothing; one-way blocks the timeslot of a guide out of office', { timeout: 180_000 }, async () => {
		const { host, fakes } = ready();
		const graph = fakes.graph;
		const peek = fakes.peek;
		const start = Date.now() + 2 * DAY;
		peek.timeslots.set('ts_av_1', { id: 'ts_av_1', productId: 'p_kayak', date: new Date(start).toISOString().slice(0, 10), startTime: new Date(start).toISOString(), status: 'BOOKABLE', notes: '', bookedCount: 1, capacity: 8 });
		peek.bookings.set('av_1', peekBooking('av_1', start, { timeslotId: 'ts_av_1', guides: [{ id: 'gd_olive', name: 'Olive Away', email: 'olive.away@tours.test' }] }));
		graph.model.seed('olive.away@tours.test', { subject: 'Vacation', start: new Date(start - DAY).toISOString().slice(0, 19), end: new Date(start + DAY).toISOString().slice(0, 19), timeZone: 'UTC', showAs: 'oof' });

		// As shipped: read-only.
		const peekWritesBefore = peek.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/timeslots/')).length;
		let run = await runScheduled(host, ID.availability);
		const read = (run.nodes['Guide availability'] ?? []).find((i) => i.timeslotId === 'ts_av_1');
		assert.equal(read?.timeslotStatus, 'BLOCKED', `availability output: ${stringify(run.nodes['Guide availability'])}`);
		assert.equal(read.outOfOffice, true);
		assert.equal(peek.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/timeslots/')).length, peekWritesBefore, 'read-only phase wrote to Peek Pro');
		assert.equal(peek.timeslots.get('ts_av_1').status, 'BOOKABLE');

		// One-way: the status is written back.
		await setConfig(host, ID.availability, { shadowMode: false, rolloutPhase: 'oneWay' });
		run = await runScheduled(host, ID.availability);
		assert.equal(peek.timeslots.get('ts_av_1').status, 'BLOCKED', `block output: ${stringify(run.nodes['Block timeslot in Peek Pro'])}`);
		assertGraphContract(graph);
	});
}
