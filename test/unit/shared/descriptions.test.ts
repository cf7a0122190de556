/**
 * Issue 17's editor rules, checked over EVERY node and credential the package ships.
 *
 * The list comes from package.json `n8n` (the same list n8n loads), mapped from `dist/…js` back to the
 * TypeScript source, so a node added later is checked without touching this file. Each rule names
 * what a newcomer would meet in the editor when it breaks.
 */
// A test reads the package's own files (package.json, icons); it is not shipped, so n8n's rule
// against file-system access in node code does not apply.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { existsSync, readFileSync } from 'fs';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { dirname, join } from 'path';

import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

/** `dist/nodes/X/X.node.js` → the source file and the class it exports (named like the file). */
function load<T>(distPath: string): { source: string; instance: T } {
	const source = join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const className = distPath.split('/').pop()!.split('.')[0];
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(source) as Record<string, new () => T>;
	if (typeof mod[className] !== 'function') throw new Error(`${source} does not export class ${className}`);
	return { source, instance: new mod[className]() };
}

const nodes = pkg.n8n.nodes.map((p) => {
	const { source, instance } = load<INodeType>(p);
	return { source, description: instance.description as INodeTypeDescription };
});
const credentials = pkg.n8n.credentials.map((p) => load<ICredentialType>(p).instance);

type Param = INodeProperties;
type Values = Record<string, unknown>;

function versions(d: INodeTypeDescription): number[] {
	return Array.isArray(d.version) ? d.version : [d.version];
}
function defaultVersion(d: INodeTypeDescription): number {
	return d.defaultVersion ?? Math.max(...versions(d));
}

