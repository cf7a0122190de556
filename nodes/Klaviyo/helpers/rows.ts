import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { FieldWarning } from '../../shared/phone';
import type { DescribedRequest } from '../transport';
import { finish, type ItemOutcome, type KlaviyoError } from './outcome';

/**
 * What an operation learned about single rows while building its request: warnings on rows that
 * are still sent (a phone left out because it could not be normalized) and rows rejected because
 * their own data is unusable (no identifier, an invalid email, properties that are not an object).
 * A rejected row is left out of the request and leaves as an error item; the other rows are sent,
 * so one bad row never stops the other 479.
 */
export class RowNotes {
	readonly warnings = new Map<number, FieldWarning[]>();
	readonly rejected = new Set<number>();

	warn(index: number, warnings: FieldWarning[] | undefined): void {
		if (warnings?.length) this.warnings.set(index, [...(this.warnings.get(index) ?? []), ...warnings]);
	}

	/** Marks the row rejected; its outcome is the usual failed outcome (same error item, same audit). */
	reject(index: number, error: KlaviyoError, request?: DescribedRequest): ItemOutcome {
		this.rejected.add(index);
		return { kind: 'failed', error, ...(request ? { request } : {}) };
	}

	/** A failure that should stop the node (a failed call), as opposed to a rejected row. */
	stoppingFailure(outcomes: ItemOutcome[]): Extract<ItemOutcome, { kind: 'failed' }> | undefined {
		return outcomes.find((o, i): o is Extract<ItemOutcome, { kind: 'failed' }> => o?.kind === 'failed' && !this.rejected.has(i));
	}
}

/**
 * `finish` with rejected rows: they become error items (the shape every failed item has) without
 * stopping the node. A failed call still stops it unless the node continues on fail, and so does a
 * run where every row was rejected: that is a setting to fix, not one bad row.
 */
export function finishRows(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	outcomes: ItemOutcome[],
	notes: RowNotes,
	operation: string,
	/** The Klaviyo credential's pseudonym salt (`piiSalt`). */
	salt: string,
): INodeExecutionData[] {
	if (!ctx.continueOnFail()) {
		const failure = notes.stoppingFailure(outcomes);
		if (failure) throw failure.error;
		if (items.length > 0 && notes.rejected.size === items.length) throw (outcomes[0] as Extract<ItemOutcome, { kind: 'failed' }>).error;
	}
	// Rejections are the only failures left here, and they must not stop the node.
	const continuing = new Proxy(ctx, {
		get(target, prop) {
			if (prop === 'continueOnFail') return () => true;
			const value = Reflect.get(target, prop, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
	const out = finish(continuing, items, outcomes, operation, salt);
	if (notes.warnings.size) {
		for (const item of out) {
			const index = (item.pairedItem as { item: number } | undefined)?.item;
			const warnings = index === undefined ? undefined : notes.warnings.get(index);
			if (warnings && !notes.rejected.has(index!)) item.json = { ...item.json, warnings };
		}
	}
	return out;
}
