import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { modelSourceProperties } from '../../helpers/modelSource';
import { round, scoreItem } from '../../helpers/output';
import { pick } from '../../../shared/fields';
import { modelInfo, scoreOptions, scoreTabular } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Max Discount (%)',
		name: 'maxDiscountPercent',
		type: 'number',
		default: 15,
		typeOptions: { minValue: 0, maxValue: 100 },
		description: 'The largest discount a recovery may offer; discount tiers above it are capped',
		displayOptions: { show: { resource: ['score'], operation: ['cartAbandonment'] } },
	},
	...modelSourceProperties(['cartAbandonment']),
	scoreOptions(['cartAbandonment'], [
		{
			displayName: 'Allow SMS',
			name: 'allowSms',
			type: 'boolean',
			default: true,
			description: 'Whether SMS may be recommended (only ever for customers with SMS consent and a phone number)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['score'], operation: ['cartAbandonment'] } }, properties);

export interface Recovery {
	incentive: 'none' | 'urgency' | 'discount';
	discountPercent: number;
	channel: 'email' | 'sms';
	delayMinutes: number;
	rationale: string;
}

/**
 * Recovery policy: the likelier a cart converts on its own, the smaller the nudge. Discount tiers
 * (5/10/15/20%) go to the least likely carts and never exceed the configured maximum; soon-to-start
 * activities get a faster, SMS-first touch when the customer has agreed to SMS.
 */
export function recommendRecovery(p: number, daysUntil: number, maxDiscount: number, sms: boolean): Recovery {
	let incentive: Recovery['incentive'];
	let tier: number;
	if (p >= 0.6) [incentive, tier] = ['none', 0];
	else if (p >= 0.4) [incentive, tier] = ['urgency', 0];
	else if (p >= 0.25) [incentive, tier] = ['discount', 5];
	else if (p >= 0.15) [incentive, tier] = ['discount', 10];
	else if (p >= 0.08) [incentive, tier] = ['discount', 15];
	else [incentive, tier] = ['discount', 20];
	let discount = Math.min(tier, Math.max(0, maxDiscount));
	if (incentive === 'discount' && discount === 0) incentive = 'urgency';
	if (incentive !== 'discount') discount = 0;
	const soon = !Number.isNaN(daysUntil) && daysUntil <= 2;
	const channel = sms && (soon || p < 0.25) ? 'sms' : 'email';
	const delayMinutes = soon ? 30 : p >= 0.4 ? 60 : p >= 0.15 ? 180 : 24 * 60;
	const rationale =
		incentive === 'none'
			? 'likely to come back on its own: a plain reminder'
			: incentive === 'urgency'
				? 'on the fence: remind of limited spots'
				: discount < tier
					? `unlikely to convert: ${tier}% tier capped at ${discount}%`
					: `unlikely to convert: ${discount}% offer`;
	return { incentive, discountPercent: discount, channel, delayMinutes, rationale };
}

function smsAllowed(json: IDataObject): boolean {
	const consent = pick(json, ['customer.smsMarketingConsent', 'smsMarketingConsent', 'sms_consent', 'customer.sms_consent']);
	const phone = pick(json, ['customer.phone', 'phone', 'cart.customer.phone']);
	return (consent === true || consent === 'true') && typeof phone === 'string' && phone.length > 0;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<INodeExecutionData> {
	const s = await scoreTabular(this, itemIndex, 'cartAbandonment', item.json);
	const maxDiscount = this.getNodeParameter('maxDiscountPercent', itemIndex, 15) as number;
	const allowSms = this.getNodeParameter('options.allowSms', itemIndex, true) as boolean;
	const daysUntil = Math.expm1(s.x[2]);
	const rec = recommendRecovery(s.probability, daysUntil, maxDiscount, allowSms && smsAllowed(item.json));
	const p = round(s.probability);
	return scoreItem(this, itemIndex, item.json, {
		operation: 'cartAbandonment',
		attributes: {
			ai_cart_conversion_probability: p,
			ai_cart_abandonment_risk: round(1 - s.probability),
			ai_recovery_incentive: rec.incentive,
			ai_recovery_discount_percent: rec.discountPercent,
			ai_recovery_channel: rec.channel,
			ai_recovery_delay_minutes: rec.delayMinutes,
			ai_cart_reasons: s.sentence,
		},
		details: { conversionProbability: p, recovery: rec as unknown as IDataObject, reasons: s.reasons, reasonText: s.sentence, features: s.features },
		model: modelInfo(s.model),
		decision: `cart recovery ${rec.incentive}${rec.discountPercent ? ` ${rec.discountPercent}%` : ''} by ${rec.channel} after ${rec.delayMinutes} min`,
	});
}
