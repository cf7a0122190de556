import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * Panel layout rules shared by every node (issue 17), applied to a node's whole parameter list so
 * each operation file does not have to remember them. test/unit/shared/descriptions.test.ts checks
 * the result for every node in package.json.
 */

/**
 * n8n's rule: the Options collection is the last parameter. Applied to the whole list so an operation
 * declared with its Options before a shared field (Shadow Mode) still shows them last. Stable:
 * everything else keeps its order.
 */
export function optionsLast(properties: INodeProperties[]): INodeProperties[] {
	const isOptions = (p: INodeProperties) => p.type === 'collection' && p.name === 'options';
	return [...properties.filter((p) => !isOptions(p)), ...properties.filter(isOptions)];
}

/** Per resource, per operation: what the incoming item must contain, with an expression example. */
export type ItemNotices = Record<string, Record<string, string>>;

/**
 * Puts one notice per operation right under each Operation selector, saying what the incoming item
 * must contain. A newcomer reads it before the first field; the expression example is one they can
 * paste. An Operation selector that exists per node version (legacy values) gets its notices with
 * the same version condition, so each version shows exactly one.
 */
export function withItemNotices(properties: INodeProperties[], notices: ItemNotices): INodeProperties[] {
	const out: INodeProperties[] = [];
	for (const p of properties) {
		out.push(p);
		if (p.name !== 'operation' || p.type !== 'options') continue;
		const show = p.displayOptions?.show ?? {};
		const resources = (show.resource as string[] | undefined) ?? [undefined];
		for (const resource of resources) {
			const byOperation = notices[resource ?? ''] ?? {};
			for (const option of p.options ?? []) {
				const value = (option as { value: string }).value;
				const text = byOperation[value] ?? byOperation[LEGACY_ALIASES[value] ?? ''];
				if (!text) continue;
				out.push({
					displayName: text,
					name: 'itemNotice',
					type: 'notice',
					default: '',
					displayOptions: { show: { ...show, ...(resource ? { resource: [resource] } : {}), operation: [value] } },
				});
			}
		}
	}
	return out;
}

/** Old operation values that share the notice of their new name. */
const LEGACY_ALIASES: Record<string, string> = { getAll: 'getMany' };

type Show = NonNullable<INodeProperties['displayOptions']>['show'];

/** Version conditions for a node that moved from JSON editors to fields in version 1.1. */
export const VERSION_1 = { '@version': [1] } satisfies Show;
export const VERSION_1_1_ON = { '@version': [{ _cnd: { gte: 1.1 } }] } satisfies Show;

export interface KeyValueSpec {
	/** The JSON parameter's name: kept from version 1, so saved workflows keep their value. */
	name: string;
	/** What the pairs are, e.g. "Event Properties". */
	label: string;
	show?: Show;
	keyPlaceholder: string;
	valuePlaceholder: string;
	/** Where the pairs go and what wins, shown under the fields (a rule, so a hint, not a tooltip). */
	hint: string;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Key/value pairs as fields with a JSON mode, as n8n's HTTP Request does for a body: a "Specify …"
 * selector, a list of Key / Value rows, and the JSON editor for those who prefer it. Version 1 only
 * had the JSON editor, so there the selector starts on JSON and its saved workflows are unchanged;
 * from 1.1 it starts on fields. Both start empty.
 */
export function keyValueOrJson(spec: KeyValueSpec): INodeProperties[] {
	const selector = `specify${capitalized(spec.name)}`;
	const base = spec.show ?? {};
	return [
		...[
			{ version: VERSION_1, start: 'json' },
			{ version: VERSION_1_1_ON, start: 'keypair' },
		].map(
			({ version, start }): INodeProperties => ({
				displayName: `Specify ${spec.label}`,
				name: selector,
				type: 'options',
				options: [
					{ name: 'Using Fields Below', value: 'keypair' },
					{ name: 'Using JSON', value: 'json' },
				],
				default: start,
				displayOptions: { show: { ...base, ...version } },
			}),
		),
		{
			displayName: spec.label,
			name: `${spec.name}Fields`,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add field',
			default: {},
			displayOptions: { show: { ...base, [selector]: ['keypair'] } },
			hint: spec.hint,
			options: [
				{
					name: 'fields',
					displayName: 'Field',
					values: [
						{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: spec.keyPlaceholder },
						{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: spec.valuePlaceholder },
					],
				},
			],
		},
		{
			displayName: `${spec.label} (JSON)`,
			name: spec.name,
			type: 'json',
			default: '{}',
			displayOptions: { show: { ...base, [selector]: ['json'] } },
			hint: spec.hint,
		},
	];
}

/**
 * What the user gave, from fields (an object) or from the JSON editor (its raw value, string or
 * object, for the caller's own parser and error). Rows without a key are skipped.
 */
export function readKeyValueOrJson(ctx: IExecuteFunctions, itemIndex: number, name: string): unknown {
	const mode = ctx.getNodeParameter(`specify${capitalized(name)}`, itemIndex, 'json') as string;
	if (mode !== 'keypair') return ctx.getNodeParameter(name, itemIndex, '{}');
	const rows = (ctx.getNodeParameter(`${name}Fields.fields`, itemIndex, []) as Array<{ key?: unknown; value?: unknown }>) ?? [];
	const out: IDataObject = {};
	for (const row of rows) {
		const key = String(row.key ?? '').trim();
		if (key) out[key] = row.value as IDataObject[string];
	}
	return out;
}
