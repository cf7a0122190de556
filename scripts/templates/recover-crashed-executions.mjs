// PeekPro AI · Recover crashed executions (issue 16): the error workflow that re-runs, once, the
// booking event of an execution whose queue-mode worker died, plus `withCrashRecovery()`, the three
// steps each Peek-triggered flow needs for it (the soak applies them exactly as an operator would in
// the editor).
//
// Why not n8n's own Retry (Executions → Retry, or POST /api/v1/executions/{id}/retry): measured in
// the soak (README, "Queue mode, measured"), n8n 2.41 ends a job whose worker died with
// MaxStalledCountError and *replaces* the execution's data with `{ resultData: { error, runData: {} },
// executionData: { nodeExecutionStack: [] } }`. Retry then resumes an empty stack: it runs no node and
// ends "error" with the same message (6 of 6 retries did, 0 bookings recovered). The booking the
// execution carried is gone from n8n, so the flow records it where a crash cannot erase it (Redis, which
// queue mode already requires) and this workflow re-runs the booking from that record.
//
// Why Execute Workflow into the flow, not a re-delivery to the trigger's URL: the trigger remembers
// which booking events it started a flow for and answers a repeat `alreadyHandled` (README, "Booking
// events handled once"), and the claim step would drop it as a duplicate; the Verify Later re-check
// (Re-verify booking) consults the same memory. The crashed run *was* that handling, so the recovery
// enters after all three, at the flow's Config: it reads the booking from Peek Pro itself (Booking →
// Get; Redis holds only the booking id and the event, no customer data) and hands the flow that
// booking with the event the flow's own trigger had verified and recorded.
//
// Why a sweep when there is no run record: a job killed before the flow's first step (Record run),
// including one the worker had taken but not started, leaves n8n nothing of its booking, the trigger
// (in another process) already remembers the event as handled, and Peek sends each webhook once; so
// nobody else would ever run it (measured: 2–3 bookings lost per killed worker). Peek still has the
// booking, and the flow's Redis claim says which booking events some run took. So the recovery reads
// Peek's bookings purchased within the claim lease (Booking → Get Changed Since), keeps the crashed
// flow's events, and INCRs each one's claim key exactly as the flow's claim step does: 1 means no run
// took it, and this sweep now owns it (a delivery still queued then finds the claim taken and skips);
// ≥ 2 means a run had it. Every crashed execution with no record sweeps; the INCR makes each booking
// event run once however many sweeps find it, and Recover once (shared with the recorded path) makes a
// booking the recorded path re-runs and a sweep finds run once between them.
import { auditTail, BUILDERS, C, config, CREDENTIALS, Flow, ifNode, notes, PKG, setFields } from '../generate-templates.mjs';

export const RECOVERY_WORKFLOW_ID = 'PeekProAiRecover';
/** How long a flow's run record and claim owner stay in Redis: far longer than a crash takes to surface (~1 min). */
export const RECORD_TTL_SECONDS = 86_400;
/**
 * The claim step's lease as the README documents it (`withFleetClaim`'s default, the trigger's duplicate
 * window): the bound of the sweep window (below). Config.claimLeaseSeconds must equal the Claim event
 * node's Expire TTL in the flows.
 */
export const CLAIM_LEASE_SECONDS = 600;
/**
 * What the sweep window keeps back from the lease: Peek stamps purchase times with its clock, n8n
 * computes "since" with its own, so a Peek clock running ahead would stretch the window past the lease
 * by the difference; 60 s covers any NTP-synced pair with room. The read → claim gap needs none: the
 * window is re-checked against the clock right before the claim.
 */
export const SWEEP_MARGIN_SECONDS = 60;

/**
 * The messages n8n 2.41 gives an execution whose process died (MaxStalledCountError when a surviving
 * worker finds the job stalled; WorkflowCrashedError / NodeCrashedError when the restarted process
 * recovers it from its event log); a data error carries none of them.
 */
