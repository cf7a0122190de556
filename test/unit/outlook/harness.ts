import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import nock from 'nock';

import { PeekProAiMicrosoftGraphAppOnlyApi } from '../../../credentials/PeekProAiMicrosoftGraphAppOnlyApi.credentials';
import { OutlookCalendar } from '../../../nodes/OutlookCalendar/OutlookCalendar.node';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { createFakeContext } from '../../helpers/n8nContext';

export interface GraphModelLike {
	opts: IDataObject & { now: () => number };
	invalid: Array<{ method: string; path: string; errors: string[] }>;
	requests: Array<{
		method: string;
		path: string;
		query: IDataObject;
		body: IDataObject;
	}>;
	counts: Record<string, number>;
	handle(req: { method: string; path: string; query?: IDataObject; headers?: IDataObject; body?: unknown }): { status: number; headers?: Record<string, string>; body: unknown };
	allEvents(): Array<{
		mailbox: string;
		event: IDataObject & { _startUtc: number; _endUtc: number };
	}>;
	seed(mailbox: string, e: IDataObject): IDataObject;
	reset(): void;
}

// The same model the integration suite's HTTP fake serves (test/fakes/graphModel.cjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { GraphModel } = require('../../fakes/graphModel.cjs') as {
	GraphModel: new (opts?: IDataObject) => GraphModelLike;
};

export const HOST = 'https://graph.test';
export const BASE = `${HOST}/v1.0`;
export const clock = {
	now: Date.parse('2026-03-01T00:00:00Z'),
	slept: [] as number[],
};

export const graph = new GraphModel({ now: () => clock.now });

/** Every Graph call goes to the shared model through nock: $batch members included. */
export function installGraph(opts: IDataObject = {}): GraphModelLike {
	graph.reset();
	Object.assign(
		graph.opts,
		{
			throttleEvery: 0,
			mailboxPerSecond: 0,
			mailboxBurst: 0,
			retryAfterSeconds: 1,
		},
		opts,
	);
	clock.now = Date.parse('2026-03-01T00:00:00Z');
	clock.slept = [];
	setTransportClock({
		now: () => clock.now,
		sleep: async (ms) => void (clock.slept.push(ms), (clock.now += ms)),
		random: () => 0.5,
	});
	resetRateLimiters();
	nock.cleanAll();
	const scope = nock(HOST).persist();
	for (const method of ['GET', 'POST', 'PATCH', 'DELETE'])
		scope.intercept(/.*/, method).reply(function (uri, body) {
			const url = new URL(uri, HOST);
			const r = graph.handle({
				method: this.req.method,
				path: decodeURIComponent(url.pathname).replace(/^\/v1\.0/, ''),
				query: Object.fromEntries(url.searchParams),
				headers: this.req.headers as IDataObject,
				body: typeof body === 'string' && body ? JSON.parse(body) : body || undefined,
			});
			return [r.status, r.body === null ? '' : (r.body as nock.Body), { 'content-type': 'application/json', ...(r.headers ?? {}) }];
		});
	return graph;
}

export function booking(id: string, extra: IDataObject = {}): IDataObject {
	return {
		schema: 'peekpro-ai/canonical@1',
		id,
		source: 'peek_automation_api',
		status: 'confirmed',
		customer: { firstName: 'Ana', lastName: 'Lopez', email: 'ana@example.com' },
		activity: {
			id: 'act-1',
			name: 'Sunrise kayak',
			timeZone: 'America/Denver',
			meetingPoint: 'North dock',
			tags: [],
		},
		guides: [{ id: 'g-1', name: 'Sam Guide', email: 'sam@outfitter.test' }],
		startsAt: '2026-06-10T07:00:00-06:00',
		endsAt: '2026-06-10T09:00:00-06:00',
		partySize: 3,
		marketing: { promoCodes: [] },
		...extra,
	};
}

export const SYNC = {
	authentication: 'appOnly',
	rolloutPhase: 'oneWay',
	resource: 'booking',
	operation: 'sync',
	mailboxSource: 'guideEmail',
	noMailbox: 'error',
};

export async function run(parameters: Record<string, unknown>, items: INodeExecutionData[], opts: { continueOnFail?: boolean; credential?: IDataObject } = {}) {
	const ctx = createFakeContext({
		parameters,
		items,
		credentials: {
			peekProAiMicrosoftGraphAppOnlyApi: {
				tenantId: 't',
				clientId: 'c',
				clientSecret: 's',
				baseUrl: BASE,
				accessToken: 'test-token',
				...opts.credential,
			},
		},
		credentialTypes: [new PeekProAiMicrosoftGraphAppOnlyApi()],
		continueOnFail: opts.continueOnFail,
		node: {
			name: 'Outlook Calendar',
			type: 'n8n-nodes-peekpro-ai.outlookCalendar',
			credentials: {
				peekProAiMicrosoftGraphAppOnlyApi: { id: 'cred-graph', name: 'Graph' },
			},
		},
	});
	const [done, conflicts] = await new OutlookCalendar().execute.call(ctx as unknown as IExecuteFunctions);
	return { done, conflicts, ctx };
}

export function items(...json: IDataObject[]): INodeExecutionData[] {
	return json.map((j) => ({ json: j }));
}

/** Every body any test sent, valid against the vendored Graph contract. */
export function expectContractClean(): void {
	expect(graph.invalid).toEqual([]);
}
