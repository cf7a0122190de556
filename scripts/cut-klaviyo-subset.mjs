#!/usr/bin/env node
// Cuts test/contracts/klaviyo-openapi-subset.json out of Klaviyo's full OpenAPI spec.
//
//   node scripts/cut-klaviyo-subset.mjs /path/to/openapi/stable.json [--check]
//
// The full spec (about 3 MB, `openapi/stable.json` of github.com/klaviyo/openapi at the commit in
// test/contracts/README.md) is not vendored: the contract tests only need the operations the Klaviyo
// node calls. Those are listed below; the script keeps them verbatim, every component they reach
// through `$ref` (transitively), the shared error responses and the security scheme, so the subset
// is a valid, self-contained OpenAPI document whose schemas are byte-for-byte Klaviyo's.
// `--check` compares with the committed file instead of writing it (exit 1 on any difference).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** [path, method] for every Klaviyo endpoint the node calls (nodes/Klaviyo). */
export const OPERATIONS = [
	['/api/event-bulk-create-jobs', 'post'],
	['/api/events', 'get'],
	['/api/events', 'post'],
	['/api/lists', 'get'],
	['/api/lists/{id}', 'get'],
	['/api/lists/{id}/relationships/profiles', 'post'],
	['/api/lists/{id}/relationships/profiles', 'delete'],
	['/api/profile-bulk-import-jobs', 'post'],
	['/api/profile-bulk-import-jobs/{id}/import-errors', 'get'],
	['/api/profile-bulk-import-jobs/{job_id}', 'get'],
	['/api/profile-import', 'post'],
	['/api/profile-subscription-bulk-create-jobs', 'post'],
	['/api/profile-subscription-bulk-delete-jobs', 'post'],
	['/api/profiles', 'get'],
	['/api/profiles', 'post'],
	['/api/profiles/{id}', 'patch'],
];

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'contracts', 'klaviyo-openapi-subset.json');

export function cut(full) {
	const paths = {};
	for (const [p, m] of OPERATIONS) {
		const op = full.paths?.[p]?.[m];
		if (!op) throw new Error(`the spec has no ${m.toUpperCase()} ${p}`);
		paths[p] ??= {};
		paths[p][m] = op;
	}
	// Keep each path's methods in the full spec's order, so the output is stable.
	for (const p of Object.keys(paths)) {
		const order = Object.keys(full.paths[p]);
		paths[p] = Object.fromEntries(order.filter((m) => m in paths[p]).map((m) => [m, paths[p][m]]));
	}
	const wanted = { schemas: new Set(), responses: new Set(['ClientError', 'ServerError']), securitySchemes: new Set(Object.keys(full.components.securitySchemes ?? {})) };
	const seen = new Set();
	const visit = (node) => {
		if (Array.isArray(node)) return node.forEach(visit);
		if (!node || typeof node !== 'object') return;
		if (typeof node.$ref === 'string' && !seen.has(node.$ref)) {
			seen.add(node.$ref);
			const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(node.$ref) ?? [];
			if (!kind) throw new Error(`external or unexpected $ref ${node.$ref}`);
			(wanted[kind] ??= new Set()).add(name);
			visit(full.components[kind][name]);
		}
		for (const v of Object.values(node)) visit(v);
	};
	visit(paths);
	for (const name of wanted.responses) visit(full.components.responses[name]);
	const components = {};
	for (const kind of ['securitySchemes', 'responses', 'schemas']) {
		// Sorted by name: a stable order whatever order the spec lists them in.
		const names = Object.keys(full.components[kind] ?? {}).filter((n) => wanted[kind]?.has(n)).sort();
		if (names.length) components[kind] = Object.fromEntries(names.map((n) => [n, full.components[kind][n]]));
	}
	const tagsUsed = new Set(Object.values(paths).flatMap((o) => Object.values(o).flatMap((op) => op.tags ?? [])));
	return {
		openapi: full.openapi,
		info: { ...full.info, 'x-subset-of': 'klaviyo/openapi openapi/stable.json', 'x-revision': full.info.version },
		servers: full.servers,
		security: full.security,
		tags: (full.tags ?? []).filter((t) => tagsUsed.has(t.name)),
		paths,
		components,
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [source, flag] = process.argv.slice(2);
	if (!source) {
		process.stderr.write('usage: node scripts/cut-klaviyo-subset.mjs /path/to/klaviyo/openapi/stable.json [--check]\n');
		process.exit(2);
	}
	const raw = readFileSync(source);
	// Non-ASCII escaped as \uXXXX (UTF-16 units), two-space indent, no final newline: the committed file's format.
	const text = `${JSON.stringify(cut(JSON.parse(raw.toString('utf8'))), null, 2)}`.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	const sha = (b) => createHash('sha256').update(b).digest('hex');
	process.stdout.write(`source sha256 ${sha(raw)}\nsubset sha256 ${sha(text)}\n`);
	if (flag === '--check') {
		const same = readFileSync(out, 'utf8') === text;
		process.stdout.write(same ? 'the committed subset is exactly this cut\n' : 'the committed subset DIFFERS from this cut\n');
		process.exit(same ? 0 : 1);
	}
	writeFileSync(out, text);
	process.stdout.write(`wrote ${out}\n`);
}