/** n8n's displayOptions rule (show: every key matches; hide: no key matches), with `@version` conditions. */
function matches(cond: unknown, value: unknown): boolean {
	if (cond && typeof cond === 'object' && '_cnd' in (cond as object)) {
		const [[op, ref]] = Object.entries((cond as { _cnd: Record<string, unknown> })._cnd);
		const v = value as number;
		if (op === 'gte') return v >= (ref as number);
		if (op === 'lte') return v <= (ref as number);
		if (op === 'gt') return v > (ref as number);
		if (op === 'lt') return v < (ref as number);
		if (op === 'eq') return v === ref;
		if (op === 'not') return v !== ref;
		if (op === 'exists') return value !== undefined;
		return false;
	}
	return cond === value;
}
function visible(p: Param, values: Values): boolean {
	const { show, hide } = p.displayOptions ?? {};
	for (const [key, conds] of Object.entries(show ?? {})) {
		const value = values[key.replace(/^\//, '')];
		const list = (conds ?? []) as unknown[];
		const hit = Array.isArray(value) ? value.some((v) => list.some((c) => matches(c, v))) : list.some((c) => matches(c, value));
		if (!hit) return false;
	}
	for (const [key, conds] of Object.entries(hide ?? {})) {
		const value = values[key.replace(/^\//, '')];
		if (((conds ?? []) as unknown[]).some((c) => matches(c, value))) return false;
	}
	return true;
}

/** The parameters the panel shows for given values, walking top to bottom as n8n does. */
function panel(props: Param[], given: Values): { shown: Param[]; values: Values } {
	const values: Values = { ...given };
	const shown: Param[] = [];
	for (const p of props) {
		if (!visible(p, values)) continue;
		shown.push(p);
		if (!(p.name in values)) values[p.name] = p.default;
	}
	return { shown, values };
}

interface Screen {
	node: string;
	version: number;
	resource?: string;
	operation?: string;
	/** Label for failure messages. */
	where: string;
	shown: Param[];
	values: Values;
}

/**
 * Every screen a user can reach: each version × resource × operation, then each alternative value
 * of every top-level options/boolean parameter on that screen (one at a time, e.g. Backend: LLM).
 */
function screens(d: INodeTypeDescription): Screen[] {
	const props = d.properties as Param[];
	const out: Screen[] = [];
	for (const version of versions(d)) {
		const base = { '@version': version };
		const resourceParam = panel(props, base).shown.find((p) => p.name === 'resource');
		const resources = resourceParam ? ((resourceParam.options ?? []) as INodePropertyOptions[]).map((o) => o.value as string) : [undefined];
		for (const resource of resources) {
			const r = resource === undefined ? base : { ...base, resource };
			const opParam = panel(props, r).shown.find((p) => p.name === 'operation');
			const ops = opParam ? ((opParam.options ?? []) as INodePropertyOptions[]).map((o) => o.value as string) : [undefined];
			for (const operation of ops) {
				const given = operation === undefined ? r : { ...r, operation };
				const first = panel(props, given);
				const variants: Values[] = [given];
				for (const p of first.shown) {
					if (p.name === 'resource' || p.name === 'operation') continue;
					const alternatives =
						p.type === 'boolean' ? [!p.default] : p.type === 'options' ? ((p.options ?? []) as INodePropertyOptions[]).map((o) => o.value).filter((v) => v !== p.default) : [];
					for (const alt of alternatives) variants.push({ ...given, [p.name]: alt });
				}
				for (const v of variants) {
					const { shown, values } = panel(props, v);
					const extra = Object.entries(v)
						.filter(([k]) => !['@version', 'resource', 'operation'].includes(k))
						.map(([k, x]) => `${k}=${String(x)}`)
						.join(',');
					out.push({
						node: d.displayName,
						version,
						resource,
						operation,
						where: `${d.displayName} v${version}${resource ? ` ${resource}` : ''}${operation ? `/${operation}` : ''}${extra ? ` [${extra}]` : ''}`,
						shown,
						values,
					});
				}
			}
		}
	}
	return out;
}

/** Every string a user reads: labels, option names, actions, descriptions, hints, placeholders, notices. */
function readable(d: INodeTypeDescription | ICredentialType): Array<{ at: string; text: string }> {
	const out: Array<{ at: string; text: string }> = [];
	const push = (at: string, text: unknown) => {
		if (typeof text === 'string' && text && !text.startsWith('=')) out.push({ at, text });
	};
	const walk = (at: string, list: unknown[] | undefined) => {
		for (const p of (list ?? []) as Array<Param & INodePropertyOptions & INodePropertyCollection>) {
			const here = `${at} › ${p.displayName ?? p.name}`;
			push(here, p.displayName);
			if (p.action !== undefined) push(`${here} (action)`, p.action);
			if ('value' in p || 'action' in p) push(`${here} (option)`, p.name);
			push(`${here} (description)`, p.description);
			push(`${here} (hint)`, (p as Param).hint);
			if (typeof (p as Param).placeholder === 'string') push(`${here} (placeholder)`, (p as Param).placeholder);
			if (Array.isArray((p as Param).options)) walk(here, (p as Param).options as unknown[]);
			if (Array.isArray((p as INodePropertyCollection).values)) walk(here, (p as INodePropertyCollection).values);
		}
	};
	push('displayName', d.displayName);
	push('description', (d as INodeTypeDescription).description);
	walk(d.displayName, d.properties as unknown[]);
	return out;
}

/**
 * Broken English a reader trips over. `\w s ` is what a stripped apostrophe leaves ("guest s
 * booking", "today s note"); "no show" as a noun is "no-show"; jargon the issue named.
 */
const BROKEN: Array<[RegExp, string]> = [
	[/\b[A-Za-z]+ s\b(?!-)/, 'a stripped apostrophe (" s ")'],
	[/\b[a-z]+s's\b/, 'a doubled possessive'],
	[/\bno show\b/i, '"no show" (write "no-show")'],
	[/Assumed Endpoint/i, 'the jargon "Assumed Endpoint(s)"'],
];

/** Verbs that change something outside n8n: an operation whose value or action starts with one writes. */
const WRITE_VERB = /^(add|append|bulk|check|create|delete|import|overwrite|post|remove|replace|send|set|subscribe|unsubscribe|update|upsert|write)/i;

function isWrite(s: Screen, d: INodeTypeDescription): boolean {
	if (s.shown.some((p) => p.name === 'shadowMode')) return true;
	const op = panel(d.properties as Param[], { '@version': s.version, ...(s.resource ? { resource: s.resource } : {}) })
		.shown.find((p) => p.name === 'operation')
		?.options?.find((o) => (o as INodePropertyOptions).value === s.operation) as INodePropertyOptions | undefined;
	return !!op && (WRITE_VERB.test(String(op.value)) || WRITE_VERB.test(op.action ?? ''));
}

/** A default that carries data: a non-empty literal (expressions that read the item are mappings, not data). */
function carriesData(p: Param): boolean {
	const d = p.default as unknown;
	if (typeof d === 'string') {
		if (d.startsWith('=')) return false;
		if (p.type === 'json') {
			try {
				const parsed = JSON.parse(d) as unknown;
				return parsed !== null && typeof parsed === 'object' && Object.keys(parsed as object).length > 0;
			} catch {
				return d.trim() !== '';
			}
		}
		return false;
	}
	if (p.type === 'fixedCollection' && d && typeof d === 'object') {
		return Object.values(d as Record<string, unknown>).some((v) => (Array.isArray(v) ? v.length > 0 : v && typeof v === 'object' && Object.keys(v).length > 0));
	}
	return false;
}

describe.each(nodes.map((n) => [n.description.displayName, n] as const))('%s: the panel a newcomer reads', (_name, { source, description: d }) => {
	const all = screens(d);
	/**
	 * The layout a newcomer meets is the default version's. An older version's panel is frozen the way
	 * its saved workflows were built (n8n's rule: a layout change is a new version), so layout rules
	 * apply to the current version; language, defaults and notices apply to every version.
	 */
	const current = all.filter((s) => s.version === defaultVersion(d));

	it('clean English in every action and display string (no " s ", no broken possessive, no jargon)', () => {
		const bad = readable(d).flatMap(({ at, text }) => BROKEN.filter(([re]) => re.test(text)).map(([, why]) => `${at}: "${text}" — ${why}`));
		expect(bad).toEqual([]);
	});

	it('every action string reads as a sentence: capital first, no trailing full stop', () => {
		const actions = readable(d).filter((r) => r.at.endsWith('(action)'));
		const bad = actions.filter((a) => !/^[A-Z][^.]*[^.\s]$/.test(a.text)).map((a) => `${a.at}: "${a.text}"`);
		expect(bad).toEqual([]);
	});

	it('no operation value "getAll": n8n names it getMany (a legacy value may only live behind an older @version)', () => {
		const bad: string[] = [];
		for (const p of d.properties as Param[]) {
			if (p.name !== 'operation') continue;
			const gated = p.displayOptions?.show?.['@version'] as unknown[] | undefined;
			const onCurrent = !gated || gated.some((c) => matches(c, defaultVersion(d)));
			if (!onCurrent) continue;
			for (const o of (p.options ?? []) as INodePropertyOptions[]) if (o.value === 'getAll') bad.push(`${o.name} (${JSON.stringify(p.displayOptions?.show ?? {})})`);
		}
		for (const p of d.properties as Param[]) if (p.default === 'getAll' && visible(p, { '@version': defaultVersion(d) })) bad.push(`default of ${p.name}`);
		expect(bad).toEqual([]);
	});

	it('the subtitle does not print a raw operation value', () => {
		expect(String(d.subtitle ?? '')).not.toMatch(/getAll/);
	});

	it('an Options collection is the last parameter on every screen', () => {
		const bad = current
			.filter((s) => {
				const i = s.shown.findIndex((p) => p.type === 'collection' && (p.name === 'options' || p.displayName === 'Options'));
				return i !== -1 && i !== s.shown.length - 1;
			})
			.map((s) => `${s.where}: ${s.shown.map((p) => p.displayName).join(' | ')}`);
		expect(bad).toEqual([]);
	});

	it('one Options collection per screen, never two stacked (e.g. "LLM Options" then "Options")', () => {
		const bad = current
			.filter((s) => s.shown.filter((p) => p.type === 'collection' && /options$/i.test(p.displayName)).length > 1)
			.map((s) => `${s.where}: ${s.shown.filter((p) => p.type === 'collection').map((p) => p.displayName).join(', ')}`);
		expect(bad).toEqual([]);
	});

	it('a write operation\'s defaults write nothing: no JSON or key/value default that carries data', () => {
		const bad = all
			.filter((s) => isWrite(s, d))
			.flatMap((s) => s.shown.filter(carriesData).map((p) => `${s.where} › ${p.displayName}: ${JSON.stringify(p.default)}`));
		expect([...new Set(bad)]).toEqual([]);
	});

	it('every operation says what the incoming item must contain, with an expression example (or that it needs nothing)', () => {
		const bad = all
			.filter((s) => s.operation !== undefined)
			.filter(
				(s) =>
					!s.shown.some(
						(p) =>
							(p.type === 'notice' && (/\{\{.+\}\}/.test(p.displayName) || /^Needs nothing from the incoming item/.test(p.displayName))) ||
							/\{\{.+\}\}/.test(String(p.hint ?? '')),
					),
			)
			.map((s) => s.where);
		expect([...new Set(bad)]).toEqual([]);
	});

	it('collection buttons in sentence case ("Add option", not "Add Option"), as n8n\'s own nodes do', () => {
		const bad: string[] = [];
		const walk = (list: unknown[] | undefined) => {
			for (const p of (list ?? []) as Param[]) {
				if ((p.type === 'collection' || p.type === 'fixedCollection') && p.placeholder !== undefined && !/^[A-Z][a-z]+( [a-z]+)*$/.test(String(p.placeholder))) {
					bad.push(`${p.displayName}: "${String(p.placeholder)}"`);
				}
				if (Array.isArray(p.options)) walk(p.options as unknown[]);
				if (Array.isArray((p as unknown as INodePropertyCollection).values)) walk((p as unknown as INodePropertyCollection).values);
			}
		};
		walk(d.properties as unknown[]);
		expect(bad).toEqual([]);
	});

	it('the deciding choice comes first: Resource, then Operation, then a backend / mode / authentication', () => {
		for (const s of current) {
			const names = s.shown.map((p) => p.name);
			const decisive = names.findIndex((n) => /^(backend|mode|authentication)$/.test(n));
			if (decisive === -1) continue;
			const before = s.shown.slice(0, decisive).filter((p) => !['resource', 'operation', 'notice'].includes(p.name) && p.type !== 'notice');
			expect({ where: s.where, before: before.map((p) => p.displayName) }).toEqual({ where: s.where, before: [] });
		}
	});

	it('a credential shown only for a choice comes right after that choice', () => {
		for (const c of d.credentials ?? []) {
			const keys = Object.keys(c.displayOptions?.show ?? {}).filter((k) => !['resource', 'operation', '@version'].includes(k));
			// n8n draws credentials above all parameters; a credential that depends on a choice must depend on
			// one that is itself at the top (checked above), or it appears mid-form with its trigger below it.
			for (const k of keys) {
				const s = current.find((x) => x.shown.some((p) => p.name === k));
				if (!s) continue;
				const idx = s.shown.findIndex((p) => p.name === k);
				const before = s.shown.slice(0, idx).filter((p) => !['resource', 'operation'].includes(p.name) && p.type !== 'notice');
				expect({ credential: c.name, choice: k, before: before.map((p) => p.displayName) }).toEqual({ credential: c.name, choice: k, before: [] });
			}
		}
	});

	it('distinct light and dark icons, both files present and different', () => {
		const icon = d.icon as { light: string; dark: string };
		expect(typeof icon).toBe('object');
		const light = join(dirname(source), icon.light.replace(/^file:/, ''));
		const dark = join(dirname(source), icon.dark.replace(/^file:/, ''));
		expect(existsSync(light) && existsSync(dark)).toBe(true);
		expect(readFileSync(light, 'utf8')).not.toEqual(readFileSync(dark, 'utf8'));
	});
});

describe('credentials: one naming scheme', () => {
	it.each(credentials.map((c) => [c.displayName, c] as const))('"%s" follows "PeekPro AI <Service> API"', (_n, c) => {
		// A hyphenated word (App-Only, Microsoft's own term) counts as one word of the service name.
		expect(c.displayName).toMatch(/^PeekPro AI [A-Z][A-Za-z0-9]*(-[A-Z][A-Za-z0-9]*)?( [A-Z0-9][A-Za-z0-9]*(-[A-Z][A-Za-z0-9]*)?)* (API|OAuth2 API)$/);
		const bad = readable(c as unknown as INodeTypeDescription).flatMap(({ at, text }) => BROKEN.filter(([re]) => re.test(text)).map(([, why]) => `${at}: "${text}" — ${why}`));
		expect(bad).toEqual([]);
	});
});
