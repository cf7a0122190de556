// `npm test`'s closing line must count every test that did not pass (scripts/test-counts.mjs). A
// node:test file rather than a jest one because jest loads tests as CommonJS and the scripts are ES
// modules; it runs with the integration files and takes milliseconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { countJest, countNodeTest } from '../../scripts/test-counts.mjs';

describe('Summary counts', () => {
	it('a jest suite that could not load counts as a failed test', () => {
		const report = {
			testResults: [
				{ status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] },
				// What jest writes for a file whose import throws: no assertion results at all.
				{ status: 'failed', message: "Cannot find module './missing'", assertionResults: [] },
				{ status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }] },
			],
		};
		assert.deepEqual(countJest(report, 1), { pass: 3, fail: 2 });
	});

	it('jest failing with every test passed (open handles, a crash) counts one failure', () => {
		assert.deepEqual(countJest({ testResults: [{ status: 'passed', assertionResults: [{ status: 'passed' }] }] }, 1), { pass: 1, fail: 1 });
	});

	it('node:test cancelled tests (a failed before hook) count as failed', () => {
		const out = ['✖ suite', '  Error: The integration environment could not start: n8n not found', 'ℹ tests 20', 'ℹ pass 2', 'ℹ fail 0', 'ℹ cancelled 20', 'ℹ skipped 0'].join('\n');
		assert.deepEqual(countNodeTest(out, 1), { pass: 2, fail: 20 });
	});

	it("counts from the run's own closing lines, not from a nested run quoted in a failure message", () => {
		const out = ['ℹ pass 5', 'ℹ fail 1', 'ℹ cancelled 0', '✖ failing tests:', '  AssertionError: took 70000 ms', '  ℹ pass 9', '  ℹ cancelled 7'].join('\n');
		assert.deepEqual(countNodeTest(out, 1), { pass: 5, fail: 1 });
	});

	it('a run that died before reporting counts one failure; a clean run none', () => {
		assert.deepEqual(countNodeTest('[test-integration] provisioning n8n failed: ...', 1), { pass: 0, fail: 1 });
		assert.deepEqual(countNodeTest('ℹ pass 12\nℹ fail 0\nℹ cancelled 0\nℹ skipped 0\n', 0), { pass: 12, fail: 0 });
	});
});
