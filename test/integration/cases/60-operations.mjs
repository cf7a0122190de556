// The operations templates in the real n8n (issues 13 and 15), asserted where a user sees them:
// - waitlist spot fill, autonomous and live: a `booking.cancelled` delivery → the slot held at the
//   Peek fake (timeslot status BLOCKED) and one offer email, to the longest-waiting entry that fits,
//   with the booking link; the entry marked "offered"; audit rows for the decision and the offer;
//   then the same cancellation delivered again (new event id, to a trigger that never saw it, as a
//   second webhook process in queue mode) → no second hold, no offer to the next guest, a duplicate audit row;
// - the same template when offers lapse: the next guest is offered after the first offer's window,
//   and the slot's hold is released when nobody is left; when the offered guest books, the cascade
//   stops and the hold is released;
// - the same template with the Waitlist Filler in Assisted mode → an approval request to the approver
//   and neither a hold nor an offer;
// - the no-show risk scan, run manually → a reminder to each high-risk booking and to nobody else.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';

import { sampleDelivery, samplePeekBooking } from '../../fakes/peek.mjs';
import { CANCELLATIONS_TABLE, WAITLIST_COLUMNS, WAITLIST_TABLE } from '../../../scripts/templates/waitlist-spot-fill.mjs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { projectRoot } from '../../harness/n8n.mjs';
import { deliver, publish, runScheduled, setConfig, workflow } from './20-templates.mjs';

const { parse: parseFlatted } = createRequire(join(projectRoot, 'package.json'))('flatted');

/** Where the latest execution of `id` stands, for a failure message: status, nodes run, error, filler routes. */
async function lastRun(host, id) {
	const list = await host.executions(id);
	const latest = list.sort((a, b) => Number(b.id) - Number(a.id))[0];
	if (!latest) return 'no execution';
	const exec = await host.execution(latest.id);
	const data = typeof exec.data === 'string' ? parseFlatted(exec.data) : exec.data;
	const runData = data?.resultData?.runData ?? {};
	const filler = runData['Waitlist Filler']?.[0]?.data?.main?.map((o) => (o ?? []).map((i) => ({ entryId: i.json.entryId, action: i.json.waitlist?.action, code: i.json.waitlist?.code, reasons: i.json.waitlist?.reasons ?? i.json.waitlist?.reason, error: i.json.error })));
	return `execution ${latest.id} ${latest.status}; ran: ${Object.keys(runData).join(' → ')}; error: ${data?.resultData?.error?.message ?? 'none'} (${data?.resultData?.error?.node?.name ?? ''}); filler: ${JSON.stringify(filler)}`;
}

