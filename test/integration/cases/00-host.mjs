// Foundation: the host is the pinned n8n, and every node and credential the package declares is
// loaded by it (read back from n8n's own type registry, not from our build).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { PACKAGE_NAME, projectRoot } from '../../harness/n8n.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));

/** The `description.name` of each class exported by a built file listed in package.json. */
function declaredNames(paths) {
	return paths.map((p) => {
		const mod = require(join(projectRoot, p));
		const [Cls] = Object.values(mod);
		const instance = new Cls();
		return { path: p, name: instance.description?.name ?? instance.name };
	});
}

export async function register(getEnv) {
	test('n8n reports version 2.41.1', async () => {
		const { host } = getEnv();
		const version = host.cli(['--version']).trim().split('\n').pop();
		process.stdout.write(`n8n version: ${version}\n`);
		assert.equal(version, '2.41.1');
	});

	test('every node in package.json is loaded by n8n under the package prefix', async () => {
		const { host } = getEnv();
		const { nodes } = await host.loadedTypes();
		const loaded = new Set(nodes.map((n) => n.name));
		const declared = declaredNames(pkg.n8n.nodes);
		assert.ok(declared.length >= 1);
		for (const { path, name } of declared) {
			const type = `${PACKAGE_NAME}.${name}`;
			assert.ok(loaded.has(type), `${path} declares ${type}, which n8n did not load`);
		}
		process.stdout.write(`node types read back from n8n: ${declared.map((d) => `${PACKAGE_NAME}.${d.name}`).join(', ')}\n`);
	});

	test('every credential in package.json is loaded by n8n', async () => {
		const { host } = getEnv();
		const { credentials } = await host.loadedTypes();
		const loaded = new Set(credentials.map((c) => c.name));
		for (const { path, name } of declaredNames(pkg.n8n.credentials)) {
			assert.ok(loaded.has(name), `${path} declares credential ${name}, which n8n did not load`);
		}
	});

	test('every workflow in workflows/ imports, with every node type known to n8n', async () => {
		const { host, templates } = getEnv();
		const { nodes } = await host.loadedTypes();
		const loaded = new Set(nodes.map((n) => n.name));
		for (const t of templates.filter((x) => x.isTemplate)) {
			const stored = await host.rest('GET', `/rest/workflows/${t.id}`);
			assert.equal(stored.name, t.name, `${t.file} was not imported`);
			for (const node of stored.nodes) assert.ok(loaded.has(node.type), `${t.file}: node "${node.name}" has unknown type ${node.type}`);
		}
	});

	// "Importable as they are": a user who adds the same node from the creator gets its newest version,
	// so a template pinned to an older one reads differently from what they see beside it (issue 15).
	// Read from the running n8n's own registry, so an n8n upgrade shows up here.
	test('every node in every template is at the newest version this n8n offers for its type', async () => {
		const { host, templates } = getEnv();
		const { nodes } = await host.loadedTypes();
		const newest = new Map();
		for (const n of nodes) {
			const versions = Array.isArray(n.version) ? n.version : [n.version];
			newest.set(n.name, Math.max(newest.get(n.name) ?? 0, ...versions.map(Number)));
		}
		const stale = [];
		let checked = 0;
		for (const t of templates.filter((x) => x.isTemplate)) {
			for (const node of t.workflow.nodes) {
				const latest = newest.get(node.type);
				checked++;
				if (!Number.isFinite(latest) || Number(node.typeVersion) !== latest) stale.push(`${t.file}: "${node.name}" ${node.type} v${node.typeVersion}, newest v${latest}`);
			}
		}
		assert.deepEqual(stale, []);
		assert.ok(checked > 100, `only ${checked} template nodes checked`);
		process.stdout.write(`template nodes at their newest version: ${checked}\n`);
	});
}
