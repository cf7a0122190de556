import { createHash, randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { customerKey, instanceSalt, Pseudonymizer } from './pii';

/**
 * An audit record for every decision the pack makes: what was decided, by which model or rule and
 * version, from which input, what was sent (or would have been, in shadow mode) and with what result.
 *
 * Records carry no raw PII: the input is referenced by a hash and summarised through the
 * Pseudonymizer, which first registers every person named in the input (customer, guests,
 * guardians, signers), so generated copy that greets the customer by name ("Maria, your kayak
 * spot…") is stored with the name pseudonymized. The salt is the node's per-installation salt
 * (`piiSalt` from its credential; `instanceSalt` for nodes without one), never a constant. Community nodes cannot write to n8n Data Tables, so nodes attach the record to their
 * output item (`json.audit`) and the templates store it with n8n's own Data Table node; `auditRow()`
 * flattens it to the primitive columns a Data Table accepts.
 */
export type DecisionMaker = 'model' | 'rule' | 'llm' | 'human';
export type AuditResult = 'sent' | 'shadow' | 'skipped' | 'failed' | 'pending_approval' | 'decided';

export interface AuditRecord {
	auditId: string;
	at: string;
	workflowId?: string;
	executionId?: string;
	node: string;
	decision: string;
	decidedBy: { kind: DecisionMaker; id: string; version: string };
	input: { hash: string; bookingId?: string; customerKey?: string; summary?: IDataObject };
	sent?: { vendor: string; operation: string; request?: IDataObject };
	result: AuditResult;
	detail?: string;
	shadow: boolean;
}

export interface AuditInput {
	decision: string;
	decidedBy: AuditRecord['decidedBy'];
	input: unknown;
	bookingId?: string;
	/** The customer's email: stored only as `customerKey`, a keyed hash under `salt`. */
	customerEmail?: string;
	/** Pseudonym salt (`piiSalt` / `instanceSalt`); defaults to the instance's. */
	salt?: string;
	/** Fields worth reading in a review; redacted before storing. */
	summary?: IDataObject;
	sent?: AuditRecord['sent'];
	result: AuditResult;
	detail?: string;
	shadow: boolean;
}

/** JSON with sorted keys, so equal inputs hash equally regardless of key order. */
export function stableStringify(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function hashInput(input: unknown): string {
	return createHash('sha256').update(stableStringify(input)).digest('hex');
}

export function createAuditRecord(
	ctx: Pick<IExecuteFunctions | IWebhookFunctions, 'getNode' | 'getWorkflow'> & { getExecutionId?: () => string },
	entry: AuditInput,
): AuditRecord {
	const workflow = ctx.getWorkflow();
	const salt = entry.salt ?? instanceSalt(ctx as Parameters<typeof instanceSalt>[0]);
	const pseudonymizer = new Pseudonymizer(salt);
	pseudonymizer.registerPeople(entry.input);
	return {
		auditId: randomUUID(),
		at: new Date().toISOString(),
		workflowId: workflow.id ? String(workflow.id) : undefined,
		executionId: ctx.getExecutionId ? ctx.getExecutionId() : undefined,
		node: ctx.getNode().name,
		decision: entry.decision,
		decidedBy: entry.decidedBy,
		input: {
			hash: hashInput(entry.input),
			bookingId: entry.bookingId,
			customerKey: customerKey(entry.customerEmail, salt),
			summary: entry.summary ? pseudonymizer.redactValue(entry.summary) : undefined,
		},
		sent: entry.sent ? { ...entry.sent, request: entry.sent.request ? pseudonymizer.redactValue(entry.sent.request) : undefined } : undefined,
		result: entry.result,
		detail: entry.detail ? pseudonymizer.redactText(entry.detail) : undefined,
		shadow: entry.shadow,
	};
}

/** Flat, primitive columns for n8n's Data Table node (objects are stored as JSON text). */
export function auditRow(record: AuditRecord): Record<string, string | number | boolean | null> {
	return {
		auditId: record.auditId,
		at: record.at,
		workflowId: record.workflowId ?? null,
		executionId: record.executionId ?? null,
		node: record.node,
		decision: record.decision,
		decidedByKind: record.decidedBy.kind,
		decidedById: record.decidedBy.id,
		decidedByVersion: record.decidedBy.version,
		inputHash: record.input.hash,
		bookingId: record.input.bookingId ?? null,
		customerKey: record.input.customerKey ?? null,
		inputSummary: record.input.summary ? JSON.stringify(record.input.summary) : null,
		sentVendor: record.sent?.vendor ?? null,
		sentOperation: record.sent?.operation ?? null,
		sentRequest: record.sent?.request ? JSON.stringify(record.sent.request) : null,
		result: record.result,
		detail: record.detail ?? null,
		shadow: record.shadow,
	};
}

/**
 * The audit Data Table's columns: `flow` (which template) then `auditRow()`'s, in its order, with the
 * Data Table column type. The templates create the table from this list on their first run
 * (scripts/generate-templates.mjs keeps a copy a unit test holds equal to this one).
 */
export const AUDIT_COLUMNS: ReadonlyArray<{ name: string; type: 'string' | 'boolean' }> = [
	'flow',
	'auditId',
	'at',
	'workflowId',
	'executionId',
	'node',
	'decision',
	'decidedByKind',
	'decidedById',
	'decidedByVersion',
	'inputHash',
	'bookingId',
	'customerKey',
	'inputSummary',
	'sentVendor',
	'sentOperation',
	'sentRequest',
	'result',
	'detail',
	'shadow',
].map((name) => ({ name, type: name === 'shadow' ? ('boolean' as const) : ('string' as const) }));