const SPOT = 'PeekProAiWait001';
const SCAN = 'PeekProAiNoSh001';
const settle = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, predicate, timeoutMs = 45_000) {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		const value = await predicate();
		if (value) return value;
		await settle(300);
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function waitlistRows(host, entries) {
	const projectId = await host.personalProjectId();
	const id = await host.ensureDataTable({ name: WAITLIST_TABLE, columns: WAITLIST_COLUMNS });
	if (entries) await host.rest('POST', `/rest/projects/${projectId}/data-tables/${id}/insert`, { data: entries, returnType: 'count' });
	return await host.dataTableRows(WAITLIST_TABLE);
}

async function auditRows(host, flow) {
	return (await host.dataTableRows('peekpro_ai_audit')).filter((r) => r.flow === flow);
}

/** A cancelled booking in the Peek fake: verification re-reads it, so the cancellation is Peek's. */
function cancelledBooking(peek, id, quantity) {
	const b = samplePeekBooking({ id, displayId: `BKG-${id}`, status: 'cancelled', timeslotId: 'ts_1', quantity, purchaser: { name: 'Leaving Guest', email: `${id}@example.com` } });
	peek.bookings.set(id, b);
	return b;
}

/** Seat holds and releases sent to the Peek fake (timeslot status writes). */
const slotWrites = (peek) => peek.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/timeslots/'));

const SPOT_COPY = 'PeekProAiWaitDup';
/**
 * A second copy of the spot-fill template, live on its own webhook URL. Its trigger has never seen the
 * first delivery, as the trigger of another webhook process in queue mode has not (the trigger's
 * duplicate and handled-event memory is per process and per workflow); both copies share the Data
 * Tables, as every process does. So only the template's own record can stop the repeat.
 */
async function secondProcess(host) {
	const wf = await workflow(host, SPOT);
	const nodes = wf.nodes.map((n) => (n.webhookId ? { ...n, webhookId: randomUUID() } : n));
	try {
		await workflow(host, SPOT_COPY);
		await host.rest('PATCH', `/rest/workflows/${SPOT_COPY}`, { ...(await workflow(host, SPOT_COPY)), nodes, connections: wf.connections });
	} catch {
		await host.rest('POST', '/rest/workflows', { id: SPOT_COPY, name: '[test] Waitlist spot fill, second process', active: false, nodes, connections: wf.connections, settings: wf.settings });
	}
	await publish(host, SPOT_COPY);
	return await workflow(host, SPOT_COPY);
}

async function setFillerMode(host, mode) {
	const wf = await workflow(host, SPOT);
	wf.nodes.find((n) => n.name === 'Waitlist Filler').parameters.mode = mode;
	await host.rest('PATCH', `/rest/workflows/${SPOT}`, { nodes: wf.nodes, connections: wf.connections, versionId: wf.versionId, name: wf.name, settings: wf.settings });
}

/**
 * A round on a slot of its own (so earlier tests' entries do not compete): the slot at the Peek fake,
 * two waiting entries of 2 seats (the first has waited longest), the template live and autonomous
 * with a short offer window, then a cancellation of 2 seats delivered. Returns the entries' emails and
 * the slot's status writes at the Peek fake.
 */
async function cancelIntoOwnSlot(host, fakes, { name, windowMinutes }) {
	const run = randomUUID().slice(0, 8);
	const slot = `ts_${name}_${run}`;
	fakes.peek.timeslots.set(slot, { id: slot, productId: 'p_kayak', date: '2026-07-02', startTime: '2026-07-02T09:00:00-06:00', status: 'BOOKABLE', notes: '', bookedCount: 6, capacity: 8 });
	const entries = [`${name}1-${run}`, `${name}2-${run}`];
	const emails = entries.map((e) => `wl.${e}@example.com`);
	await waitlistRows(host, [
		{ entryId: entries[0], timeslotId: slot, partySize: '2', email: emails[0], joinedAt: '2026-06-01T08:00:00Z', status: 'waiting' },
		{ entryId: entries[1], timeslotId: slot, partySize: '2 adults', email: emails[1], joinedAt: '2026-06-02T08:00:00Z', status: 'waiting' },
	]);
	await setFillerMode(host, 'autonomous');
	// n8n's Wait runs a window under 65 s in process, so the test sees the lapses.
	await setConfig(host, SPOT, { shadowMode: false, offerWindowMinutes: windowMinutes });
	await publish(host, SPOT);
	const mailsBefore = fakes.smtp.messages.length;
	const id = `bk_${name}_${run}`;
	fakes.peek.bookings.set(id, samplePeekBooking({ id, displayId: `BKG-${id}`, status: 'cancelled', timeslotId: slot, quantity: 2, purchaser: { name: 'Leaving Guest', email: `${id}@example.com` } }));
	await deliver(host, await workflow(host, SPOT), sampleDelivery('peek_automation_api', { id, event: 'booking.cancelled' }));
	const writes = () => fakes.peek.requests.filter((r) => r.method === 'POST' && r.path === `/timeslots/${slot}`).map((r) => r.body.status);
	const offers = () => fakes.smtp.messages.slice(mailsBefore).filter((m) => /spot opened up/i.test(m.subject));
	const released = () =>
		until('the hold to be released', () => writes().includes('BOOKABLE'), 60_000).catch(async (error) => {
			throw new Error(`${error.message}; writes ${JSON.stringify(writes())}; ${await lastRun(host, SPOT)}`);
		});
	return { slot, entries, emails, writes, offers, released };
}

export async function register(getEnv) {
	test('waitlist spot fill (autonomous): a cancellation holds the slot in Peek Pro and offers the seats to the right guest; the same cancellation delivered again offers nothing more', async () => {
		const { host, fakes } = getEnv();
		const run = randomUUID().slice(0, 8);
		const first = `wl.first.${run}@example.com`;
		const second = `wl.second.${run}@example.com`;
		const tooBig = `wl.big.${run}@example.com`;
		await waitlistRows(host, [
			// Waits longest but needs 5 seats: does not fit the 2 freed.
			{ entryId: `big-${run}`, timeslotId: 'ts_1', partySize: '5 adults', email: tooBig, joinedAt: '2026-06-01T08:00:00Z', status: 'waiting' },
			{ entryId: `first-${run}`, timeslotId: 'ts_1', partySize: 'two', email: first, joinedAt: '2026-06-02T08:00:00Z', status: 'waiting' },
			{ entryId: `second-${run}`, timeslotId: 'ts_1', partySize: '2', email: second, joinedAt: '2026-06-03T08:00:00Z', status: 'waiting' },
			{ entryId: `other-${run}`, timeslotId: 'ts_other', partySize: '1', email: `wl.other.${run}@example.com`, joinedAt: '2026-05-01T08:00:00Z', status: 'waiting' },
		]);
		await setFillerMode(host, 'autonomous');
		await setConfig(host, SPOT, { shadowMode: false });
		await publish(host, SPOT);
		fakes.peek.requests.length = 0;
		const id = `bk_cancel_${run}`;
		cancelledBooking(fakes.peek, id, 2);
		await deliver(host, await workflow(host, SPOT), sampleDelivery('peek_automation_api', { id, event: 'booking.cancelled' }));

		const offer = await until('the offer email', () => fakes.smtp.messages.find((m) => m.to.includes(first))).catch(async (error) => {
			throw new Error(`${error.message}; ${await lastRun(host, SPOT)}`);
		});
		assert.match(offer.subject, /spot opened up/i);
		assert.match(offer.body, new RegExp(`timeslot=ts_1&entry=first-${run}`), 'the offer carries the booking link for this slot and entry');
		const hold = fakes.peek.requests.find((r) => r.method === 'POST' && r.path === '/timeslots/ts_1');
		assert.ok(hold, 'the slot is held at Peek Pro');
		assert.equal(hold.body.status, 'BLOCKED');
		await settle(1500);
		for (const other of [second, tooBig]) assert.ok(!fakes.smtp.messages.some((m) => m.to.includes(other)), `no offer to ${other}: the 2 freed seats went to the longest-waiting entry that fits`);

		const rows = await waitlistRows(host);
		assert.equal(rows.find((r) => r.entryId === `first-${run}`)?.status, 'offered', 'the entry is marked offered, so it is never offered twice');
		assert.equal(rows.find((r) => r.entryId === `second-${run}`)?.status, 'waiting');
		const audit = await until('the audit rows', async () => {
			const list = await auditRows(host, 'waitlist-spot-fill');
			return list.some((r) => r.decision === 'waitlist.offer_sent' && JSON.parse(r.inputSummary ?? '{}').entryId === `first-${run}`) ? list : undefined;
		});
		const promote = audit.find((r) => r.decision === `promote now: entry first-${run} for slot ts_1`);
		assert.ok(promote, 'the filler\'s decision is audited');
		assert.equal(promote.shadow, false);
		assert.ok(!JSON.stringify(audit).includes(first), 'no email address in the audit rows');

		// The same cancellation again, later, as a new delivery: a new event id, so the trigger's duplicate
		// keys (delivery id, event id, body hash) do not match it.
		const copy = await secondProcess(host);
		try {
			const writesBefore = slotWrites(fakes.peek).length;
			const mailsBefore = fakes.smtp.messages.length;
			const runsBefore = (await host.executions(SPOT_COPY)).length;
			const again = { ...sampleDelivery('peek_automation_api', { id, event: 'booking.cancelled' }), id: `evt_${id}_redelivered` };
			const answer = await deliver(host, copy, again);
			assert.ok(!/duplicate/.test(answer), `the trigger let the repeat through (${answer}), so the template's own record is what is tested`);
			// Whichever comes first: the duplicate's audit row, or (the failure) a hold or an offer.
			const duplicateRow = async () => (await auditRows(host, 'waitlist-spot-fill')).find((r) => r.decision === 'waitlist.duplicate_cancellation' && r.bookingId === id);
			await until('the repeat to be handled', async () => slotWrites(fakes.peek).length > writesBefore || fakes.smtp.messages.length > mailsBefore || (await duplicateRow())).catch(async (error) => {
				throw new Error(`${error.message}; ${await lastRun(host, SPOT_COPY)}`);
			});
			await settle(1500);
			assert.deepEqual(slotWrites(fakes.peek).slice(writesBefore).map((r) => r.body), [], 'no second seat hold (or release) at Peek Pro');
			assert.deepEqual(fakes.smtp.messages.slice(mailsBefore).map((m) => m.to), [], 'no offer email: not to the next guest, not again to the first');
			assert.ok((await host.executions(SPOT_COPY)).length > runsBefore, 'the repeat started an execution (the template, not the trigger, stopped it)');
			const dup = await duplicateRow();
			assert.equal(dup?.result, 'skipped', 'the duplicate is audited as no action');
			assert.equal(dup.shadow, false);
			const after = await waitlistRows(host);
			assert.equal(after.find((r) => r.entryId === `second-${run}`)?.status, 'waiting', 'the next guest is still waiting');
			assert.equal(after.find((r) => r.entryId === `first-${run}`)?.status, 'offered');
			const recorded = (await host.dataTableRows(CANCELLATIONS_TABLE)).filter((r) => r.bookingId === id);
			assert.equal(recorded.length, 1, 'the cancellation is recorded once');
		} finally {
			await host.deactivate(SPOT_COPY).catch(() => undefined);
		}
	});

	test('waitlist spot fill (autonomous): an offer nobody takes passes to the next guest when its window lapses, and the hold is released when nobody is left', async () => {
		const { host, fakes } = getEnv();
		try {
			const round = await cancelIntoOwnSlot(host, fakes, { name: 'lapse', windowMinutes: 0.05 });
			await round.released();
			assert.deepEqual(round.offers().map((m) => m.to[0]), round.emails, 'the longest-waiting guest first, then, when that offer lapsed, the next one; nobody twice');
			assert.match(round.offers()[1].body, new RegExp(`entry=${round.entries[1]}`));
			assert.equal(round.writes()[0], 'BLOCKED', 'the slot is held while an offer is open');
			assert.equal(round.writes().at(-1), 'BOOKABLE', 'and released when nobody is left to offer');
			assert.equal(fakes.peek.timeslots.get(round.slot).status, 'BOOKABLE');
			const rows = await waitlistRows(host);
			for (const entry of round.entries) assert.equal(rows.find((r) => r.entryId === entry)?.status, 'expired');
			const audit = await auditRows(host, 'waitlist-spot-fill');
			for (const entry of round.entries) {
				assert.ok(audit.some((r) => r.decision === 'waitlist.offer_sent' && JSON.parse(r.inputSummary ?? '{}').entryId === entry), `the offer to ${entry} is audited`);
			}
		} finally {
			await setConfig(host, SPOT, { offerWindowMinutes: 30 });
		}
	});

	test('waitlist spot fill (autonomous): when the offered guest books, the cascade stops and the slot is sold normally again', async () => {
		const { host, fakes } = getEnv();
		try {
			const round = await cancelIntoOwnSlot(host, fakes, { name: 'taken', windowMinutes: 0.1 });
			const [taker, next] = round.entries;
			await until('the offer email', () => round.offers().find((m) => m.to.includes(round.emails[0])));
			// The guest books within the window: the operator's booking page marks the entry, as the README says.
			const projectId = await host.personalProjectId();
			const tableId = await host.ensureDataTable({ name: WAITLIST_TABLE, columns: WAITLIST_COLUMNS });
			await host.rest('PATCH', `/rest/projects/${projectId}/data-tables/${tableId}/rows`, {
				filter: { type: 'and', filters: [{ columnName: 'entryId', condition: 'eq', value: taker }] },
				data: { status: 'booked' },
			});
			await round.released();
			await settle(1500);
			assert.deepEqual(round.writes(), ['BLOCKED', 'BOOKABLE'], 'held during the offer, open for sale again once the guest booked');
			assert.ok(!round.offers().some((m) => m.to.includes(round.emails[1])), 'no offer to the next guest: the seats are taken');
			const rows = await waitlistRows(host);
			assert.equal(rows.find((r) => r.entryId === taker)?.status, 'booked');
			assert.equal(rows.find((r) => r.entryId === next)?.status, 'waiting');
		} finally {
			await setConfig(host, SPOT, { offerWindowMinutes: 30 });
		}
	});

	test('waitlist spot fill (assisted): the same cancellation asks the approver instead, and holds and offers nothing', async () => {
		const { host, fakes } = getEnv();
		const run = randomUUID().slice(0, 8);
		const guest = `wl.assisted.${run}@example.com`;
		await waitlistRows(host, [{ entryId: `assisted-${run}`, timeslotId: 'ts_1', partySize: '1', email: guest, joinedAt: '2026-01-01T08:00:00Z', status: 'waiting' }]);
		await setFillerMode(host, 'assisted');
		await setConfig(host, SPOT, { shadowMode: false, approverEmail: 'approver@example.com' });
		await publish(host, SPOT);
		fakes.peek.requests.length = 0;
		const before = fakes.smtp.messages.length;
		const id = `bk_assist_${run}`;
		cancelledBooking(fakes.peek, id, 1);
		await deliver(host, await workflow(host, SPOT), sampleDelivery('peek_automation_api', { id, event: 'booking.cancelled' }));

		const ask = await until('the approval request', () => fakes.smtp.messages.slice(before).find((m) => m.to.includes('approver@example.com')));
		assert.match(ask.subject, /Approve a waitlist offer/);
		assert.match(ask.body, new RegExp(`assisted-${run}`));
		assert.ok(ask.links.some((l) => /approved=true/.test(l)), 'the request carries n8n\'s approve link');
		await settle(1500);
		assert.ok(!fakes.smtp.messages.slice(before).some((m) => m.to.includes(guest)), 'no offer before approval');
		assert.ok(!fakes.peek.requests.some((r) => r.method === 'POST' && r.path.startsWith('/timeslots/')), 'no hold before approval');
		const rows = await auditRows(host, 'waitlist-spot-fill');
		const pending = rows.find((r) => r.decision === `needs approval: entry assisted-${run} for slot ts_1`);
		assert.equal(pending?.result, 'pending_approval');
	});

	test('no-show risk scan (manual run): the reminder goes to each high-risk booking and to nobody else', async () => {
		const { host, fakes } = getEnv();
		const run = randomUUID().slice(0, 8);
		const now = Date.now();
		const soon = (h) => new Date(now + h * 3_600_000).toISOString();
		// Booked months ahead by a large unpaid party vs. booked yesterday, paid, a couple.
		fakes.peek.bookings.set(`ns_risky_${run}`, samplePeekBooking({ id: `ns_risky_${run}`, status: 'confirmed', timeslotId: 'ts_ns', purchaser: { name: 'Rhea Risky', email: `ns.risky.${run}@example.com` }, purchasedAt: new Date(now - 200 * 86_400_000).toISOString(), startTime: soon(20), endTime: soon(22), quantity: 8, totalPrice: { amount: 980, currency: 'USD' }, balance: { amount: 980, currency: 'USD' } }));
		fakes.peek.bookings.set(`ns_safe_${run}`, samplePeekBooking({ id: `ns_safe_${run}`, status: 'confirmed', timeslotId: 'ts_ns', purchaser: { name: 'Sam Safe', email: `ns.safe.${run}@example.com` }, purchasedAt: new Date(now - 86_400_000).toISOString(), startTime: soon(21), endTime: soon(23), quantity: 2, totalPrice: { amount: 120, currency: 'USD' }, balance: { amount: 0, currency: 'USD' } }));
		fakes.peek.bookings.set(`ns_gone_${run}`, samplePeekBooking({ id: `ns_gone_${run}`, status: 'cancelled', timeslotId: 'ts_ns', purchaser: { name: 'Cy Cancelled', email: `ns.gone.${run}@example.com` }, startTime: soon(20), endTime: soon(22) }));

		// A first run in shadow mode gives the two probabilities; "High Risk From" is then set between them.
		await setConfig(host, SCAN, { shadowMode: true });
		const shadowRun = await runScheduled(host, SCAN);
		const scored = shadowRun.nodes['No-show risk'].filter((j) => String(j.id).endsWith(run));
		assert.deepEqual(scored.map((j) => j.id).sort(), [`ns_risky_${run}`, `ns_safe_${run}`], 'confirmed bookings only are scored');
		const p = Object.fromEntries(scored.map((j) => [j.id.split('_')[1], j.ai_no_show_probability]));
		assert.ok(p.risky > p.safe, `the risky booking scores higher (${p.risky} vs ${p.safe})`);
		const wf = await workflow(host, SCAN);
		wf.nodes.find((n) => n.name === 'No-show risk').parameters.options.highRiskThreshold = (p.risky + p.safe) / 2;
		await host.rest('PATCH', `/rest/workflows/${SCAN}`, { nodes: wf.nodes, connections: wf.connections, versionId: wf.versionId, name: wf.name, settings: wf.settings });
		await setConfig(host, SCAN, { shadowMode: false });
		const before = fakes.smtp.messages.length;
		const live = await runScheduled(host, SCAN);

		const sent = fakes.smtp.messages.slice(before);
		const high = live.nodes['No-show risk'].filter((j) => j.ai_no_show_risk === 'high').map((j) => j.customer.email);
		assert.ok(sent.some((m) => m.to.includes(`ns.risky.${run}@example.com`) && /See you soon/.test(m.subject)), 'the high-risk booking gets the reminder');
		assert.ok(!sent.some((m) => m.to.includes(`ns.safe.${run}@example.com`) || m.to.includes(`ns.gone.${run}@example.com`)), 'no reminder to the low-risk or cancelled booking');
		for (const m of sent.filter((x) => /See you soon/.test(x.subject))) assert.ok(high.includes(m.to[0]), `reminder to ${m.to[0]}, which is not high risk`);
		const rows = (await auditRows(host, 'no-show-risk-scan')).filter((r) => String(r.executionId) === String(live.id));
		assert.ok(rows.some((r) => r.decision === 'no_show.reminder_sent' && r.bookingId === `ns_risky_${run}`), 'the reminder is audited');
	});
}