export const CRASH_MESSAGES = ['failed to be processed too many times', 'Workflow did not finish, possible out-of-memory', 'Node crashed, possible out-of-memory'];
const E = "$('Error Trigger').first().json";
const RUN = "$('Run record').first().json.run";
/** The booking event being recovered, from either path (record or sweep): `{ id, event, via }`. */
const EV = "$('Booking event').item.json";
// Functions, not constants: C comes from generate-templates.mjs, which imports this module first.
const flowEvents = () => `((${C}.flowEvents || {})[${E}.workflow.id] || [])`;
/**
 * The sweep window in ms: the claim lease less the clock margin. Why it must not exceed the lease: a
 * delivery is claimed (Redis INCR, expiry = lease) at t ≥ the booking's purchase time p, so its claim
 * key lives until at least p + lease. A booking the sweep finds was purchased at p ≥ now − window, so
 * with window ≤ lease its claim, if any run took one, is still there when the sweep INCRs it: a
 * handled booking counts ≥ 2 and is skipped. A longer window would reach bookings whose claim has
 * expired, and the sweep would run them a second time.
 */
const windowMs = () => `Math.max(0, Number(${C}.claimLeaseSeconds) - Number(${C}.sweepMarginSeconds)) * 1000`;
/** The claim key, as `withFleetClaim` (scripts/queue-topology.mjs) writes it in the crashed flow. */
const CLAIM_KEY = `=peekpro:claim:{{ ${E}.workflow.id }}:{{ $json.id }}:{{ $json.event }}`;

const SUBJECT = {
	record: `{ id: (${RUN} || {}).bookingId, event: (${RUN} || {}).event, via: 'record' }`,
	swept: "{ id: $json.id, event: $json.event, via: 'sweep' }",
	event: EV,
};

function redis(f, name, parameters, position, extra = {}) {
	return f.add(name, 'n8n-nodes-base.redis', 1, parameters, position, { credentials: CREDENTIALS.redis, ...extra });
}

/**
 * An Edit Fields node that states one outcome as the template decision the Audit Row node reads.
 * `subject` is an expression for the booking event the row is about (`{ id, event, via }`); `reason`,
 * `result` and `detail` are expressions that may read it as `s`. Booking id, event and execution ids
 * only: no customer data.
 */
function outcome(f, name, { decision, result, reason, detail, subject = SUBJECT.record }, position) {
	return setFields(f, name, {
		templateDecision: `={{ ((s) => ({ decision: '${decision}', decidedByKind: 'rule', decidedById: 'recover-crashed-executions', bookingId: s.id || null, summary: { workflow: ${E}.workflow.id, failedExecution: String(${E}.execution.id), event: s.event || null, via: s.via, reason: ${reason} }, result: ${result}, detail: ${detail}, shadow: ${C}.shadowMode !== false }))(${subject}) }}`,
	}, position, { includeOtherFields: false });
}

/**
 * Which booking events each shipped Peek-triggered flow listens for (its trigger's `events`), keyed by
 * the template's fixed id: the recovery cannot see the crashed flow's trigger (the Error Trigger gives
 * the workflow's id and name only, and n8n offers a workflow no node that reads another workflow's
 * definition without an n8n API key, a credential this template should not need), so its Config
 * carries the map. Generated from the builders, so a shipped flow's events and the map never disagree.
 */
export function shippedFlowEvents() {
	const map = {};
	for (const build of BUILDERS) {
		if (build === recoverCrashedExecutions) continue;
		const f = build();
		const trigger = f.nodes.find((n) => n.type === `${PKG}.peekProTrigger`);
		if (trigger) map[f.id] = [...trigger.parameters.events];
	}
	return map;
}

