import nock from 'nock';
import type { IDataObject, IExecuteFunctions, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { PeekProAiPeekProApi } from '../../../credentials/PeekProAiPeekProApi.credentials';
import { resetDedupeCache, setDedupeClock } from '../../../nodes/PeekProTrigger/dedupe';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { createFakeContext, type FakeContextOptions } from '../../helpers/n8nContext';
import samples from '../../fakes/peek-samples.json';

export const BASE = 'https://peek.test/n8n/api/v1';
export const API_KEY = 'k-peek-123';
export const SECRET = 'whsec-test-secret';
export const CRED = 'peekProAiPeekProApi';
export const credentialType = new PeekProAiPeekProApi();

export type Shape = keyof typeof samples.deliveries;
export const SHAPES = Object.keys(samples.deliveries) as Shape[];

export function clone<T>(v: T): T {
	return JSON.parse(JSON.stringify(v)) as T;
}

export function delivery(shape: Shape): IDataObject {
	return clone(samples.deliveries[shape]) as IDataObject;
}

export function peekBooking(overrides: IDataObject = {}): IDataObject {
	return { ...clone(samples.booking), ...overrides } as IDataObject;
}

export const credentials = { [CRED]: { apiKey: API_KEY, baseUrl: BASE, webhookSecret: SECRET, assumedBaseUrl: '' } };

export function ctxWith(opts: FakeContextOptions) {
	return createFakeContext({ credentials, credentialTypes: [credentialType], ...opts });
}

export function asWebhook(ctx: ReturnType<typeof createFakeContext>) {
	return ctx as unknown as IWebhookFunctions;
}
export function asHook(ctx: ReturnType<typeof createFakeContext>) {
	return ctx as unknown as IHookFunctions;
}
export function asExecute(ctx: ReturnType<typeof createFakeContext>) {
	return ctx as unknown as IExecuteFunctions;
}

/**
 * Trigger tests: no network, fresh duplicate caches and rate limiters, the dedupe and transport clocks
 * at `now` (transport sleeps advance its clock), and fresh node static data in `state.staticData`;
 * optionally, every announced HTTP mock must have been used.
 */
export function useTriggerLifecycle(now: number, opts: { expectAllMocksUsed?: boolean } = {}): { staticData: IDataObject } {
	const state = { staticData: {} as IDataObject };
	beforeEach(() => {
		nock.disableNetConnect();
		resetDedupeCache();
		resetRateLimiters();
		state.staticData = {};
		setDedupeClock(() => now);
		let t = now;
		setTransportClock({ now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 });
	});
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		setDedupeClock(undefined);
		setTransportClock(undefined);
		// Every Peek (or Klaviyo) call a test announced was made.
		if (opts.expectAllMocksUsed) expect(pending).toEqual([]);
	});
	return state;
}
