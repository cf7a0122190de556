/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a test that reads the shipped templates from disk; it is not shipped */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AuditRow } from '../../../nodes/AuditRow/AuditRow.node';
import { AUDIT_COLUMNS, auditRow, createAuditRecord } from '../../../nodes/shared/audit';
import { createFakeContext, type FakeContextOptions } from '../../helpers/n8nContext';

async function run(parameters: FakeContextOptions['parameters'], items: IDataObject[], extra: Partial<FakeContextOptions> = {}) {
	const ctx = createFakeContext({ parameters, items: items.map((json) => ({ json })), ...extra });
	const [out] = await new AuditRow().execute.call(ctx as unknown as IExecuteFunctions);
	return out;
}

describe('Audit Row: the one audit row definition the templates store', () => {
	it('every shipped template creates the audit table with exactly the columns auditRow() fills, plus flow', async () => {
		const dir = join(__dirname, '..', '..', '..', 'workflows');
		const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThan(10);
		for (const file of files) {
			const wf = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Array<{ name: string; parameters: IDataObject }> };
			const table = wf.nodes.find((n) => n.name === 'Audit table');
			expect({ file, columns: (table?.parameters.columns as IDataObject | undefined)?.column }).toEqual({ file, columns: AUDIT_COLUMNS });
		}
		const ctx = createFakeContext({});
		const record = createAuditRecord(ctx as unknown as IExecuteFunctions, { decision: 'x', decidedBy: { kind: 'rule', id: 'r', version: '1' }, input: {}, result: 'decided', shadow: false });
		expect(['flow', ...Object.keys(auditRow(record))]).toEqual(AUDIT_COLUMNS.map((c) => c.name));
	});

	it('flattens the audit record a pack node attached, unchanged, with the flow', async () => {
		const ctx = createFakeContext({});
		const record = createAuditRecord(ctx as unknown as IExecuteFunctions, { decision: 'no-show risk high', decidedBy: { kind: 'model', id: 'noShow', version: '3' }, input: { id: 'b1' }, bookingId: 'b1', result: 'shadow', shadow: true });
		const [row] = await run({ operation: 'fromDecision', flow: 'no-show-risk-scan' }, [{ id: 'b1', audit: record as unknown as IDataObject }]);
		expect(row.json).toEqual({ flow: 'no-show-risk-scan', ...auditRow(record) });
		expect(row.pairedItem).toEqual({ item: 0 });
	});

	it('builds a template decision through the shared record: the customer is a keyed hash, names in the summary are redacted', async () => {
		const [row] = await run({ operation: 'fromDecision', flow: 'waitlist-spot-fill', shadowMode: false }, [
			{
				entryId: 'w1',
				customer: { email: 'ana.lopez@example.com', firstName: 'Ana', lastName: 'Lopez' },
				templateDecision: { decision: 'waitlist.offer_sent', bookingId: 'b9', summary: { note: 'offered to Ana Lopez at ana.lopez@example.com' }, sent: { vendor: 'smtp', operation: 'send' }, result: 'sent' },
			},
		]);
		expect(row.json).toMatchObject({ flow: 'waitlist-spot-fill', decision: 'waitlist.offer_sent', bookingId: 'b9', result: 'sent', sentVendor: 'smtp', shadow: false });
		const text = JSON.stringify(row.json);
		expect(text).not.toMatch(/ana\.lopez@example\.com|Lopez/);
		expect(row.json.customerKey).toMatch(/\S/);
	});

	it('an item with no record and no decision is an error item (continue on fail), never a silent row', async () => {
		const out = await run({ operation: 'fromDecision', flow: 'x' }, [{ hello: 'world' }], { continueOnFail: true });
		expect(out[0].json).toMatchObject({ error: expect.stringMatching(/no audit record/), field: null, httpCode: null });
		await expect(run({ operation: 'fromDecision', flow: 'x' }, [{ hello: 'world' }])).rejects.toThrow(/no audit record/);
	});

	it('a failed execution becomes a "failed" row naming workflow, execution and node, with the message redacted and no stack', async () => {
		const [row] = await run({ operation: 'fromFailure', flow: 'error-handler' }, [
			{
				execution: { id: '231', lastNodeExecuted: 'Offer email', error: { message: 'Invalid recipient maria.garcia@example.com', stack: 'Error: at secret place' } },
				workflow: { id: 'PeekProAiWait001', name: 'PeekPro AI · Waitlist spot fill' },
			},
		]);
		expect(row.json).toMatchObject({ flow: 'error-handler', decision: 'execution.failed', result: 'failed', workflowId: 'PeekProAiWait001', executionId: '231', node: 'Offer email', shadow: false });
		expect(String(row.json.detail)).toMatch(/^Invalid recipient /);
		expect(JSON.stringify(row.json)).not.toMatch(/maria\.garcia@example\.com|secret place/);
	});

	it('an item from a node\'s error output becomes a "failed" row with the redacted message, not a failed Audit Row', async () => {
		// The shared error-item shape (nodes/shared/errors.ts): the input item kept, plus error / description / field / httpCode.
		const [row] = await run({ operation: 'fromDecision', flow: 'guide-availability-back-sync' }, [
			{ guide: 'Sam Guide', email: 'sam.guide@example.com', bookingId: 'bk_77', error: 'Reading availability of guide Sam Guide (sam.guide@example.com): ErrorInvalidUser', description: null, field: null, httpCode: '404' },
		]);
		expect(row.json).toMatchObject({ flow: 'guide-availability-back-sync', decision: 'item.failed', result: 'failed', bookingId: 'bk_77', shadow: false });
		expect(String(row.json.detail)).toMatch(/^Reading availability of guide .*ErrorInvalidUser$/);
		expect(JSON.stringify(row.json)).not.toMatch(/sam\.guide@example\.com/);
	});
});