export function recoverCrashedExecutions() {
	const f = new Flow({
		id: RECOVERY_WORKFLOW_ID,
		file: 'recover-crashed-executions.json',
		name: 'PeekPro AI · Recover crashed executions',
		flow: 'recover-crashed-executions',
		description: 'Error Trigger → a crash (worker killed, not a data error) → the booking the flow recorded in Redis, or, with no record, a sweep of Peek for the flow\'s booking events of the last claim lease that no run has claimed → Peek\'s record of the booking → re-run once through the flow from its Config → audit row',
	});
	notes(f, {
		about: 'For **n8n queue mode**. n8n does not re-run an execution whose worker died: it ends *error* ("This execution failed to be processed too many times") and its data is erased, so n8n\'s **Retry** runs nothing. Set this workflow as the **error workflow** of each Peek-triggered flow (Settings → Error workflow) and publish it.\n\n**Error Trigger** → **Crashed?** (the worker died; a data error would fail again and is only audited, like the error handler does) → **Run record**: the booking id and event the flow wrote to Redis when it started → **Ours to recover?** (not when another delivery of the same event owns its claim). **No run record** (the worker died before the flow\'s first step): **Changed bookings** sweeps Peek Pro for the bookings purchased within the claim lease, keeps the crashed flow\'s events (**flowEvents**) and takes each one\'s **claim** (Redis INCR, as the flow\'s own claim step): only a booking event no run has claimed is re-run, and a delivery still queued then finds it claimed. Both paths → **Recover once** → **Booking from Peek** → **Re-run booking**: the flow runs again from its **Config**, with the event → one audit row per outcome.\n\nA re-run that reaches Klaviyo again is harmless: the event\'s `unique_id` is the booking id plus the event, so Klaviyo keeps one.',
		configure: '- **Config**: `shadowMode` (on: the audit row says which booking *would* be re-run; nothing runs, no claim is taken). `claimLeaseSeconds`: the *Expire* TTL of the flows\' **Claim event** step (600). `sweepMarginSeconds` (60): the sweep reads bookings purchased in the last lease − margin seconds, never more than the lease. `flowEvents`: `{ workflow id: [events] }`, the shipped flows\' trigger events by template id; **update it if you change a flow\'s events or import a flow under another id** (a flow not in it is not swept).\n- **In each Peek-triggered flow** (queue mode, next to the Redis claim step; the note **Add to each flow** lists them): **Record run**, **Record claim owner**, **Recover crashed run**, and this workflow as its error workflow.\n- Every **Redis** node here and in the flows: the queue\'s Redis (credential **Queue Redis**).',
		aboutHeight: 520,
		configureHeight: 520,
		credentials: ['Queue Redis', 'Peek Pro account'],
		shadow: 'no crashed booking is re-run and no claim is taken: the audit row says which one would be',
	}, [-400, -620]);
	f.sticky('Add to each flow', `## Add to each flow (queue mode)
Around the Redis claim step (README, *Duplicate deliveries and queue mode*):
1. **Record run**, right after the Peek Pro Trigger's Booking output, before **Claim event**: Redis *Set*, key \`peekpro:run:{{ $workflow.id }}:{{ $execution.id }}\`, type Hash, value \`{{ JSON.stringify({ bookingId: $json.id, event: $json.event }) }}\`, expire ${RECORD_TTL_SECONDS} s. Booking id and event only: no customer data in Redis.
2. **Record claim owner**, on **First claim?**'s true output: Redis *Set*, key \`peekpro:owner:{{ $workflow.id }}:<booking id>:<event>\`, value \`{{ $execution.id }}\`, same expiry.
3. **Recover crashed run**: an *Execute Workflow Trigger* ("Accept all data") connected to **Config**.
4. Settings → Error workflow: **PeekPro AI · Recover crashed executions**.
5. Here, in **Config**: the flow's id and trigger events in \`flowEvents\`, and its claim lease in \`claimLeaseSeconds\`.`, [-400, 800], 760, 320, 3);

	f.add('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, {}, [0, 0]);
	config(f, { shadowMode: true, claimLeaseSeconds: CLAIM_LEASE_SECONDS, sweepMarginSeconds: SWEEP_MARGIN_SECONDS, flowEvents: shippedFlowEvents() }, [220, 0]);
	ifNode(f, 'Crashed?', `={{ ${JSON.stringify(CRASH_MESSAGES)}.some((m) => String(((${E}.execution || {}).error || {}).message || '').includes(m)) }}`, 'true', '', [440, 0]);
	// Not a crash: the same row the error handler writes, so naming this workflow loses nothing.
	f.add('Failure row', `${PKG}.auditRow`, 1, { operation: 'fromFailure', flow: f.flow }, [660, 900], {});
	redis(f, 'Run record', { operation: 'get', propertyName: 'run', key: `=peekpro:run:{{ ${E}.workflow.id }}:{{ ${E}.execution.id }}`, keyType: 'hash', options: {} }, [660, 0]);
	ifNode(f, 'Booking recorded?', '={{ !!($json.run && $json.run.bookingId && $json.run.event) }}', 'true', '', [880, 0]);

	// The recorded path: the booking event the crashed run wrote when it started.
	redis(f, 'Claim owner', { operation: 'get', propertyName: 'owner', key: `=peekpro:owner:{{ ${E}.workflow.id }}:{{ ${RUN}.bookingId }}:{{ ${RUN}.event }}`, keyType: 'string', options: {} }, [1100, -140]);
	ifNode(f, 'Ours to recover?', `={{ !$json.owner || String($json.owner) === String(${E}.execution.id) }}`, 'true', '', [1320, -140]);

	// The sweep: no run record, so n8n kept nothing of the booking; Peek still has it.
	ifNode(f, 'Sweep this flow?', `={{ ${flowEvents()}.length > 0 }}`, 'true', '', [1100, 300]);
	// Purchases only (activity days 0/0): a booking found through its activity date may have changed
	// long ago, past its claim's lease, and would be re-run a second time.
	f.add('Changed bookings', `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'getChanged',
		since: `={{ new Date(Date.now() - ${windowMs()}).toISOString() }}`,
		changedOptions: { activityDaysBack: 0, activityDaysAhead: 0 },
	}, [1320, 300], { credentials: CREDENTIALS.peek, retryOnFail: true, maxTries: 3, waitBetweenTries: 5000, onError: 'continueErrorOutput' });
	// Re-checked against the clock here, right before the claim: Changed bookings' retries may have
	// taken seconds, and a booking must still be inside the window when its claim is taken.
	ifNode(f, 'Flow event in window?', `={{ !!$json.id && ${flowEvents()}.includes($json.event) && Date.parse($json.purchasedAt) >= Date.now() - ${windowMs()} }}`, 'true', '', [1540, 300]);

	// Both paths: one item per booking event, { id, event, via } (the trigger's field names, so the claim
	// key below reads as the flow's own); Peek's customer data stays behind.
	setFields(f, 'Booking event', {
		id: `={{ $('Flow event in window?').isExecuted ? $json.id : ${RUN}.bookingId }}`,
		event: `={{ $('Flow event in window?').isExecuted ? $json.event : ${RUN}.event }}`,
		via: `={{ $('Flow event in window?').isExecuted ? 'sweep' : 'record' }}`,
	}, [1760, 0], { includeOtherFields: false });
	ifNode(f, 'Live?', `={{ ${C}.shadowMode === false }}`, 'true', '', [1980, 0]);
	// The flow's own claim (same key, same expiry): a swept booking event runs only if no run claimed it,
	// and a delivery of it still queued then finds it claimed. On the recorded path the crashed run
	// already owned it (or crashed before claiming): taking the claim stops a queued copy from running too.
	redis(f, 'Claim event', { operation: 'incr', key: CLAIM_KEY, expire: true, ttl: `={{ Number(${C}.claimLeaseSeconds) }}` }, [2200, -140]);
	ifNode(f, 'Ours to run?', `={{ ${EV}.via === 'record' || Number(Object.values($json)[0]) === 1 }}`, 'true', '', [2420, -140]);
	// Shadow mode writes nothing, not even a claim: it reads whether one exists.
	redis(f, 'Claim now', { operation: 'get', propertyName: 'claim', key: CLAIM_KEY, keyType: 'string', options: {} }, [2200, 200]);
	ifNode(f, 'Unclaimed?', `={{ ${EV}.via === 'record' || $json.claim === null || $json.claim === undefined }}`, 'true', '', [2420, 200]);
	// One re-run per booking event, however many crashed executions reported it or swept it.
	redis(f, 'Recover once', { operation: 'incr', key: `=peekpro:recovered:{{ ${E}.workflow.id }}:{{ ${EV}.id }}:{{ ${EV}.event }}`, expire: true, ttl: RECORD_TTL_SECONDS }, [2640, -220]);
	ifNode(f, 'First recovery?', '={{ Number(Object.values($json)[0]) === 1 }}', 'true', '', [2860, -220]);
	// Peek's record now, as the flow's own Verify Later path reads it; the event is the one the flow's
	// trigger verified and recorded, or the one Peek's record stands for (its unique_id in Klaviyo is
	// booking id + event, as a first run's).
	f.add('Booking from Peek', `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'get',
		bookingId: `={{ ${EV}.id }}`,
		output: 'canonical',
		options: {},
	}, [3080, -300], { credentials: CREDENTIALS.peek, retryOnFail: true, maxTries: 5, waitBetweenTries: 5000, onError: 'continueErrorOutput' });
	setFields(f, 'Event to re-run', {
		event: `={{ ${EV}.event }}`,
		recoveredExecution: `={{ String(${E}.execution.id) }}`,
	}, [3300, -360]);
	// One run of the flow per booking event (a sweep may hand over several), waiting so the audit row says
	// how each ended; a failed re-run is an item, not a failure here. Each run's output items are paired
	// with its booking event (Re-ran reads it). The one case without that pairing: several booking events
	// whose runs all output nothing get n8n's single always-output item, paired with all of them, and
	// Re-ran's expression stops on the ambiguity (the error handler audits it; the re-runs themselves
	// have happened by then).
	f.add('Re-run booking', 'n8n-nodes-base.executeWorkflow', 1.4, {
		workflowId: { __rl: true, mode: 'id', value: `={{ ${E}.workflow.id }}` },
		mode: 'each',
		options: { waitForSubWorkflow: true },
	}, [3520, -360], { alwaysOutputData: true, onError: 'continueRegularOutput' });

	outcome(f, 'Re-ran', { subject: SUBJECT.event, decision: 'execution.recovered', result: "$json.error ? 'failed' : 'decided'", reason: "s.via === 'sweep' ? 'no run record; swept from Peek and re-run' : 'worker died; booking re-run'", detail: "$json.error ? String($json.error).slice(0, 300) : 'booking re-run through the flow from Config'" }, [3740, -360]);
	// The flow's output can be several items per run: one row per booking event.
	f.add('One row per booking', 'n8n-nodes-base.removeDuplicates', 2, {
		operation: 'removeDuplicateInputItems',
		compare: 'selectedFields',
		fieldsToCompare: 'templateDecision.bookingId,templateDecision.summary.event',
		options: {},
	}, [3960, -360]);
	outcome(f, 'Peek unreachable', { subject: `($('Booking event').isExecuted ? ${EV} : { via: 'sweep' })`, decision: 'execution.recovered', result: "'failed'", reason: "'Peek Pro did not answer'", detail: "(s.id ? 'Peek Pro did not return the booking: ' : 'Peek Pro did not answer the sweep: ') + String($json.error || '').slice(0, 200)" }, [3300, -140]);
	outcome(f, 'Already recovered', { subject: SUBJECT.event, decision: 'execution.recovery_skipped', result: "'skipped'", reason: "'already re-run for another crashed execution'", detail: "'this booking event was already re-run'" }, [3080, -60]);
	outcome(f, 'Would re-run', { subject: SUBJECT.event, decision: 'execution.recovered', result: "'shadow'", reason: "'shadow mode'", detail: "s.via === 'sweep' ? 'shadow mode: no run has claimed this booking event; it would be re-run' : 'shadow mode: the booking would be re-run'" }, [2640, 120]);
	outcome(f, 'Claimed elsewhere', { subject: SUBJECT.event, decision: 'execution.recovery_skipped', result: "'skipped'", reason: "'another run claimed this booking event'", detail: "'claimed by a run of the flow (claim count ' + ($json.claim !== undefined ? $json.claim : Object.values($json)[0]) + ')'" }, [2640, 300]);
	outcome(f, 'Another run owns it', { decision: 'execution.recovery_skipped', result: "'skipped'", reason: "'another delivery of this event owns its claim'", detail: "'owned by execution ' + $json.owner" }, [1540, -340]);
	outcome(f, 'Sweep skipped', { subject: SUBJECT.swept, decision: 'execution.recovery_skipped', result: "'skipped'", reason: `${flowEvents()}.includes(s.event) ? 'purchased before the sweep window' : 'not an event this flow listens for'`, detail: "'Peek Pro: ' + s.event + ', purchased ' + $json.purchasedAt" }, [1760, 520]);
	outcome(f, 'Swept', { subject: "{ via: 'sweep' }", decision: 'execution.swept', result: `${C}.shadowMode !== false ? 'shadow' : 'decided'`, reason: "'no run record: the worker died before the flow recorded its booking'", detail: `'swept Peek Pro for ' + ${flowEvents()}.join(', ') + ' of bookings purchased since ' + new Date(Date.now() - ${windowMs()}).toISOString() + '; a row per booking event follows'` }, [1320, 520]);
	outcome(f, 'Not recoverable', { decision: 'execution.not_recoverable', result: "'failed'", reason: "'no run record; flow not in flowEvents'", detail: "'no run record: the worker died before the flow wrote it (or the flow lacks the recovery steps), and Config.flowEvents does not list this workflow, so Peek was not swept'" }, [1320, 700]);

	f.add('Audit row', `${PKG}.auditRow`, 1, { operation: 'fromDecision', flow: f.flow, decision: '', shadowMode: `={{ ${C}.shadowMode !== false }}` }, [4180, 60]);
	f.chain('Error Trigger', 'Config', 'Crashed?');
	f.branches('Crashed?', 'Run record', 'Failure row');
	f.connect('Run record', 'Booking recorded?');
	f.branches('Booking recorded?', 'Claim owner', 'Sweep this flow?');
	f.connect('Claim owner', 'Ours to recover?');
	f.branches('Ours to recover?', 'Booking event', 'Another run owns it');
	f.connect('Sweep this flow?', 'Swept', 0);
	f.branches('Sweep this flow?', 'Changed bookings', 'Not recoverable');
	f.branches('Changed bookings', 'Flow event in window?', 'Peek unreachable');
	f.branches('Flow event in window?', 'Booking event', 'Sweep skipped');
	f.connect('Booking event', 'Live?');
	f.branches('Live?', 'Claim event', 'Claim now');
	f.connect('Claim event', 'Ours to run?');
	f.branches('Ours to run?', 'Recover once', 'Claimed elsewhere');
	f.connect('Claim now', 'Unclaimed?');
	f.branches('Unclaimed?', 'Would re-run', 'Claimed elsewhere');
	f.connect('Recover once', 'First recovery?');
	f.branches('First recovery?', 'Booking from Peek', 'Already recovered');
	f.branches('Booking from Peek', 'Event to re-run', 'Peek unreachable');
	f.chain('Event to re-run', 'Re-run booking', 'Re-ran', 'One row per booking');
	for (const o of ['One row per booking', 'Peek unreachable', 'Already recovered', 'Would re-run', 'Claimed elsewhere', 'Another run owns it', 'Sweep skipped', 'Swept', 'Not recoverable']) f.connect(o, 'Audit row');
	// One audit tail for both row builders (a sweep's rows may reach it from several branches).
	auditTail(f, 'Audit row', [4400, 60]);
	f.connect('Failure row', 'Table ready', 0, 0);
	f.connect('Failure row', 'Audit table');
	return f;
}

