// How `npm test` counts for its closing `Summary: N passed, N failed` line: every test that did not
// pass is a failure, including tests that never ran because their suite could not load or their
// setup failed. Kept apart from scripts/test.mjs so the counting can be tested on its own.

/**
 * Jest's JSON report, counted so that every test that did not pass is a failure: a suite that could
 * not load (a syntax error, a missing import) has no test results in the report, since jest never
 * collected them, and counts as one failed test; a test in any state but `passed` counts as failed.
 */
export function countJest(json, exitCode) {
	let pass = 0;
	let fail = 0;
	for (const suite of json.testResults ?? []) {
		const tests = suite.assertionResults ?? [];
		for (const t of tests) t.status === 'passed' ? pass++ : fail++;
		const loadFailed = suite.status === 'failed' && !tests.some((t) => t.status === 'failed');
		if (loadFailed) fail += 1;
	}
	// Jest failed for a reason no test shows (open handles, a crash after the tests): one failure.
	if (exitCode !== 0 && fail === 0) fail = 1;
	return { pass, fail };
}

/**
 * node:test's closing counts (`ℹ pass N`, `ℹ fail N`, `ℹ cancelled N`, `ℹ skipped N` at the start of a
 * line; quoted output inside failure messages is indented). Cancelled tests (a failed `before`, a
 * timeout) and skipped ones did not pass, so they count as failed; a run that died before printing its
 * counts is one failure.
 */
export function countNodeTest(out, exitCode) {
	const last = (name) => {
		const all = [...out.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))];
		return all.length ? Number(all.at(-1)[1]) : undefined;
	};
	const pass = last('pass');
	if (pass === undefined) return { pass: 0, fail: 1 };
	const fail = (last('fail') ?? 0) + (last('cancelled') ?? 0) + (last('skipped') ?? 0);
	return { pass, fail: exitCode !== 0 && fail === 0 ? 1 : fail };
}
