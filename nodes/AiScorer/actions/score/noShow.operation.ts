import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelSourceProperties } from '../../helpers/modelSource';
import { round, scoreItem } from '../../helpers/output';
import { modelInfo, scoreOptions, scoreTabular } from './common';

const properties: INodeProperties[] = [
	...modelSourceProperties(['noShow']),
	scoreOptions(['noShow'], [
		{
			displayName: 'High Risk From',
			name: 'highRiskThreshold',
			type: 'number',
			default: 0.3,
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			description: 'Probability at or above which the risk is "high"',
		},
		{
			displayName: 'Medium Risk From',
			name: 'mediumRiskThreshold',
			type: 'number',
			default: 0.12,
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			description: 'Probability at or above which the risk is "medium"',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['score'], operation: ['noShow'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<INodeExecutionData> {
	const s = await scoreTabular(this, itemIndex, 'noShow', item.json);
	const high = this.getNodeParameter('options.highRiskThreshold', itemIndex, 0.3) as number;
	const medium = this.getNodeParameter('options.mediumRiskThreshold', itemIndex, 0.12) as number;
	const band = s.probability >= high ? 'high' : s.probability >= medium ? 'medium' : 'low';
	const p = round(s.probability);
	return scoreItem(this, itemIndex, item.json, {
		operation: 'noShow',
		attributes: { ai_no_show_probability: p, ai_no_show_risk: band, ai_no_show_reasons: s.sentence },
		details: { probability: p, riskBand: band, reasons: s.reasons, reasonText: s.sentence, features: s.features },
		model: modelInfo(s.model),
		decision: `no-show risk ${band} (${p})`,
	});
}
