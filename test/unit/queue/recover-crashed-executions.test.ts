// The crash-recovery error workflow (workflows/recover-crashed-executions.json, issue 16), checked on
// the generated JSON the user imports: which failures it re-runs, when it leaves a booking alone, and
// that it re-runs only what the flow recorded or, with no record, what a sweep of Peek finds unclaimed.
// Its expressions are evaluated here with the Error Trigger payloads n8n 2.41 produces (messages copied
// from n8n's MaxStalledCountError, WorkflowCrashedError and a Klaviyo node error); the soak
// (bench/queue/soak.mjs) runs it for real.
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- a test that reads the shipped templates from disk and runs the bench's own withFleetClaim in Node to compare against; it is not shipped */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import recovery from '../../../workflows/recover-crashed-executions.json';

interface Node {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	onError?: string;
}
interface Workflow {
	id: string;
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
	settings: Record<string, unknown>;
}
const wf = recovery as unknown as Workflow;
const root = join(__dirname, '..', '..', '..');
const node = (name: string) => {
	const n = wf.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node ${name}`);
	return n;
};
const next = (name: string, output: number) => (wf.connections[name]?.main[output] ?? []).map((c) => c.node);

/** The shipped Config values, as the Set node hands them on (object fields parsed). */
const shippedConfig: Record<string, unknown> = Object.fromEntries(
	(node('Config').parameters.assignments as { assignments: Array<{ name: string; value: unknown; type: string }> }).assignments.map((a) => [a.name, a.type === 'object' ? JSON.parse(String(a.value)) : a.value]),
);

const NOW = Date.parse('2026-11-30T20:00:00Z');
/** Date with a fixed clock, so "now" in an expression is NOW. */
class FixedDate extends Date {
	static now() {
		return NOW;
	}
}

interface Context {
	payload: object;
	json?: object;
	config?: Record<string, unknown>;
	run?: object;
	/** Output items of other nodes the expression reads with $('Name'): present means executed. */
	nodes?: Record<string, object>;
}
/** Evaluates an n8n expression (`={{ … }}`) of the shipped template, as n8n would, in a given context. */
function evaluate(expression: string, { payload, json = {}, config = {}, run = {}, nodes = {} }: Context): unknown {
	const body = expression.replace(/^=\{\{\s*/, '').replace(/\s*\}\}$/, '');
	const $ = (name: string) => {
		const out = name === 'Error Trigger' ? payload : name === 'Config' ? { ...shippedConfig, ...config } : name === 'Run record' ? { run } : nodes[name];
		return { isExecuted: out !== undefined, first: () => ({ json: out }), item: { json: out } };
	};
	// Evaluates the shipped template's own expression text, as n8n would; no user input.
	const fn = new Function('$', '$json', 'Date', `return (${body});`) as (s: typeof $, j: object, d: typeof FixedDate) => unknown;
	return fn($, json, FixedDate);
}
const condition = (ifName: string) => (node(ifName).parameters.conditions as { conditions: Array<{ leftValue: string }> }).conditions[0].leftValue;
/** The If node's left value as a function of the Error Trigger payload, the node's input item and Config. */
const test = (ifName: string) => (payload: object, json: object = {}, config: Record<string, unknown> = {}, nodes: Record<string, object> = {}) => evaluate(condition(ifName), { payload, json, config, nodes });
/** The audit row an outcome node builds (its templateDecision). */
const row = (name: string, ctx: Context) => {
	const value = (node(name).parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments.find((a) => a.name === 'templateDecision')!.value;
	return evaluate(value, ctx) as { decision: string; result: string; bookingId: string | null; summary: Record<string, unknown>; detail: string; shadow: boolean };
};
const failure = (message: string, id = '41', workflowId = 'PeekProAiUpsel01') => ({ execution: { id, mode: 'webhook', error: { message } }, workflow: { id: workflowId, name: 'PeekPro AI · Post-booking upsell' } });
const STALLED = 'This execution failed to be processed too many times and will no longer retry. To allow this execution to complete, please break down your workflow or scale up your workers or adjust your worker settings.';
/** A booking as Peek Pro · Booking → Get Changed Since outputs it (canonical, with the event it stands for and Peek's raw record). */
const changed = (id: string, event: string, purchasedAgoSeconds: number) => ({
	id,
	event,
	status: event === 'booking.cancelled' ? 'cancelled' : 'confirmed',
	purchasedAt: new Date(NOW - purchasedAgoSeconds * 1000).toISOString(),
	purchaser: { email: 'ada@example.com', name: 'Ada Lovelace' },
	raw: { purchaser: { email: 'ada@example.com', phone: '+1 (303) 555-0101' } },
});

/** Every node reachable from `start` (its own outputs included). */
function reachable(start: string): Set<string> {
	const seen = new Set<string>();
	const queue = [start];
	while (queue.length) {
		const n = queue.shift()!;
		if (seen.has(n)) continue;
		seen.add(n);
		for (const out of wf.connections[n]?.main ?? []) for (const c of out) queue.push(c.node);
	}
	return seen;
}

/** withFleetClaim (scripts/queue-topology.mjs) applied to the shipped post-booking template: its Claim event node. */
function fleetClaimNode(): { key: string; ttl: number; expire: boolean } {
	const script = "import { withFleetClaim } from './scripts/queue-topology.mjs'; import { readFileSync } from 'node:fs'; const wf = JSON.parse(readFileSync('workflows/post-booking-upsell.json', 'utf8')); process.stdout.write(JSON.stringify(withFleetClaim(wf).nodes.find((n) => n.name === 'Claim event').parameters));";
	return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
}

describe('recover-crashed-executions template', () => {
	it('re-runs after a worker died (stalled job, or recovered from the event log) and only audits a data error', () => {
		const crashed = test('Crashed?');
		expect(crashed(failure(STALLED))).toBe(true);
		expect(crashed(failure('Workflow did not finish, possible out-of-memory issue'))).toBe(true);
		expect(crashed(failure('Node crashed, possible out-of-memory issue'))).toBe(true);
		expect(crashed(failure('Klaviyo answered 400: profile.email is not a valid email'))).toBe(false);
		expect(crashed({ trigger: { error: { message: 'Webhook could not be registered' } }, workflow: { id: 'x' } })).toBe(false);
		expect(next('Crashed?', 0)).toEqual(['Run record']);
		expect(next('Crashed?', 1)).toEqual(['Failure row']);
		expect(node('Failure row').parameters).toMatchObject({ operation: 'fromFailure' });
	});

	it('reads the run record the flow wrote for that execution, and sweeps Peek when there is none', () => {
		expect(node('Run record').parameters).toMatchObject({ operation: 'get', keyType: 'hash', key: "=peekpro:run:{{ $('Error Trigger').first().json.workflow.id }}:{{ $('Error Trigger').first().json.execution.id }}" });
		const recorded = test('Booking recorded?');
		expect(recorded(failure(STALLED), { run: { bookingId: 'b_1', event: 'booking.created' } })).toBe(true);
		// Redis HGETALL of a missing key is an empty object.
		expect(recorded(failure(STALLED), { run: {} })).toBe(false);
		expect(next('Booking recorded?', 1)).toEqual(['Sweep this flow?']);
	});

	it('leaves a booking event to the run that owns its claim, and re-runs it when the crashed run owned it or nobody did', () => {
		const ours = test('Ours to recover?');
		expect(ours(failure(STALLED, '41'), { owner: '41' })).toBe(true);
		expect(ours(failure(STALLED, '41'), { owner: null })).toBe(true);
		expect(ours(failure(STALLED, '41'), { owner: '40' })).toBe(false);
		expect(next('Ours to recover?', 0)).toEqual(['Booking event']);
		expect(next('Ours to recover?', 1)).toEqual(['Another run owns it']);
	});

	it('writes nothing in shadow mode, and re-runs a booking event at most once when live', () => {
		const live = test('Live?');
		expect(live(failure(STALLED), {}, { shadowMode: true })).toBe(false);
		expect(live(failure(STALLED), {}, { shadowMode: false })).toBe(true);
		expect(next('Live?', 0)).toEqual(['Claim event']);
		expect(next('Live?', 1)).toEqual(['Claim now']);
		expect(next('Ours to run?', 0)).toEqual(['Recover once']);
		expect(node('Recover once').parameters).toMatchObject({ operation: 'incr', expire: true, key: "=peekpro:recovered:{{ $('Error Trigger').first().json.workflow.id }}:{{ $('Booking event').item.json.id }}:{{ $('Booking event').item.json.event }}" });
		const first = test('First recovery?');
		expect(first(failure(STALLED), { 'peekpro:recovered:w:b:e': 1 })).toBe(true);
		expect(first(failure(STALLED), { 'peekpro:recovered:w:b:e': 2 })).toBe(false);
	});

	it('re-reads the booking from Peek and runs the failed workflow once per booking event, auditing every outcome', () => {
		expect(next('First recovery?', 0)).toEqual(['Booking from Peek']);
		expect(node('Booking from Peek').parameters).toMatchObject({ resource: 'booking', operation: 'get', output: 'canonical', bookingId: "={{ $('Booking event').item.json.id }}" });
		expect(node('Booking from Peek').onError).toBe('continueErrorOutput');
		expect(next('Booking from Peek', 0)).toEqual(['Event to re-run']);
		expect(next('Booking from Peek', 1)).toEqual(['Peek unreachable']);
		expect(next('Event to re-run', 0)).toEqual(['Re-run booking']);
		// A sweep may hand over several booking events: each is its own run of the flow.
		expect(node('Re-run booking').parameters).toMatchObject({ mode: 'each', workflowId: { mode: 'id', value: "={{ $('Error Trigger').first().json.workflow.id }}" }, options: { waitForSubWorkflow: true } });
		expect(next('Re-ran', 0)).toEqual(['One row per booking']);
		expect(node('One row per booking').parameters).toMatchObject({ operation: 'removeDuplicateInputItems', compare: 'selectedFields', fieldsToCompare: 'templateDecision.bookingId,templateDecision.summary.event' });
		for (const outcome of ['One row per booking', 'Peek unreachable', 'Already recovered', 'Would re-run', 'Claimed elsewhere', 'Another run owns it', 'Sweep skipped', 'Swept', 'Not recoverable']) expect(next(outcome, 0)).toEqual(['Audit row']);
		expect(next('Audit row', 0).sort()).toEqual(['Audit table', 'Table ready']);
		expect(next('Failure row', 0).sort()).toEqual(['Audit table', 'Table ready']);
	});

	it('keeps its own failures with the error handler (never itself)', () => {
		expect(wf.settings.errorWorkflow).toBe('PeekProAiErrHndl');
		expect(wf.id).not.toBe(wf.settings.errorWorkflow);
	});
});

describe('recover-crashed-executions: the sweep when a crash left no run record', () => {
	const crash = failure(STALLED, '57');

	it('sweeps only flows listed in flowEvents, which holds every shipped Peek-triggered template\'s trigger events', () => {
		const triggers: Record<string, string[]> = {};
		for (const file of readdirSync(join(root, 'workflows')).filter((f) => f.endsWith('.json'))) {
			const flow = JSON.parse(readFileSync(join(root, 'workflows', file), 'utf8')) as Workflow;
			const trigger = flow.nodes.find((n) => n.type === 'n8n-nodes-peekpro-ai.peekProTrigger');
			if (trigger) triggers[flow.id] = trigger.parameters.events as string[];
		}
		expect(Object.keys(triggers).length).toBeGreaterThanOrEqual(7);
		expect(shippedConfig.flowEvents).toEqual(triggers);

		const sweep = test('Sweep this flow?');
		expect(sweep(failure(STALLED, '57', 'PeekProAiUpsel01'))).toBe(true);
		expect(sweep(failure(STALLED, '57', 'PeekProAiWait001'))).toBe(true);
		// A flow imported under another id (or a flow of the operator's own) is not swept, and says so.
		expect(sweep(failure(STALLED, '57', 'aB3dE5fG7hJ9kL1m'))).toBe(false);
		expect(next('Sweep this flow?', 1)).toEqual(['Not recoverable']);
		const notSwept = row('Not recoverable', { payload: failure(STALLED, '57', 'aB3dE5fG7hJ9kL1m') });
		expect(notSwept).toMatchObject({ decision: 'execution.not_recoverable', result: 'failed', bookingId: null, summary: { workflow: 'aB3dE5fG7hJ9kL1m', failedExecution: '57', reason: 'no run record; flow not in flowEvents' } });
		// A swept crash always leaves a row, even when Peek has nothing in the window.
		expect(next('Sweep this flow?', 0).sort()).toEqual(['Changed bookings', 'Swept']);
		expect(row('Swept', { payload: crash, config: { shadowMode: false } })).toMatchObject({ decision: 'execution.swept', result: 'decided', bookingId: null, summary: { failedExecution: '57', via: 'sweep' } });
	});

	it('reads purchases of the last claim lease less the clock margin: never a window longer than the lease', () => {
		const changedBookings = node('Changed bookings');
		expect(changedBookings.parameters).toMatchObject({ resource: 'booking', operation: 'getChanged', changedOptions: { activityDaysBack: 0, activityDaysAhead: 0 } });
		expect(changedBookings.onError).toBe('continueErrorOutput');
		expect(next('Changed bookings', 1)).toEqual(['Peek unreachable']);
		const since = (config: Record<string, unknown>) => Date.parse(String(evaluate(String(changedBookings.parameters.since), { payload: crash, config })));
		expect(shippedConfig).toMatchObject({ claimLeaseSeconds: 600, sweepMarginSeconds: 60 });
		expect(NOW - since({})).toBe(540_000);
		// The soak's short lease on one clock.
		expect(NOW - since({ claimLeaseSeconds: 30, sweepMarginSeconds: 1 })).toBe(29_000);
		expect(NOW - since({ claimLeaseSeconds: 30, sweepMarginSeconds: 0 })).toBe(30_000);
		// A margin larger than the lease sweeps nothing rather than reaching past it.
		expect(NOW - since({ claimLeaseSeconds: 30, sweepMarginSeconds: 60 })).toBe(0);
		for (const [lease, margin] of [[600, 60], [30, 1], [30, 0], [10, 20], [3600, 0]]) {
			expect(NOW - since({ claimLeaseSeconds: lease, sweepMarginSeconds: margin })).toBeLessThanOrEqual(lease * 1000);
		}

		// The window is checked again right before the claim (Peek's answer may have taken retries).
		const inWindow = test('Flow event in window?');
		expect(inWindow(crash, changed('b_new', 'booking.created', 539))).toBe(true);
		expect(inWindow(crash, changed('b_old', 'booking.created', 541))).toBe(false);
		expect(inWindow(crash, changed('b_soak', 'booking.created', 28), { claimLeaseSeconds: 30, sweepMarginSeconds: 1 })).toBe(true);
		expect(inWindow(crash, changed('b_soak', 'booking.created', 31), { claimLeaseSeconds: 30, sweepMarginSeconds: 1 })).toBe(false);
		const skipped = row('Sweep skipped', { payload: crash, json: changed('b_old', 'booking.created', 541) });
		expect(skipped).toMatchObject({ decision: 'execution.recovery_skipped', result: 'skipped', bookingId: 'b_old', summary: { via: 'sweep', event: 'booking.created', reason: 'purchased before the sweep window' } });
	});

	it('keeps only the events the crashed flow listens for', () => {
		const inWindow = test('Flow event in window?');
		// Post-booking upsell listens for booking.created only.
		expect(inWindow(crash, changed('b_1', 'booking.created', 10))).toBe(true);
		expect(inWindow(crash, changed('b_2', 'booking.cancelled', 10))).toBe(false);
		expect(inWindow(crash, changed('b_3', 'booking.updated', 10))).toBe(false);
		// Waitlist spot fill listens for booking.cancelled only.
		const spotFill = failure(STALLED, '58', 'PeekProAiWait001');
		expect(inWindow(spotFill, changed('b_2', 'booking.cancelled', 10))).toBe(true);
		expect(inWindow(spotFill, changed('b_1', 'booking.created', 10))).toBe(false);
		// A changed map (the operator narrowed a flow's events) is what counts.
		expect(inWindow(crash, changed('b_1', 'booking.created', 10), { flowEvents: { PeekProAiUpsel01: ['booking.checked_in'] } })).toBe(false);
		expect(next('Flow event in window?', 0)).toEqual(['Booking event']);
		expect(next('Flow event in window?', 1)).toEqual(['Sweep skipped']);
		const skipped = row('Sweep skipped', { payload: crash, json: changed('b_2', 'booking.cancelled', 10) });
		expect(skipped).toMatchObject({ result: 'skipped', bookingId: 'b_2', summary: { event: 'booking.cancelled', reason: 'not an event this flow listens for' } });
	});

	it('takes the flow\'s own claim, with the key text and expiry withFleetClaim gives the flow', () => {
		const fleet = fleetClaimNode();
		expect(fleet).toMatchObject({ operation: 'incr', expire: true, ttl: 600 });
		const claim = node('Claim event').parameters;
		expect(claim).toMatchObject({ operation: 'incr', expire: true });
		// Same text once the crashed flow's id (the recovery's $workflow.id is its own) is read where the flow reads $workflow.id.
		expect(String(claim.key).replace("$('Error Trigger').first().json.workflow.id", '$workflow.id')).toBe(fleet.key);
		expect(node('Claim now').parameters).toMatchObject({ operation: 'get', keyType: 'string', key: claim.key });
		// Same expiry: the Config lease, whose shipped value is withFleetClaim's default.
		expect(evaluate(String(claim.ttl), { payload: crash })).toBe(fleet.ttl);
		expect(evaluate(String(claim.ttl), { payload: crash, config: { claimLeaseSeconds: 30 } })).toBe(30);
		// The claim reads the item Booking event builds, with the trigger's field names, from either path.
		const assignments = (node('Booking event').parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments;
		const field = (name: string, ctx: Context) => evaluate(assignments.find((a) => a.name === name)!.value, ctx);
		const swept = { payload: crash, json: changed('b_9', 'booking.created', 5), nodes: { 'Flow event in window?': {} } };
		expect(['id', 'event', 'via'].map((n) => field(n, swept))).toEqual(['b_9', 'booking.created', 'sweep']);
		const recorded = { payload: crash, json: { owner: null }, run: { bookingId: 'b_8', event: 'booking.created' } };
		expect(['id', 'event', 'via'].map((n) => field(n, recorded))).toEqual(['b_8', 'booking.created', 'record']);
		expect(node('Booking event').parameters.includeOtherFields).toBe(false);
	});

	it('re-runs a swept booking event only when its claim count is 1; a claimed one is skipped and audited', () => {
		const ours = test('Ours to run?');
		const key = 'peekpro:claim:PeekProAiUpsel01:b_9:booking.created';
		const sweep = { 'Booking event': { id: 'b_9', event: 'booking.created', via: 'sweep' } };
		expect(ours(crash, { [key]: 1 }, {}, sweep)).toBe(true);
		// Handled by a delivery (count ≥ 1 before this INCR), or swept by another crash's sweep.
		expect(ours(crash, { [key]: 2 }, {}, sweep)).toBe(false);
		expect(ours(crash, { [key]: 5 }, {}, sweep)).toBe(false);
		// The recorded path: the crashed run owned the claim (or crashed before it); its claim only stops queued copies.
		expect(ours(crash, { [key]: 3 }, {}, { 'Booking event': { id: 'b_8', event: 'booking.created', via: 'record' } })).toBe(true);
		expect(next('Ours to run?', 1)).toEqual(['Claimed elsewhere']);
		const skipped = row('Claimed elsewhere', { payload: crash, json: { [key]: 2 }, nodes: sweep });
		expect(skipped).toMatchObject({ decision: 'execution.recovery_skipped', result: 'skipped', bookingId: 'b_9', summary: { via: 'sweep', event: 'booking.created', failedExecution: '57' } });
		expect(skipped.detail).toContain('claim count 2');
		// A swept re-run joins the recorded path: Recover once, then Peek and the flow.
		expect(reachable('Recover once').has('Re-run booking')).toBe(true);
		const reran = row('Re-ran', { payload: crash, json: {}, nodes: sweep, config: { shadowMode: false } });
		expect(reran).toMatchObject({ decision: 'execution.recovered', result: 'decided', bookingId: 'b_9', shadow: false, summary: { via: 'sweep', reason: 'no run record; swept from Peek and re-run' } });
		const failed = row('Re-ran', { payload: crash, json: { error: 'Klaviyo answered 500' }, nodes: sweep });
		expect(failed).toMatchObject({ result: 'failed', detail: 'Klaviyo answered 500' });
	});

	it('in shadow mode takes no claim and runs nothing: it reads the claim and says which booking would be re-run', () => {
		const shadowPath = reachable('Claim now');
		const writes = wf.nodes.filter((n) => shadowPath.has(n.name) && ((n.type === 'n8n-nodes-base.redis' && n.parameters.operation !== 'get') || n.type === 'n8n-nodes-base.executeWorkflow'));
		expect(writes).toEqual([]);
		expect([...shadowPath].filter((n) => n.includes('Peek'))).toEqual([]);
		const unclaimed = test('Unclaimed?');
		const sweep = { 'Booking event': { id: 'b_9', event: 'booking.created', via: 'sweep' } };
		expect(unclaimed(crash, { claim: null }, {}, sweep)).toBe(true);
		expect(unclaimed(crash, { claim: '1' }, {}, sweep)).toBe(false);
		expect(next('Unclaimed?', 0)).toEqual(['Would re-run']);
		expect(next('Unclaimed?', 1)).toEqual(['Claimed elsewhere']);
		const would = row('Would re-run', { payload: crash, json: { claim: null }, nodes: sweep, config: { shadowMode: true } });
		expect(would).toMatchObject({ decision: 'execution.recovered', result: 'shadow', shadow: true, bookingId: 'b_9', summary: { via: 'sweep' } });
		expect(row('Claimed elsewhere', { payload: crash, json: { claim: '1' }, nodes: sweep }).detail).toContain('claim count 1');
	});

	it('puts no customer data in Redis keys or audit rows', () => {
		const booking = changed('b_7', 'booking.created', 5);
		const rows = [
			row('Sweep skipped', { payload: crash, json: booking }),
			row('Re-ran', { payload: crash, json: booking, nodes: { 'Booking event': { id: 'b_7', event: 'booking.created', via: 'sweep' } } }),
			row('Peek unreachable', { payload: crash, json: { error: 'timeout' } }),
		];
		for (const r of rows) expect(JSON.stringify(r)).not.toMatch(/ada@example\.com|Lovelace|555-0101/);
		expect(row('Peek unreachable', { payload: crash, json: { error: 'timeout' } })).toMatchObject({ result: 'failed', bookingId: null, summary: { via: 'sweep' }, detail: 'Peek Pro did not answer the sweep: timeout' });
		const redisValues = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.redis').map((n) => `${String(n.parameters.key)} ${String(n.parameters.value ?? '')}`);
		for (const v of redisValues) expect(v).not.toMatch(/purchaser|email|phone|name/i);
	});
});
