import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelSourceProperties } from '../../helpers/modelSource';
import { round, scoreItem } from '../../helpers/output';
import { DEFAULT_REPEAT_PARAMS, expectedPurchases, probabilityAlive, probabilityRebook, shrunkValue } from '../../models/bgnbd';
import { DAY_MS } from '../../../shared/fields';
import { purchaseHistory, satisfaction } from '../../models/features';
import { logit, sigmoid } from '../../models/rng';
import { asOf, modelInfo, satisfactionScaleOf, satisfactionScaleProperty, scoreOptions, scoreTabular } from './common';

const show = { resource: ['score'], operation: ['customerValue'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Horizon (Days)',
		name: 'horizonDays',
		type: 'number',
		default: 365,
		typeOptions: { minValue: 1 },
		description: 'Window for the rebook likelihood and the predicted value',
		displayOptions: { show },
	},
	{
		displayName: 'Average Booking Value',
		name: 'averageBookingValue',
		type: 'number',
		default: 120,
		typeOptions: { minValue: 0 },
		description: 'Typical booking value across all customers; customers with few bookings are pulled towards it',
		displayOptions: { show },
	},
	satisfactionScaleProperty(show),
	...modelSourceProperties(['customerValue']),
	scoreOptions(['customerValue']),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<INodeExecutionData> {
	const s = await scoreTabular(this, itemIndex, 'rebook', item.json);
	const now = asOf(this, itemIndex);
	const horizon = this.getNodeParameter('horizonDays', itemIndex, 365) as number;
	const populationMean = this.getNodeParameter('averageBookingValue', itemIndex, 120) as number;
	const h = purchaseHistory(item.json, now);
	const count = Number.isNaN(h.count) ? 1 : Math.max(1, h.count);
	const x = count - 1;
	const lastDays = Number.isNaN(h.lastMs) ? 0 : (now - h.lastMs) / DAY_MS;
	const T = Number.isNaN(h.firstMs) ? lastDays : Math.max(0, (now - h.firstMs) / DAY_MS);
	const tx = Math.max(0, Math.min(T, T - lastDays));
	const params = DEFAULT_REPEAT_PARAMS;
	const alive = probabilityAlive(params, x, tx, T);
	const expected = expectedPurchases(params, x, tx, T, horizon);
	const sat = satisfaction(item.json, satisfactionScaleOf(this, itemIndex));
	const satShift = Number.isNaN(sat) ? 0 : 0.9 * sat;
	// Satisfaction shifts the repeat-purchase model's odds; MODELS.md gives the coefficient's source.
	const churn = 1 - sigmoid(logit(alive) + satShift);
	const rebook = s.model.trained ? s.probability : sigmoid(logit(probabilityRebook(params, x, tx, T, horizon)) + satShift + (s.x[5] >= 0 ? 0.6 * (s.x[5] - 0.5) : 0));
	const value = shrunkValue(h.averageValue, count, populationMean);
	const ltv = expected * value * (Number.isNaN(sat) ? 1 : 1 + 0.1 * sat);
	const churnRisk = Math.round(churn * 100);
	const tier = ltv >= 2 * populationMean ? 'high' : ltv >= 0.5 * populationMean ? 'medium' : 'low';
	const model = s.model.trained
		? modelInfo(s.model)
		: { ...modelInfo(s.model), id: 'peekpro.customer_value', algorithm: 'mbg-nbd', note: 'Untrained: MBG/NBD repeat-purchase model with default tour-customer priors, satisfaction-adjusted; reasons from the default rebook coefficients.' };
	return scoreItem(this, itemIndex, item.json, {
		operation: 'customerValue',
		attributes: {
			ai_rebook_probability: round(rebook),
			ai_churn_risk: churnRisk,
			ai_predicted_ltv: Math.round(ltv * 100) / 100,
			ai_value_tier: tier,
			ai_customer_value_reasons: s.sentence,
		},
		details: {
			rebookProbability: round(rebook),
			churnRisk,
			probabilityAlive: round(alive),
			expectedBookings: round(expected),
			predictedValue: Math.round(ltv * 100) / 100,
			horizonDays: horizon,
			valueTier: tier,
			satisfaction: Number.isNaN(sat) ? null : round(sat, 3),
			history: { bookings: count, daysSinceLast: Math.round(lastDays), daysSinceFirst: Math.round(T), averageValue: Number.isNaN(h.averageValue) ? null : round(h.averageValue, 2) },
			reasons: s.reasons,
			reasonText: s.sentence,
		},
		model,
		decision: `rebook ${round(rebook, 3)}, churn risk ${churnRisk}, value ${tier}`,
	});
}
