import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { auditRow, createAuditRecord, type AuditRecord, type AuditResult, type DecisionMaker } from '../../shared/audit';
import { asNodeError, errorItem } from '../../shared/errors';
import { pick, str } from '../../shared/fields';

const RESULTS: AuditResult[] = ['sent', 'shadow', 'skipped', 'failed', 'pending_approval', 'decided'];
const KINDS: DecisionMaker[] = ['model', 'rule', 'llm', 'human'];
/** Longest failure message stored: enough to act on, not a stack trace full of payload. */
const MAX_DETAIL = 500;

type Row = ReturnType<typeof auditRow>;

function isRecord(value: unknown): value is AuditRecord {
	const v = value as Partial<AuditRecord> | undefined;
	return !!v && typeof v === 'object' && typeof v.auditId === 'string' && !!v.decidedBy && !!v.input && typeof v.decision === 'string';
}

function obj(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

/** A decision the template took itself (holdout, approval, an email sent by n8n's own node). */
function fromTemplateDecision(ctx: IExecuteFunctions, i: number, json: IDataObject, t: IDataObject | undefined): Row {
	const input: IDataObject = { ...json };
	delete input.audit;
	delete input.templateDecision;
	const paramResult = ctx.getNodeParameter('result', i, 'decided') as AuditResult;
	const shadow = t?.shadow !== undefined ? Boolean(t.shadow) : (ctx.getNodeParameter('shadowMode', i, false) as boolean);
	const decision = str(t?.decision) ?? str(ctx.getNodeParameter('decision', i, '')) ?? '';
	if (!decision) {
		throw new NodeOperationError(ctx.getNode(), `The item carries no audit record and no decision is set [item ${i}]`, {
			description: 'Connect a pack node\'s output (its items carry json.audit), or fill in Decision, e.g. {{ "offer.sent" }}.',
			itemIndex: i,
		});
	}
	const kind = str(t?.decidedByKind) as DecisionMaker | undefined;
	const result = (str(t?.result) as AuditResult | undefined) ?? (shadow ? 'shadow' : paramResult);
	const record = createAuditRecord(ctx, {
		decision,
		decidedBy: {
			kind: kind && KINDS.includes(kind) ? kind : 'rule',
			id: str(t?.decidedById) ?? ctx.getNode().name,
			version: str(t?.decidedByVersion) ?? 'template@1',
		},
		input,
		bookingId: str(t?.bookingId) ?? str(pick(input, ['bookingId', 'booking.id', 'id'])),
		customerEmail: str(pick(input, ['customer.email', 'email', 'entry.email'])),
		summary: obj(t?.summary),
		sent: obj(t?.sent) as AuditRecord['sent'],
		result: RESULTS.includes(result) ? result : 'decided',
		detail: str(t?.detail),
		shadow,
	});
	const row = auditRow(record);
	if (str(t?.node)) row.node = str(t?.node)!;
	return row;
}

/**
 * An item from a node's error output (the pack's one error-item shape, `nodes/shared/errors.ts`) that
 * carries no audit record: the decision failed for this item, so the audit says so instead of the
 * whole Audit Row node failing on it. Only the error fields are read (the input item beside them can
 * hold customer data); the message is capped and redacted like every detail.
 */
function fromErrorItem(ctx: IExecuteFunctions, json: IDataObject): Row {
	const message = (str(json.error) ?? 'unknown error').slice(0, MAX_DETAIL);
	const record = createAuditRecord(ctx, {
		decision: 'item.failed',
		decidedBy: { kind: 'rule', id: 'error-output', version: '1' },
		input: { error: message, field: json.field ?? null, httpCode: json.httpCode ?? null },
		bookingId: str(pick(json, ['bookingId', 'booking.id'])),
		summary: { field: str(json.field) ?? null, httpCode: str(json.httpCode) ?? null },
		result: 'failed',
		detail: message,
		shadow: false,
	});
	return auditRow(record);
}

/** n8n's Error Trigger payload → a "failed" row naming the failed workflow, execution and node. */
function fromFailure(ctx: IExecuteFunctions, json: IDataObject): Row {
	const execution = obj(json.execution) ?? {};
	const workflow = obj(json.workflow) ?? {};
	const error = obj(execution.error) ?? {};
	const message = (str(error.message) ?? 'unknown error').slice(0, MAX_DETAIL);
	// Only these fields are read: the payload's error context and stack can quote a whole item.
	const record = createAuditRecord(ctx, {
		decision: 'execution.failed',
		decidedBy: { kind: 'rule', id: 'error-handler', version: '1' },
		input: { workflow: workflow.id ?? null, execution: execution.id ?? null, lastNode: execution.lastNodeExecuted ?? null, message },
		summary: { workflow: str(workflow.name) ?? null, lastNode: str(execution.lastNodeExecuted) ?? null, execution: str(execution.id) ?? null, url: str(execution.url) ?? null },
		result: 'failed',
		detail: message,
		shadow: false,
	});
	const row = auditRow(record);
	if (str(workflow.id)) row.workflowId = str(workflow.id)!;
	if (str(execution.id)) row.executionId = str(execution.id)!;
	if (str(execution.lastNodeExecuted)) row.node = str(execution.lastNodeExecuted)!;
	return row;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation !== 'fromDecision' && operation !== 'fromFailure') {
		throw new NodeOperationError(this.getNode(), `Operation "${operation}" is not supported`, { description: 'Pick From Decision or From Failed Execution.' });
	}
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const json = items[i].json ?? {};
		try {
			const flow = str(this.getNodeParameter('flow', i, '')) ?? '';
			const row =
				operation === 'fromFailure'
					? fromFailure(this, json)
					: isRecord(json.audit)
						? auditRow(json.audit)
						: !json.templateDecision && typeof json.error === 'string'
							? fromErrorItem(this, json)
							: fromTemplateDecision(this, i, json, obj(json.templateDecision));
			out.push({ json: { flow, ...row }, pairedItem: { item: i } });
		} catch (error) {
			if (this.continueOnFail()) {
				out.push(errorItem(i, {}, error));
				continue;
			}
			throw asNodeError(this, error, i);
		}
	}
	return [out];
}