/**
 * The steps a Peek-triggered flow needs for the recovery, added to a flow that already has the Redis
 * claim step (`withFleetClaim` in scripts/queue-topology.mjs): what the note "Add to each flow" tells an
 * operator to do in the editor.
 *   Record run           Redis Set (hash) peekpro:run:<workflow>:<execution> = { bookingId, event }, before the claim
 *   Record claim owner   Redis Set peekpro:owner:<workflow>:<booking>:<event> = <execution>, once the claim is won
 *   Recover crashed run  Execute Workflow Trigger (accept all data) → Config
 * and the recovery workflow as the flow's error workflow. The record is written before anything else the
 * worker does, so the window in which a crash leaves no record is the job's start-up (measured in the soak).
 */
export function withCrashRecovery(workflow, { credential = CREDENTIALS.redis.redis, ttlSeconds = RECORD_TTL_SECONDS, errorWorkflow = RECOVERY_WORKFLOW_ID } = {}) {
	const wf = structuredClone(workflow);
	const trigger = wf.nodes.find((n) => n.type === `${PKG}.peekProTrigger`);
	for (const name of ['Claim event', 'First claim?', 'Claimed booking', 'Config']) {
		if (!wf.nodes.some((n) => n.name === name)) throw new Error(`withCrashRecovery: "${wf.name}" has no "${name}" node (add the Redis claim step first)`);
	}
	const [x, y] = trigger.position;
	const creds = { redis: { id: credential.id, name: credential.name } };
	const ev = `$('${trigger.name}').item.json`;
	wf.nodes.push(
		{
			id: 'recovery-record-run',
			name: 'Record run',
			type: 'n8n-nodes-base.redis',
			typeVersion: 1,
			position: [x + 60, y + 620],
			credentials: creds,
			parameters: { operation: 'set', key: '=peekpro:run:{{ $workflow.id }}:{{ $execution.id }}', value: '={{ JSON.stringify({ bookingId: $json.id, event: $json.event }) }}', keyType: 'hash', valueIsJSON: true, expire: true, ttl: ttlSeconds },
		},
		{
			id: 'recovery-record-owner',
			name: 'Record claim owner',
			type: 'n8n-nodes-base.redis',
			typeVersion: 1,
			position: [x + 460, y + 620],
			credentials: creds,
			parameters: { operation: 'set', key: `=peekpro:owner:{{ $workflow.id }}:{{ ${ev}.id }}:{{ ${ev}.event }}`, value: '={{ $execution.id }}', keyType: 'string', expire: true, ttl: ttlSeconds },
		},
		{
			id: 'recovery-entry',
			name: 'Recover crashed run',
			type: 'n8n-nodes-base.executeWorkflowTrigger',
			typeVersion: 1.1,
			position: [x - 240, y + 460],
			parameters: { inputSource: 'passthrough' },
		},
	);
	// Trigger → Record run → Claim event (the claim reads the same item: Set passes it through).
	wf.connections[trigger.name].main[0] = [{ node: 'Record run', type: 'main', index: 0 }];
	wf.connections['Record run'] = { main: [[{ node: 'Claim event', type: 'main', index: 0 }]] };
	// First claim? (true) → Record claim owner → Claimed booking.
	wf.connections['First claim?'].main[0] = [{ node: 'Record claim owner', type: 'main', index: 0 }];
	wf.connections['Record claim owner'] = { main: [[{ node: 'Claimed booking', type: 'main', index: 0 }]] };
	wf.connections['Recover crashed run'] = { main: [[{ node: 'Config', type: 'main', index: 0 }]] };
	wf.settings = { ...wf.settings, errorWorkflow };
	return wf;
}
