/**
 * Latency under n8n queue mode (issue 16): from a `booking.cancelled` delivery to the seat hold (the
 * timeslot BLOCKED at the Peek fake) and the offer (the email at the SMTP fake) with the waitlist
 * spot-fill template (`workflows/waitlist-spot-fill.json`) in autonomous mode (shadow off, Waitlist
 * Filler autonomous), median and p99, while background booking.created traffic keeps the
 * post-booking-upsell template busy on the same fleet. Goal: p99 < 2 s (the seeds promise minutes).
 *
 * Topology: main + webhook-1 + 2 workers, Postgres, Redis; both templates with the queue-mode claim
 * step (`withFleetClaim`). Each sample is its own slot: a cancelled booking of 2 seats on `ts_lat_<i>`
 * (in the Peek fake, which verify-by-fetch reads, with its timeslot BOOKABLE there) and one waiting guest for it in the template's
 * waitlist Data Table (party of 2, joined earlier), so every cancellation has exactly one hold and one
 * offer to time. Cancellations are sent one at a time, alternately to main and webhook-1, each timed
 * from the send to the first hold and the first offer seen at the fakes (polled every 10 ms).
 *
 *   node bench/queue/latency.mjs [--samples 100] [--background 1] [--no-build]
 * (--background: booking.created per second into post-booking-upsell during the samples.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { sampleDelivery, samplePeekBooking } from '../../test/fakes/peek.mjs';
import { projectRoot } from '../../test/harness/n8n.mjs';
import { TEST_KEYS, pointTemplateAtSandboxes, startSandboxes, stopSandboxes } from '../../scripts/sandboxes.mjs';
import { down, hostFor, redisCredential, up, withFleetClaim } from '../../scripts/queue-topology.mjs';
import { WAITLIST_COLUMNS, WAITLIST_TABLE } from '../../scripts/templates/waitlist-spot-fill.mjs';

const file = join(projectRoot, 'workflows', 'waitlist-spot-fill.json');
if (!existsSync(file)) {
	process.stdout.write('latency bench: workflows/waitlist-spot-fill.json is not in this checkout. Nothing measured.\n');
	process.exit(2);
}

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1]]] : pairs), []));
const SAMPLES = Number(args.samples ?? 100);
const BACKGROUND_PER_S = Number(args.background ?? 1);
const log = (msg) => process.stderr.write(`[latency] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/** Autonomous mode: every boolean Config switch that keeps the flow from acting is turned off. */
function autonomous(wf) {
	for (const node of wf.nodes) {
		if (node.name !== 'Config') continue;
		for (const a of node.parameters?.assignments?.assignments ?? []) {
			if (/shadow/i.test(a.name)) a.value = false;
			if (/approval/i.test(a.name) && a.type === 'boolean') a.value = false;
			if (/governance|mode/i.test(a.name) && typeof a.value === 'string' && /shadow|approval/i.test(a.value)) a.value = 'autonomous';
		}
	}
	return wf;
}

const sandboxes = await startSandboxes({ keys: TEST_KEYS });
const spotFill = withFleetClaim(autonomous(pointTemplateAtSandboxes(JSON.parse(readFileSync(file, 'utf8')), sandboxes)));
for (const node of spotFill.nodes) if (node.name === 'Waitlist Filler') node.parameters.mode = 'autonomous';
const upsell = withFleetClaim(pointTemplateAtSandboxes(JSON.parse(readFileSync(join(projectRoot, 'workflows', 'post-booking-upsell.json'), 'utf8')), sandboxes));
const hookOf = (wf) => wf.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger').webhookId;
const slotOf = (i) => `ts_lat_${i}`;
const guestOf = (i) => `waiting.${i}@latency.example`;

