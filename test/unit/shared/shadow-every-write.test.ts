/**
 * Shadow mode covers every write, proven from the node descriptions rather than a hand list: every
 * resource/operation of every node (Klaviyo, Peek Pro, AI Scorer; the trigger has no operations) is
 * run twice against loopback mocks — live, to learn which operations send something other than a
 * GET, and in shadow mode, where no non-GET request may leave and each write's output item must
 * carry the exact request it would have sent.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType } from 'n8n-workflow';

import { PeekProAiKlaviyoApi } from '../../../credentials/PeekProAiKlaviyoApi.credentials';
import { PeekProAiOpenAiApi } from '../../../credentials/PeekProAiOpenAiApi.credentials';
import { PeekProAiPeekProApi } from '../../../credentials/PeekProAiPeekProApi.credentials';
import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { Klaviyo } from '../../../nodes/Klaviyo/Klaviyo.node';
import { PeekPro } from '../../../nodes/PeekPro/PeekPro.node';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { createFakeContext, type RecordedRequest } from '../../helpers/n8nContext';

const HOSTS = { klaviyo: 'https://a.klaviyo.test', peek: 'https://peek.test', llm: 'https://llm.test' };
const credentials = {
	peekProAiKlaviyoApi: { apiKey: 'pk_test', baseUrl: HOSTS.klaviyo },
	peekProAiPeekProApi: { apiKey: 'k-peek', baseUrl: `${HOSTS.peek}/api/v1`, assumedBaseUrl: '' },
	peekProAiOpenAiApi: { apiKey: 'sk-test', baseUrl: `${HOSTS.llm}/v1` },
};
const credentialTypes = [new PeekProAiKlaviyoApi(), new PeekProAiPeekProApi(), new PeekProAiOpenAiApi()];

const NODES: Array<{ label: string; node: INodeType }> = [
	{ label: 'Klaviyo', node: new Klaviyo() },
	{ label: 'Peek Pro', node: new PeekPro() },
	{ label: 'AI Scorer', node: new AiScorer() },
];

/** A canonical booking rich enough for every operation (consent given, phone as typed). */
const BOOKING: IDataObject = {
	schema: 'peekpro-ai/canonical@1',
	id: 'B-1',
	source: 'peek_automation_api',
	status: 'confirmed',
	event: 'booking.created',
	customer: { id: 'c-1', email: 'guest@example.com', phone: '+1 (403) 555-0142', country: 'CA', firstName: 'Ana', emailMarketingConsent: true, smsMarketingConsent: true },
	activity: { id: 'act-1', name: 'Kayak', tags: [] },
	startsAt: '2026-07-01T09:00:00+02:00',
	purchasedAt: '2026-06-01T09:00:00+02:00',
	partySize: 2,
	total: { amount: 100, currency: 'USD' },
	bookingCount: 2,
	lastBookingAt: '2026-01-01T00:00:00Z',
	catalogue: [{ id: 'act-2', name: 'Hike', tags: ['mountain'] }],
	rebooked: true,
};

function shown(prop: INodeProperties, params: Record<string, unknown>): boolean {
	const matches = (cond: Record<string, unknown[] | undefined> | undefined, want: boolean) =>
		Object.entries(cond ?? {}).every(([key, values]) => (values ?? []).some((v) => v === params[key]) === want);
	return matches(prop.displayOptions?.show as Record<string, unknown[]>, true) && matches(prop.displayOptions?.hide as Record<string, unknown[]>, false);
}

/** Every resource/operation pair the description offers. */
function operationsOf(node: INodeType): Array<{ resource: string; operation: string }> {
	const props = node.description.properties;
	const resources = (props.find((p) => p.name === 'resource')?.options ?? []).map((o) => String((o as { value: unknown }).value));
	return resources.flatMap((resource) =>
		props
			.filter((p) => p.name === 'operation' && shown(p, { resource }))
			.flatMap((p) => (p.options ?? []).map((o) => ({ resource, operation: String((o as { value: unknown }).value) }))),
	);
}

function dummy(prop: INodeProperties): unknown {
	switch (prop.type) {
		case 'string':
			return /email/i.test(prop.name) ? 'guest@example.com' : /json|catalogue|history/i.test(prop.name) ? '[]' : 'X1';
		case 'number':
			return 1;
		case 'dateTime':
			return '2026-07-01T00:00:00Z';
		case 'resourceLocator':
			return 'Y6nRLr';
		case 'json':
			return '{}';
		case 'multiOptions':
			return (prop.options ?? []).map((o) => (o as { value: unknown }).value);
		case 'options':
			return prop.default || (prop.options?.[0] as { value: unknown } | undefined)?.value;
		default:
			return prop.default;
	}
}

