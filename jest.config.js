/** Unit tests (jest + nock) run against the TypeScript sources; the integration suite runs the
 *  packed build inside a real n8n (scripts/test-integration.mjs) and is not collected here. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/test/unit/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	testTimeout: 30000,
};
