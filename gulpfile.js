/*
 * Build pipeline (`npm run build`):
 *   clean → tsc → bundle vendor SDKs → copy static files (icons, codex, templates) into dist/.
 *
 * Why gulp and not `n8n-node build`: that command only runs tsc and copies icons; this package also
 * bundles third-party libraries into dist/ (an installed community package may have no runtime
 * dependencies) and ships the template workflows beside the nodes.
 */
const { series, src, dest } = require('gulp');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const dist = path.join(root, 'dist');

/*
 * Third-party code that n8n does not provide at runtime is bundled, one shim file each: the shim
 * re-exports the library, tsc compiles it to a `require('<lib>')`, and esbuild then replaces that
 * compiled file with a self-contained bundle. Everything n8n itself provides stays external.
 *
 * Each entry is a shim path without extension, e.g. 'nodes/shared/vendor/someLib' for
 * nodes/shared/vendor/someLib.ts containing `export { fn } from 'some-lib';`. A bundled library
 * ships in dist/ and must pass n8n's community scanner like our own code (no process.env, file
 * system, console or timer globals): `npm test` scans the packed tarball (scripts/scan-package.mjs).
 * The `openai` SDK was bundled here once and failed that scan; the chat-completions call is now
 * made directly (nodes/AiScorer/llm/client.ts).
 */
// libphonenumber-js: E.164 phones for every vendor request (nodes/shared/phone.ts).
const VENDOR_SHIMS = ['nodes/shared/vendor/phone'];
const PROVIDED_BY_N8N = ['n8n-workflow', 'zod', 'luxon', 'lodash', 'moment', 'p-limit'];

function clean(done) {
	fs.rmSync(dist, { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
		cwd: root,
		stdio: 'inherit',
	});
	done();
}

async function bundleVendors() {
	const esbuild = require('esbuild');
	for (const shim of VENDOR_SHIMS) {
		const entry = path.join(root, `${shim}.ts`);
		if (!fs.existsSync(entry)) continue;
		await esbuild.build({
			entryPoints: [entry],
			outfile: path.join(dist, `${shim}.js`),
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			external: PROVIDED_BY_N8N,
			legalComments: 'inline',
			logLevel: 'warning',
		});
	}
}

function copyStatic() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}', 'icons/**/*.{svg,png}', 'workflows/*.json'], {
		base: root,
		encoding: false,
	}).pipe(dest(dist));
}

exports.clean = clean;
exports.build = series(clean, compile, bundleVendors, copyStatic);
exports.default = exports.build;
