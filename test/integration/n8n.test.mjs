// Integration suite entry: one real n8n 2.41.1, every case module under cases/ registered against it.
import { after, before, describe } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { startEnvironment, stopEnvironment } from './context.mjs';

const casesDir = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'cases');
// PEEKPRO_AI_CASES=00,10 runs only the case files starting with those prefixes (development aid).
const only = (process.env.PEEKPRO_AI_CASES ?? '').split(',').filter(Boolean);
const caseFiles = readdirSync(casesDir)
	.filter((f) => f.endsWith('.mjs'))
	.filter((f) => only.length === 0 || only.some((prefix) => f.startsWith(prefix)))
	.sort();

let env;
const getEnv = () => env;

describe('real n8n 2.41.1 with the packed package installed', { timeout: 15 * 60_000 }, async () => {
	before(async () => {
		try {
			env = await startEnvironment();
		} catch (error) {
			// Said at once, above the list of cases it cancels (the reporter prints the error after them).
			process.stderr.write(`\n[integration] ${error.message.split('\n')[0]}\n\n`);
			throw error;
		}
	});
	after(async () => {
		await stopEnvironment(env);
	});
	for (const file of caseFiles) {
		const mod = await import(join(casesDir, file));
		await mod.register(getEnv);
	}
});
