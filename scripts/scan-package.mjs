#!/usr/bin/env node
// n8n's community package scanner, offline, on the tarball this repository would publish.
//
//   node scripts/scan-package.mjs            build, pack, scan; exit 1 on any finding
//   node scripts/scan-package.mjs --no-build scan the dist/ already built
//
// `npx @n8n/scan-community-package <name>` downloads a published package and its provenance-attested
// source from GitHub, then lints both with its own ESLint setup (`analyzePackage` in
// scanner/scanner.mjs). Nothing here re-implements a rule: this script imports that same
// `analyzePackage` and `buildScanConfig` from the pinned devDependency and runs them on
//   - the source leg: this checkout, with the scanner's SOURCE_FILE_PATTERNS (package.json,
//     nodes/ and credentials/ sources), as the scanner lints the attested commit;
//   - the tarball leg: `npm pack` output, extracted, with `**/*.js` + `package.json`, as the
//     scanner lints the downloaded package. This is the leg that sees bundled third-party code.
// Only the registry steps (provenance, download) are left out; publish.yml covers provenance.
// A finding is an ESLint error, as in the scanner (warnings do not fail it, and are listed apart).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
const scannerVersion = JSON.parse(readFileSync(require.resolve('@n8n/scan-community-package/package.json'), 'utf8')).version;
const { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } = await import(scannerPath);
// The scanner's own dependencies (its pinned eslint and fast-glob), not ours.
const fromScanner = createRequire(scannerPath);
const { ESLint } = fromScanner('eslint');
const glob = fromScanner('fast-glob');
// Importing the scanner creates an empty temp dir for downloads; let `tmp` remove it on exit.
fromScanner('tmp').setGracefulCleanup();

const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

const work = mkdtempSync(join(tmpdir(), 'peekpro-ai-scan-'));
try {
	if (!process.argv.includes('--no-build')) {
		execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 2, 2] });
	}
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 2] }));
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
	const packageDir = join(work, 'package');
	const label = `${packed.name}@${packed.version}`;

	const legs = [
		{ name: 'source', dir: root, patterns: SOURCE_FILE_PATTERNS },
		{ name: 'tarball', dir: packageDir, patterns: TARBALL_PATTERNS },
	];
	let findings = 0;
	let warnings = 0;
	let files = 0;
	let verdictFailed = false;
	for (const leg of legs) {
		// The scanner's verdict, exactly as `npx @n8n/scan-community-package` computes it.
		const verdict = await analyzePackage(leg.dir, leg.patterns);
		// The same lint once more with the scanner's config and options, for the counts and every
		// finding by file and rule (the scanner only returns formatted text, and only on failure).
		const eslint = new ESLint({ cwd: leg.dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
		const targets = glob.sync(leg.patterns, { cwd: leg.dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
		const results = targets.length ? await eslint.lintFiles(targets) : [];
		let legErrors = 0;
		for (const r of results) {
			for (const m of r.messages) {
				const where = `${relative(leg.dir, r.filePath)}:${m.line ?? 0}:${m.column ?? 0}`;
				const kind = m.severity === 2 ? 'error' : 'warning';
				process.stdout.write(`  [${leg.name}] ${kind} ${where} ${m.ruleId ?? 'parse'}: ${m.message}\n`);
			}
			legErrors += r.errorCount + r.fatalErrorCount;
			warnings += r.warningCount;
		}
		files += targets.length;
		findings += legErrors;
		if (!verdict.passed) {
			verdictFailed = true;
			process.stdout.write(`  [${leg.name}] scanner verdict: ${verdict.message}\n${verdict.details ?? ''}\n`);
		}
		process.stdout.write(`scanner ${leg.name} leg: ${legErrors} findings in ${targets.length} files (${leg.name === 'source' ? 'this checkout' : packed.filename})\n`);
	}
	// Both counts must agree with the scanner's own verdict; any disagreement is a failure too.
	const failed = findings > 0 || verdictFailed;
	process.stdout.write(
		`scanner: ${findings} findings in ${files} files (package ${label}, @n8n/scan-community-package@${scannerVersion})` +
			`${warnings ? `, ${warnings} warnings (not failing, as in the scanner)` : ''} — ${failed ? 'FAILED' : 'passed'}\n`,
	);
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
