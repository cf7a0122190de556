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
import { auditTail, C, config, CREDENTIALS, Flow, ifNode, notes, PKG, setFields } from '../generate-templates.mjs';

export const RECOVERY_WORKFLOW_ID = 'PeekProAiRecover';
/** How long a flow's run record and claim owner stay in Redis: far longer than a crash takes to surface (~1 min). */
export const RECORD_TTL_SECONDS = 86_400;

/**
 * The messages n8n 2.41 gives an execution whose process died (MaxStalledCountError when a surviving
 * worker finds the job stalled; WorkflowCrashedError / NodeCrashedError when the restarted process
 * recovers it from its event log); a data error carries none of them.
 */
export const CRASH_MESSAGES = ['failed to be processed too many times', 'Workflow did not finish, possible out-of-memory', 'Node crashed, possible out-of-memory'];
const E = "$('Error Trigger').first().json";
const RUN = "$('Run record').first().json.run";
const KEY_TAIL = `{{ ${E}.workflow.id }}:{{ ${RUN}.bookingId }}:{{ ${RUN}.event }}`;

function redis(f, name, parameters, position, extra = {}) {
	return f.add(name, 'n8n-nodes-base.redis', 1, parameters, position, { credentials: CREDENTIALS.redis, ...extra });
}

/** An Edit Fields node that states one outcome as the template decision the Audit Row node reads. */
function outcome(f, name, { decision, result, reason, detail }, position) {
	const booking = `(${RUN} || {}).bookingId || null`;
	return setFields(f, name, {
		templateDecision: `={{ { decision: '${decision}', decidedByKind: 'rule', decidedById: 'recover-crashed-executions', bookingId: ${booking}, summary: { workflow: ${E}.workflow.id, failedExecution: String(${E}.execution.id), event: (${RUN} || {}).event || null, reason: '${reason}' }, result: ${result}, detail: ${detail}, shadow: ${C}.shadowMode !== false } }}`,
	}, position, { includeOtherFields: false });
}