let state;
let background;
try {
	state = await up({ name: 'latency', sandboxes, keys: TEST_KEYS, workers: 2, webhooks: 1, workflows: [spotFill, upsell], build: !process.argv.includes('--no-build'), credentials: (st, creds) => [...creds, redisCredential(st)] });
	const host = hostFor(state);
	// One waiting guest per sample slot, in the Data Table the template reads (created here with the
	// template's own columns, as its "Waitlist table" step would on first run).
	const projectId = await host.personalProjectId();
	const tableId = await host.ensureDataTable({ name: WAITLIST_TABLE, columns: WAITLIST_COLUMNS });
	const rows = Array.from({ length: SAMPLES }, (_, i) => ({ entryId: `lat-${i}`, timeslotId: slotOf(i), partySize: '2', name: `Waiting Guest ${i}`, email: guestOf(i), joinedAt: '2026-06-01T08:00:00Z', acceptanceProbability: 0.9, status: 'waiting' }));
	for (let i = 0; i < rows.length; i += 100) await host.rest('POST', `/rest/projects/${projectId}/data-tables/${tableId}/insert`, { data: rows.slice(i, i + 100), returnType: 'count' });
	await sleep(3000);
	const receivers = [state.main, state.webhooks[0]];
	let bg = 0;
	if (BACKGROUND_PER_S > 0) {
		background = setInterval(() => {
			const id = `b_bg_${bg}`;
			sandboxes.peek.bookings.set(id, samplePeekBooking({ id }));
			const body = JSON.stringify(sampleDelivery('peek_automation_api', { id }));
			fetch(`${receivers[bg++ % 2].url}/webhook/${hookOf(upsell)}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
		}, 1000 / BACKGROUND_PER_S);
	}

	const holds = [];
	const offers = [];
	const missed = [];
	const smtp = sandboxes.smtp;
	for (let i = -3; i < SAMPLES; i++) {
		// Three warm-up cancellations (i < 0) on their own slots, not counted.
		const slot = i < 0 ? `ts_lat_warm_${-i}` : slotOf(i);
		const id = i < 0 ? `b_warm_${-i}` : `b_cancel_${i}`;
		sandboxes.peek.timeslots.set(slot, { id: slot, productId: 'p_kayak', date: '2026-07-01', startTime: '2026-07-01T18:00:00-06:00', status: 'BOOKABLE', notes: '', bookedCount: 2, capacity: 8 });
		sandboxes.peek.bookings.set(id, samplePeekBooking({ id, displayId: id.toUpperCase(), status: 'cancelled', timeslotId: slot, quantity: 2, purchaser: { name: 'Leaving Guest', email: `${id}@latency.example` } }));
		const body = JSON.stringify(sampleDelivery('peek_automation_api', { id, event: 'booking.cancelled' }));
		const t0 = Date.now();
		const res = await fetch(`${receivers[(i + 3) % 2].url}/webhook/${hookOf(spotFill)}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		await res.text();
		if (i < 0) {
			await sleep(3000);
			continue;
		}
		let hold;
		let offer;
		while (Date.now() - t0 < 30_000 && (hold === undefined || offer === undefined)) {
			if (hold === undefined && sandboxes.peek.timeslots.get(slot).status === 'BLOCKED') hold = Date.now() - t0;
			if (offer === undefined && smtp.messages.some((m) => m.to.includes(guestOf(i)))) offer = Date.now() - t0;
			await sleep(10);
		}
		if (hold !== undefined) holds.push(hold);
		if (offer !== undefined) offers.push(offer);
		if (hold === undefined || offer === undefined) missed.push(i);
		if (i % 10 === 0 || hold === undefined || offer === undefined) log(`${i + 1}/${SAMPLES}: answer ${res.status}, hold ${hold ?? '—'} ms, offer ${offer ?? '—'} ms (load ${loadavg()[0].toFixed(1)})`);
	}
	const l = loadavg().map((x) => x.toFixed(1)).join(' ');
	process.stdout.write(`\nbooking.cancelled → seat hold (Peek timeslot BLOCKED) / offer (email), queue mode main + webhook-1 + 2 workers, spot-fill autonomous; background ${BACKGROUND_PER_S} booking.created/s into post-booking-upsell (${bg} sent); load average at the end ${l}\n`);
	process.stdout.write(`hold:  median ${pct(holds, 50)} ms, p99 ${pct(holds, 99)} ms, max ${Math.max(...holds)} ms (${holds.length}/${SAMPLES} seen)   goal p99 < 2000 ms\n`);
	process.stdout.write(`offer: median ${pct(offers, 50)} ms, p99 ${pct(offers, 99)} ms, max ${Math.max(...offers)} ms (${offers.length}/${SAMPLES} seen)   goal p99 < 2000 ms\n`);
	if (missed.length) process.stdout.write(`not seen within 30 s: samples ${missed.slice(0, 20).join(', ')}\n`);
} finally {
	clearInterval(background);
	await down('latency');
	await stopSandboxes(sandboxes);
}