/** Parameters as a user who opened the operation and filled only its required fields would leave them. */
function parametersFor(node: INodeType, resource: string, operation: string, shadowMode: boolean): Record<string, unknown> {
	const params: Record<string, unknown> = { resource, operation };
	for (let pass = 0; pass < 3; pass++) {
		for (const prop of node.description.properties) {
			if (prop.name in params || prop.type === 'notice' || !shown(prop, params)) continue;
			const empty = prop.default === '' || prop.default === undefined || (typeof prop.default === 'object' && prop.default !== null && Object.keys(prop.default).length === 0 && prop.type === 'resourceLocator');
			params[prop.name] = prop.required && empty ? dummy(prop) : prop.type === 'resourceLocator' ? dummy(prop) : prop.default;
		}
	}
	params.shadowMode = shadowMode;
	if (params.metricName === 'X1' || params.metricName === '') params.metricName = 'Tour Booked';
	return params;
}

function mockEverything(): void {
	const reply = { data: [{ type: 'profile', id: 'P1', attributes: { email: 'guest@example.com' } }], links: {}, id: 'B-1', bookings: [], timeslots: [] };
	for (const host of Object.values(HOSTS)) {
		const scope = nock(host).persist();
		scope.get(/.*/).reply(200, reply);
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) scope.intercept(/.*/, method).reply(202, { data: { type: 'job', id: 'J1', attributes: { status: 'complete' } } });
	}
}

async function run(node: INodeType, parameters: Record<string, unknown>, shadowItem: boolean): Promise<{ out: IDataObject[]; requests: RecordedRequest[] }> {
	const ctx = createFakeContext({
		parameters,
		items: [{ json: { ...BOOKING, ...(shadowItem ? { shadow: true } : {}) } }],
		credentials,
		credentialTypes,
		continueOnFail: true,
		node: { name: 'Node', type: `n8n-nodes-peekpro-ai.${node.description.name}`, credentials: { peekProAiKlaviyoApi: { id: 'c1', name: 'K' } } },
	});
	let out: IDataObject[] = [];
	try {
		const result = (await node.execute!.call(ctx as unknown as IExecuteFunctions)) as INodeExecutionData[][];
		out = (result?.[0] ?? []).map((i) => i.json);
	} catch (error) {
		out = [{ thrown: (error as Error).message }];
	}
	return { out, requests: ctx.requests };
}

const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method.toUpperCase() !== 'GET');
const CASES = NODES.flatMap(({ label, node }) => operationsOf(node).map(({ resource, operation }) => ({ label, node, resource, operation })));

beforeEach(() => {
	setTransportClock({ now: () => Date.now(), sleep: async () => undefined, random: () => 0.5 });
	resetRateLimiters();
	nock.disableNetConnect();
	mockEverything();
});
afterEach(() => {
	nock.cleanAll();
	setTransportClock(undefined);
});

describe('shadow mode covers every write of every node (enumerated from the descriptions)', () => {
	const writingOperations: string[] = [];

	it('enumerates the operations of every node from its description', () => {
		expect(CASES.length).toBeGreaterThan(30);
		expect(new Set(CASES.map((c) => c.label))).toEqual(new Set(NODES.map((n) => n.label)));
	});

	test.each(CASES.map((c) => ({ ...c, name: `${c.label} ${c.resource}.${c.operation}` })))('$name sends nothing but GETs in shadow mode', async ({ node, resource, operation }) => {
		const live = await run(node, parametersFor(node, resource, operation, false), false);
		const shadow = await run(node, parametersFor(node, resource, operation, true), true);

		// Shadow mode: no request that writes left the node, to any host.
		expect(writes(shadow.requests)).toEqual([]);

		const liveWrites = writes(live.requests);
		if (liveWrites.length === 0) return;
		writingOperations.push(`${node.description.name}.${resource}.${operation}`);
		// A writing operation offers the Shadow Mode switch…
		const switchShown = node.description.properties.some((p) => p.name === 'shadowMode' && shown(p, { resource, operation }));
		expect(switchShown).toBe(true);
		// …and in shadow mode its item says what would have been sent: same method and endpoint as live.
		const item = shadow.out[0];
		expect(item.shadow).toBe(true);
		const request = item.request as IDataObject;
		expect(request).toBeDefined();
		const first = liveWrites[0];
		expect(String(request.method).toUpperCase()).toBe(first.method.toUpperCase());
		expect(new URL(String(request.url)).pathname).toBe(new URL(first.url).pathname);
	});

	it('found the writes, including the DELETE that used to send in shadow mode (waitlist.remove)', () => {
		expect(writingOperations).toEqual(expect.arrayContaining(['peekPro.waitlist.remove', 'peekPro.booking.addNote', 'klaviyo.profile.bulkImport', 'klaviyo.list.removeProfiles']));
	});
});
