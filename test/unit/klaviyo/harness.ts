import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import nock from 'nock';

import { PeekProAiKlaviyoApi } from '../../../credentials/PeekProAiKlaviyoApi.credentials';
import { Klaviyo } from '../../../nodes/Klaviyo/Klaviyo.node';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { validateKlaviyoRequest } from '../../contracts/klaviyoSpec';
import { createFakeContext, type FakeContext } from '../../helpers/n8nContext';

export const BASE = 'https://a.klaviyo.test';
export const API_KEY = 'pk_unit_test_key';

/** Every request any test made, checked against the OpenAPI spec after each test. */
export const allRequests: FakeContext['requests'] = [];

export const clock = { now: 1_700_000_000_000, slept: [] as number[] };

export function installFakeClock(): void {
	clock.now = 1_700_000_000_000;
	clock.slept = [];
	setTransportClock({ now: () => clock.now, sleep: async (ms) => void (clock.slept.push(ms), (clock.now += ms)), random: () => 0.5 });
	resetRateLimiters();
}

export function booking(id: string, email: string, extra: IDataObject = {}): IDataObject {
	return {
		schema: 'peekpro-ai/canonical@1',
		id,
		source: 'peek_automation_api',
		status: 'confirmed',
		event: 'booking.created',
		customer: { id: `c-${id}`, email, firstName: 'Ana', lastName: 'Lopez' },
		activity: { id: 'act-1', name: 'Alps day trip', type: 'hiking', tags: [] },
		startsAt: '2026-07-01T09:00:00+02:00',
		partySize: 2,
		total: { amount: 240, currency: 'EUR' },
		marketing: { promoCodes: [] },
		...extra,
	};
}

export async function runNode(parameters: Record<string, unknown>, items: INodeExecutionData[], opts: { continueOnFail?: boolean; credential?: IDataObject } = {}) {
	const ctx = createFakeContext({
		parameters,
		items,
		credentials: { peekProAiKlaviyoApi: { apiKey: API_KEY, baseUrl: BASE, ...opts.credential } },
		credentialTypes: [new PeekProAiKlaviyoApi()],
		continueOnFail: opts.continueOnFail,
		node: { name: 'Klaviyo', type: 'n8n-nodes-peekpro-ai.klaviyo', credentials: { peekProAiKlaviyoApi: { id: 'cred-1', name: 'Klaviyo' } } },
	});
	const node = new Klaviyo();
	try {
		const [out] = await node.execute.call(ctx as unknown as IExecuteFunctions);
		return { out, ctx };
	} finally {
		allRequests.push(...ctx.requests);
	}
}

export function expectAllRequestsMatchSpec(): void {
	const invalid = allRequests
		.map((r) => ({ r, result: validateKlaviyoRequest({ method: r.method, url: r.url, headers: r.headers, body: r.body }) }))
		.filter((x) => !x.result.valid)
		.map((x) => `${x.r.method} ${x.r.url}: ${x.result.errors.join('; ')}`);
	allRequests.length = 0;
	if (invalid.length) throw new Error(`Requests that do not match Klaviyo's spec:\n${invalid.join('\n')}`);
}

export function items(...json: IDataObject[]): INodeExecutionData[] {
	return json.map((j) => ({ json: j }));
}

/**
 * Every Klaviyo test: a fake clock, no real network, and afterwards no unconsumed mock and every
 * request that reached nock valid against Klaviyo's OpenAPI spec.
 */
export function useKlaviyoTestLifecycle(): void {
	beforeEach(() => {
		installFakeClock();
		nock.disableNetConnect();
	});
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		setTransportClock(undefined);
		expectAllRequestsMatchSpec();
		expect(pending).toEqual([]);
	});
}
