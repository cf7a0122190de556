import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/node.description';
import { router } from './actions/router';

/**
 * The pack's one audit row, for n8n's Data Table node. Community nodes cannot write to Data Tables,
 * so the templates put this node in front of a Data Table "Insert": it flattens the audit record a
 * pack node attached (`json.audit`), or builds one for a decision the template itself took, or for a
 * failed execution, always through `nodes/shared/audit.ts` (one row definition, one redaction).
 */
export class AuditRow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Audit Row',
		name: 'auditRow',
		icon: { light: 'file:auditRow.svg', dark: 'file:auditRow.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Turn a decision into one redacted audit row for the peekpro_ai_audit Data Table',
		defaults: { name: 'Audit Row' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