export function recoverCrashedExecutions() {
	const f = new Flow({
		id: RECOVERY_WORKFLOW_ID,
		file: 'recover-crashed-executions.json',
		name: 'PeekPro AI · Recover crashed executions',
		flow: 'recover-crashed-executions',
		description: 'Error Trigger → a crash (worker killed, not a data error) → the booking the flow recorded in Redis → Peek\'s record of the booking → re-run once through the flow from its Config → audit row',
	});
	notes(f, {
		about: 'For **n8n queue mode**. n8n does not re-run an execution whose worker died: it ends *error* ("This execution failed to be processed too many times") and its data is erased, so n8n\'s **Retry** runs nothing. Set this workflow as the **error workflow** of each Peek-triggered flow (Settings → Error workflow) and publish it.\n\n**Error Trigger** → **Crashed?** (the worker died; a data error would fail again and is only audited, like the error handler does) → **Run record**: the booking id and event the flow wrote to Redis when it started → **Ours to recover?** (not when another delivery of the same event owns its claim) → **Recover once** (a booking event is re-run at most once, however many of its executions crashed) → **Booking from Peek** (Peek\'s record now; Redis keeps only the booking id and event) → **Re-run booking**: the flow runs again from its **Config**, with the event its trigger had verified → one audit row per outcome.\n\nA re-run that reaches Klaviyo again is harmless: the event\'s `unique_id` is the booking id plus the event, so Klaviyo keeps one.',
		configure: '- **Config**: `shadowMode` (on: the audit row says which booking *would* be re-run; nothing runs).\n- **In each Peek-triggered flow** (queue mode, next to the Redis claim step; the note **Add to each flow** lists them): **Record run**, **Record claim owner**, **Recover crashed run**, and this workflow as its error workflow.\n- Every **Redis** node here and in the flows: the queue\'s Redis (credential **Queue Redis**).',
		aboutHeight: 420,
		configureHeight: 420,
		credentials: ['Queue Redis', 'Peek Pro account'],
		shadow: 'no crashed booking is re-run: the audit row says which one would be',
	}, [-400, -520]);
	f.sticky('Add to each flow', `## Add to each flow (queue mode)
Around the Redis claim step (README, *Duplicate deliveries and queue mode*):
1. **Record run**, right after the Peek Pro Trigger's Booking output, before **Claim event**: Redis *Set*, key \`peekpro:run:{{ $workflow.id }}:{{ $execution.id }}\`, type Hash, value \`{{ JSON.stringify({ bookingId: $json.id, event: $json.event }) }}\`, expire ${RECORD_TTL_SECONDS} s. Booking id and event only: no customer data in Redis.
2. **Record claim owner**, on **First claim?**'s true output: Redis *Set*, key \`peekpro:owner:{{ $workflow.id }}:<booking id>:<event>\`, value \`{{ $execution.id }}\`, same expiry.
3. **Recover crashed run**: an *Execute Workflow Trigger* ("Accept all data") connected to **Config**.
4. Settings → Error workflow: **PeekPro AI · Recover crashed executions**.`, [-400, 700], 760, 300, 3);

	f.add('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, {}, [0, 0]);
	config(f, { shadowMode: true }, [220, 0]);
	ifNode(f, 'Crashed?', `={{ ${JSON.stringify(CRASH_MESSAGES)}.some((m) => String(((${E}.execution || {}).error || {}).message || '').includes(m)) }}`, 'true', '', [440, 0]);
	// Not a crash: the same row the error handler writes, so naming this workflow loses nothing.
	f.add('Failure row', `${PKG}.auditRow`, 1, { operation: 'fromFailure', flow: f.flow }, [660, 480], {});
	redis(f, 'Run record', { operation: 'get', propertyName: 'run', key: `=peekpro:run:{{ ${E}.workflow.id }}:{{ ${E}.execution.id }}`, keyType: 'hash', options: {} }, [660, 0]);
	ifNode(f, 'Booking recorded?', '={{ !!($json.run && $json.run.bookingId && $json.run.event) }}', 'true', '', [880, 0]);
	redis(f, 'Claim owner', { operation: 'get', propertyName: 'owner', key: `=peekpro:owner:${KEY_TAIL}`, keyType: 'string', options: {} }, [1100, 0]);
	ifNode(f, 'Ours to recover?', `={{ !$json.owner || String($json.owner) === String(${E}.execution.id) }}`, 'true', '', [1320, 0]);
	ifNode(f, 'Live?', `={{ ${C}.shadowMode === false }}`, 'true', '', [1540, 0]);
	redis(f, 'Recover once', { operation: 'incr', key: `=peekpro:recovered:${KEY_TAIL}`, expire: true, ttl: RECORD_TTL_SECONDS }, [1760, -100]);
	ifNode(f, 'First recovery?', '={{ Number(Object.values($json)[0]) === 1 }}', 'true', '', [1980, -100]);
	// Peek's record now, as the flow's own Verify Later path reads it; the event is the one the flow's
	// trigger verified and recorded (its unique_id in Klaviyo is booking id + event, as the first run's).
	f.add('Booking from Peek', `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'get',
		bookingId: `={{ ${RUN}.bookingId }}`,
		output: 'canonical',
		options: {},
	}, [2200, -200], { credentials: CREDENTIALS.peek, retryOnFail: true, maxTries: 5, waitBetweenTries: 5000, onError: 'continueErrorOutput' });
	setFields(f, 'Recorded event', {
		event: `={{ ${RUN}.event }}`,
		recoveredExecution: `={{ String(${E}.execution.id) }}`,
	}, [2420, -260]);
	// Waits for the re-run so the audit row says how it ended; a failed re-run is an item, not a failure here.
	f.add('Re-run booking', 'n8n-nodes-base.executeWorkflow', 1.4, {
		workflowId: { __rl: true, mode: 'id', value: `={{ ${E}.workflow.id }}` },
		mode: 'once',
		options: { waitForSubWorkflow: true },
	}, [2640, -260], { alwaysOutputData: true, onError: 'continueRegularOutput' });

	outcome(f, 'Re-ran', { decision: 'execution.recovered', result: "$json.error ? 'failed' : 'decided'", reason: 'worker died; booking re-run', detail: "$json.error ? String($json.error).slice(0, 300) : 'booking re-run through the flow from Config'" }, [2860, -260]);
	f.nodes.at(-1).executeOnce = true;
	outcome(f, 'Peek unreachable', { decision: 'execution.recovered', result: "'failed'", reason: 'Peek Pro did not answer', detail: "'Peek Pro did not return the booking: ' + String($json.error || '').slice(0, 200)" }, [2420, -60]);
	outcome(f, 'Already recovered', { decision: 'execution.recovery_skipped', result: "'skipped'", reason: 'already re-run for another crashed execution', detail: "'this booking event was already re-run'" }, [2200, 20]);
	outcome(f, 'Would re-run', { decision: 'execution.recovered', result: "'shadow'", reason: 'shadow mode', detail: "'shadow mode: the booking would be re-run'" }, [1760, 140]);
	outcome(f, 'Another run owns it', { decision: 'execution.recovery_skipped', result: "'skipped'", reason: 'another delivery of this event owns its claim', detail: "'owned by execution ' + $json.owner" }, [1540, 260]);
	outcome(f, 'Not recoverable', { decision: 'execution.not_recoverable', result: "'failed'", reason: 'no run record', detail: "'no run record: the worker died before the flow wrote it (or the flow lacks the recovery steps); n8n keeps nothing of this booking'" }, [1100, 260]);

	f.add('Audit row', `${PKG}.auditRow`, 1, { operation: 'fromDecision', flow: f.flow, decision: '', shadowMode: `={{ ${C}.shadowMode !== false }}` }, [3080, 60]);
	f.chain('Error Trigger', 'Config', 'Crashed?');
	f.connect('Crashed?', 'Run record', 0);
	f.connect('Crashed?', 'Failure row', 1);
	f.connect('Run record', 'Booking recorded?');
	f.connect('Booking recorded?', 'Claim owner', 0);
	f.connect('Booking recorded?', 'Not recoverable', 1);
	f.connect('Claim owner', 'Ours to recover?');
	f.connect('Ours to recover?', 'Live?', 0);
	f.connect('Ours to recover?', 'Another run owns it', 1);
	f.connect('Live?', 'Recover once', 0);
	f.connect('Live?', 'Would re-run', 1);
	f.connect('Recover once', 'First recovery?');
	f.connect('First recovery?', 'Booking from Peek', 0);
	f.connect('First recovery?', 'Already recovered', 1);
	f.connect('Booking from Peek', 'Recorded event', 0);
	f.connect('Booking from Peek', 'Peek unreachable', 1);
	f.chain('Recorded event', 'Re-run booking', 'Re-ran');
	for (const o of ['Re-ran', 'Peek unreachable', 'Already recovered', 'Would re-run', 'Another run owns it', 'Not recoverable']) f.connect(o, 'Audit row');
	// One audit tail for both row builders: an execution takes one branch, so the tail runs once.
	auditTail(f, 'Audit row', [3300, 60]);
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
