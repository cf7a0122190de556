// The crash-recovery error workflow (workflows/recover-crashed-executions.json, issue 16), checked on
// the generated JSON the user imports: which failures it re-runs, when it leaves a booking alone, and
// that it re-runs only what the flow recorded. Its expressions are evaluated here with the Error
// Trigger payloads n8n 2.41 produces (messages copied from n8n's MaxStalledCountError,
// WorkflowCrashedError and a Klaviyo node error); the soak (bench/queue/soak.mjs) runs it for real.
import recovery from '../../../workflows/recover-crashed-executions.json';

interface Node {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	onError?: string;
}
const wf = recovery as unknown as { id: string; nodes: Node[]; connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>; settings: Record<string, unknown> };
const node = (name: string) => {
	const n = wf.nodes.find((x) => x.name === name);
	if (!n) throw new Error(`no node ${name}`);
	return n;
};
const next = (name: string, output: number) => (wf.connections[name]?.main[output] ?? []).map((c) => c.node);

/** The If node's left value as a function of the Error Trigger payload and the node's input item. */
function condition(ifName: string): (payload: object, json?: object, config?: object) => unknown {
	const conditions = node(ifName).parameters.conditions as { conditions: Array<{ leftValue: string }> };
	const expr = conditions.conditions[0].leftValue.replace(/^=\{\{\s*/, '').replace(/\s*\}\}$/, '');
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- evaluates the shipped template's own expression text, as n8n would; no user input
	const fn = new Function('$', '$json', `return (${expr});`) as (s: (n: string) => { first: () => { json: object } }, j: object) => unknown;
	return (payload, json = {}, config = { shadowMode: true }) =>
		fn((n) => ({ first: () => ({ json: n === 'Error Trigger' ? payload : n === 'Config' ? config : {} }) }), json);
}
const failure = (message: string, id = '41') => ({ execution: { id, mode: 'webhook', error: { message } }, workflow: { id: 'PeekProAiUpsel01', name: 'PeekPro AI · Post-booking upsell' } });
const STALLED = 'This execution failed to be processed too many times and will no longer retry. To allow this execution to complete, please break down your workflow or scale up your workers or adjust your worker settings.';

describe('recover-crashed-executions template', () => {
	it('re-runs after a worker died (stalled job, or recovered from the event log) and only audits a data error', () => {
		const crashed = condition('Crashed?');
		expect(crashed(failure(STALLED))).toBe(true);
		expect(crashed(failure('Workflow did not finish, possible out-of-memory issue'))).toBe(true);
		expect(crashed(failure('Node crashed, possible out-of-memory issue'))).toBe(true);
		expect(crashed(failure('Klaviyo answered 400: profile.email is not a valid email'))).toBe(false);
		expect(crashed({ trigger: { error: { message: 'Webhook could not be registered' } }, workflow: { id: 'x' } })).toBe(false);
		expect(next('Crashed?', 0)).toEqual(['Run record']);
		expect(next('Crashed?', 1)).toEqual(['Failure row']);
		expect(node('Failure row').parameters).toMatchObject({ operation: 'fromFailure' });
	});

	it('reads the run record the flow wrote for that execution, and gives up (audited) when there is none', () => {
		expect(node('Run record').parameters).toMatchObject({ operation: 'get', keyType: 'hash', key: "=peekpro:run:{{ $('Error Trigger').first().json.workflow.id }}:{{ $('Error Trigger').first().json.execution.id }}" });
		const recorded = condition('Booking recorded?');
		expect(recorded(failure(STALLED), { run: { bookingId: 'b_1', event: 'booking.created' } })).toBe(true);
		// Redis HGETALL of a missing key is an empty object.
		expect(recorded(failure(STALLED), { run: {} })).toBe(false);
		expect(next('Booking recorded?', 1)).toEqual(['Not recoverable']);
	});

	it('leaves a booking event to the run that owns its claim, and re-runs it when the crashed run owned it or nobody did', () => {
		const ours = condition('Ours to recover?');
		expect(ours(failure(STALLED, '41'), { owner: '41' })).toBe(true);
		expect(ours(failure(STALLED, '41'), { owner: null })).toBe(true);
		expect(ours(failure(STALLED, '41'), { owner: '40' })).toBe(false);
		expect(next('Ours to recover?', 1)).toEqual(['Another run owns it']);
	});

	it('writes nothing in shadow mode, and re-runs a booking event at most once when live', () => {
		const live = condition('Live?');
		expect(live(failure(STALLED), {}, { shadowMode: true })).toBe(false);
		expect(live(failure(STALLED), {}, { shadowMode: false })).toBe(true);
		expect(next('Live?', 0)).toEqual(['Recover once']);
		expect(next('Live?', 1)).toEqual(['Would re-run']);
		expect(node('Recover once').parameters).toMatchObject({ operation: 'incr', expire: true });
		const first = condition('First recovery?');
		expect(first(failure(STALLED), { 'peekpro:recovered:w:b:e': 1 })).toBe(true);
		expect(first(failure(STALLED), { 'peekpro:recovered:w:b:e': 2 })).toBe(false);
	});

	it('re-reads the booking from Peek and runs the failed workflow with the recorded event, auditing every outcome', () => {
		expect(next('First recovery?', 0)).toEqual(['Booking from Peek']);
		expect(node('Booking from Peek').parameters).toMatchObject({ resource: 'booking', operation: 'get', output: 'canonical' });
		expect(node('Booking from Peek').onError).toBe('continueErrorOutput');
		expect(next('Booking from Peek', 0)).toEqual(['Recorded event']);
		expect(next('Recorded event', 0)).toEqual(['Re-run booking']);
		expect(node('Re-run booking').parameters).toMatchObject({ workflowId: { mode: 'id', value: "={{ $('Error Trigger').first().json.workflow.id }}" }, options: { waitForSubWorkflow: true } });
		for (const outcome of ['Re-ran', 'Peek unreachable', 'Already recovered', 'Would re-run', 'Another run owns it', 'Not recoverable']) expect(next(outcome, 0)).toEqual(['Audit row']);
		expect(next('Audit row', 0).sort()).toEqual(['Audit table', 'Table ready']);
		expect(next('Failure row', 0).sort()).toEqual(['Audit table', 'Table ready']);
	});

	it('keeps its own failures with the error handler (never itself)', () => {
		expect(wf.settings.errorWorkflow).toBe('PeekProAiErrHndl');
		expect(wf.id).not.toBe(wf.settings.errorWorkflow);
	});
});
