import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemIsShadow } from '../../../shared/governance';
import type { FieldWarning } from '../../../shared/phone';
import type { Channel } from '../../helpers/bodies';
import { asText, bookingOf, identifiersOf, isE164 } from '../../helpers/item';
import { errorForItem, type ItemOutcome } from '../../helpers/outcome';
import { baseUrlOf, describeRequest, klaviyoRequest, type DescribedRequest } from '../../transport';

/** Reads `customer.emailMarketingConsent`-style paths from the item, or from its nested booking. */
export function readPath(json: IDataObject, path: string): unknown {
	const walk = (root: unknown) =>
		path
			.split('.')
			.filter(Boolean)
			.reduce<unknown>((cur, key) => (cur && typeof cur === 'object' ? (cur as IDataObject)[key] : undefined), root);
	const direct = walk(json);
	if (direct !== undefined) return direct;
	const booking = bookingOf(json);
	return booking && booking !== json ? walk(booking) : undefined;
}

export function channelsParam(ctx: IExecuteFunctions, i: number): Channel[] {
	const raw = ctx.getNodeParameter('channels', i, ['email']) as string[];
	return raw.filter((c): c is Channel => c === 'email' || c === 'sms');
}

/** The item's email and phone, the phone normalized to E.164 (or left out, with the reason in `warnings`). */
export function contactOf(ctx: IExecuteFunctions, item: INodeExecutionData, i: number): { email?: string; phone_number?: string; warnings: FieldWarning[] } {
	const warnings: FieldWarning[] = [];
	const ids = identifiersOf(
		item.json ?? {},
		{ email: ctx.getNodeParameter('email', i, '') as string, phoneNumber: ctx.getNodeParameter('phoneNumber', i, '') as string },
		{ defaultCountry: ctx.getNodeParameter('defaultPhoneCountry', i, '') as string, warnings },
	);
	return { email: ids.email, phone_number: ids.phone_number, warnings };
}

export { asText, isE164, itemIsShadow };

export interface ConsentEntry<T> {
	index: number;
	spec: T;
	/** Job-level settings: entries are batched only with others that share them. */
	groupKey: string;
	shadow: boolean;
}

/**
 * Sends subscription jobs: entries grouped by their job-level settings, `max` profiles per job.
 * Shadow entries get the request that would have been sent (the full job on its first item).
 */
export async function sendConsentJobs<T>(
	ctx: IExecuteFunctions,
	entries: Array<ConsentEntry<T>>,
	outcomes: ItemOutcome[],
	opts: { path: string; max: number; body: (specs: T[], groupKey: string) => IDataObject; idempotent: boolean; result: (spec: T) => IDataObject },
): Promise<void> {
	const baseUrl = await baseUrlOf(ctx);
	const continueOnFail = ctx.continueOnFail();
	const groups = new Map<string, Array<ConsentEntry<T>>>();
	for (const e of entries) {
		const key = `${e.shadow ? 'shadow' : 'live'}\u0000${e.groupKey}`;
		groups.set(key, [...(groups.get(key) ?? []), e]);
	}
	for (const group of groups.values()) {
		for (let start = 0; start < group.length; start += opts.max) {
			const batch = group.slice(start, start + opts.max);
			const body = opts.body(batch.map((e) => e.spec), batch[0].groupKey);
			const request = describeRequest(baseUrl, { method: 'POST', path: opts.path, body });
			const own = (e: ConsentEntry<T>): DescribedRequest => ({ ...request, body: opts.body([e.spec], e.groupKey) });
			if (batch[0].shadow) {
				batch.forEach((e, n) => (outcomes[e.index] = { kind: 'shadow', request: n === 0 ? request : own(e), json: { ...opts.result(e.spec), batch: { profiles: batch.length, fullBodyOnItem: batch[0].index } } }));
				continue;
			}
			try {
				const res = await klaviyoRequest.call(ctx, { method: 'POST', path: opts.path, body, rateClass: 'subscriptions', idempotent: opts.idempotent, itemIndex: batch[0].index }, baseUrl);
				for (const e of batch) outcomes[e.index] = { kind: 'sent', request: own(e), json: { ...opts.result(e.spec), status: 'accepted', httpStatus: res.statusCode } };
			} catch (error) {
				for (const e of batch) outcomes[e.index] = { kind: 'failed', error: errorForItem(ctx, error, e.index), request: own(e) };
				if (!continueOnFail) return;
			}
		}
	}
}
