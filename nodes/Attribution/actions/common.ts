import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem } from '../../shared/errors';
import { get, pick, str } from '../../shared/fields';
import { parseNumber } from '../../shared/number';

export type BatchOperation = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

/**
 * A problem with one item's data: the message names the field. Helpers that have no node context
 * raise it (`throw dataError(...)`); `perItem` and the router turn it into a NodeOperationError with
 * the item index, or an error item when the node continues on fail.
 */
export class ItemDataError extends Error {
	constructor(
		message: string,
		readonly field: string,
		readonly description?: string,
	) {
		super(message);
		// Where the pack's error-item shape reads the field at fault (nodes/shared/errors.ts).
		this.context = { field };
	}

	readonly context: { field: string };
}

export function dataError(message: string, field: string, description?: string): ItemDataError {
	return new ItemDataError(message, field, description);
}

/**
 * Runs `fn` for every item. A bad item never fails the batch when the node continues on fail (it
 * leaves as the pack's one error-item shape, input kept, `field` named); otherwise the first bad item
 * stops the node with its index, as n8n expects.
 */
export function perItem(ctx: IExecuteFunctions, items: INodeExecutionData[], fn: (i: number, json: IDataObject) => INodeExecutionData): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const json = (items[i].json ?? {}) as IDataObject;
		try {
			out.push(fn(i, json));
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push(errorItem(i, json, error));
				continue;
			}
			throw asNodeError(ctx, error, i);
		}
	}
	return out;
}

/** Minor-unit digits of a currency (2 for USD, 0 for JPY), from the platform's Intl data. */
export function minorDigits(currency: string | undefined): number {
	if (!currency) return 2;
	try {
		return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
	} catch {
		return 2;
	}
}

export function formatMoney(minor: number, currency: string | undefined): string {
	const digits = minorDigits(currency);
	const amount = minor / 10 ** digits;
	try {
		return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD', minimumFractionDigits: digits }).format(amount);
	} catch {
		return `${amount.toFixed(digits)}${currency ? ` ${currency}` : ''}`;
	}
}

const VALUE_PATHS = ['total.amount', 'total', 'totalPrice.amount', 'totalPrice', 'total_amount', 'amount', 'value', 'booking.total.amount', 'booking.total'];
const CURRENCY_PATHS = ['total.currency', 'totalPrice.currency', 'currency', 'booking.total.currency'];

/**
 * The booking value in minor units (cents), read by the pack's one number parser: an explicit
 * parameter value wins, else the usual booking fields. Throws an ItemDataError naming the field.
 */
export function bookingValue(json: IDataObject, explicit: unknown, explicitCurrency: string): { minor: number; currency?: string; field: string } {
	const given = explicit !== undefined && explicit !== null && explicit !== '';
	const field = given ? 'bookingValue (parameter)' : (VALUE_PATHS.find((p) => {
		const v = get(json, p);
		return v !== undefined && v !== null && v !== '' && typeof v !== 'object';
	}) ?? 'total.amount');
	const raw = given ? explicit : get(json, field);
	const parsed = parseNumber(raw);
	if (!parsed.ok) {
		throw dataError(`The booking value in ${field} cannot be read: ${parsed.reason}`, field, 'Set Booking Value to an expression such as {{ $json.total.amount }}, or make sure the booking carries total.amount.');
	}
	if (parsed.value < 0) throw dataError(`The booking value in ${field} is negative (${parsed.value})`, field, 'Refunds are not attributed; filter them out before this node.');
	const currency = (explicitCurrency || parsed.currency || str(pick(json, CURRENCY_PATHS)) || '').toUpperCase() || undefined;
	return { minor: Math.round(parsed.value * 10 ** minorDigits(currency)), currency, field };
}

/** Reads a JSON parameter that may arrive as text or as an object. */
export function jsonParam(value: unknown, name: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch {
		throw dataError(`${name} is not valid JSON`, name, `Give ${name} as an object or an expression returning one.`);
	}
}

/** All input item indexes, for the pairedItem of an output item computed from all of them. */
export function allPaired(items: INodeExecutionData[]): Array<{ item: number }> {
	return items.map((_, i) => ({ item: i }));
}
