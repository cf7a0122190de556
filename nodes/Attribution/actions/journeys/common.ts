import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { get } from '../../../shared/fields';
import { PathSet } from '../../engine/paths';

export const journeyNotice: INodeProperties = {
	displayName:
		'Each incoming item is one row of path data: path ("Paid Search > Email > Direct", or an array of channels), total_conversions, total_conversion_value and total_null (journeys on that path that did not convert; they must be counted). Or one item per journey: path, converted (true/false) and value. E.g. {{ $json.path }} = "Paid Search > Email", {{ $json.total_conversions }} = 3, {{ $json.total_null }} = 40.',
	name: 'journeyNotice',
	type: 'notice',
	default: '',
};

export const pathFieldsProperty: INodeProperties = {
	// "Path Fields" read as "fields of the path"; these are the names of the item fields to read.
	displayName: 'Field Names',
	name: 'pathFields',
	type: 'collection',
	placeholder: 'Add field name',
	description: 'Change only when your rows use other field names than the ones above',
	default: {},
	options: [
		{ displayName: 'Path Field', name: 'path', type: 'string', default: 'path', placeholder: 'e.g. path' },
		{ displayName: 'Conversions Field', name: 'conversions', type: 'string', default: 'total_conversions', description: 'Also read: conversions, converted' },
		{ displayName: 'Value Field', name: 'value', type: 'string', default: 'total_conversion_value', description: 'Also read: conversion_value, value, revenue' },
		{ displayName: 'Non-Conversions Field', name: 'nulls', type: 'string', default: 'total_null', description: 'Also read: nulls, non_conversions; one-journey items with converted false count one' },
	],
};

function first(json: IDataObject, names: string[]): unknown {
	for (const n of names) {
		const v = get(json, n);
		if (v !== undefined && v !== null && v !== '') return v;
	}
	return undefined;
}

/** The path set of all items; rows it cannot read are listed in `problems`, never fatal. */
export function readPathSet(ctx: IExecuteFunctions, items: INodeExecutionData[]): PathSet {
	const f = ctx.getNodeParameter('pathFields', 0, {}) as { path?: string; conversions?: string; value?: string; nulls?: string };
	const set = new PathSet();
	items.forEach((item, i) => {
		const j = (item.json ?? {}) as IDataObject;
		const converted = j.converted;
		let conversions = first(j, [f.conversions || 'total_conversions', 'total_conversions', 'conversions']);
		let nulls = first(j, [f.nulls || 'total_null', 'total_null', 'nulls', 'non_conversions']);
		if (conversions === undefined && nulls === undefined && converted !== undefined) {
			const yes = converted === true || converted === 1 || (typeof converted === 'string' && ['true', 'yes', '1'].includes(converted.trim().toLowerCase()));
			conversions = yes ? 1 : 0;
			nulls = yes ? 0 : 1;
		}
		set.add(i, first(j, [f.path || 'path', 'path', 'channels']), conversions, first(j, [f.value || 'total_conversion_value', 'total_conversion_value', 'conversion_value', 'value', 'revenue']), nulls);
	});
	return set;
}

export function problemsSummary(set: PathSet): IDataObject {
	return { skippedRows: set.problems.length, ...(set.problems.length ? { problems: set.problems.slice(0, 20) as unknown as IDataObject[] } : {}) };
}
