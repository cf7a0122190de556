import type { IDataObject } from 'n8n-workflow';

import { GRAPH_RATE, graphBucket } from '../../../nodes/OutlookCalendar/transport';
import { fleetSends } from '../fleet';
import { clock, expectContractClean, graph, installGraph, items, run } from './harness';

/**
 * n8n queue mode: several workers run Outlook Calendar nodes with one Graph credential. The buckets
 * are per process, so the credential's "Processes Sharing This Key" gives each worker 1/N of the
 * node's Graph rate (README, "Rate limits across workers"), as the Klaviyo credential does.
 */
function fleetPeakPerSecond(processes: number, seconds: number): number {
	// Any 1 s span, sliding: the fleet's burst plus one second of its refill is the most it may send.
	const sends = fleetSends(graphBucket(processes), processes, seconds);
	let peak = 0;
	for (let i = 0, j = 0; i < sends.length; i++) {
		while (sends[i] - sends[j] >= 1000) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return peak;
}

describe('Outlook Calendar: Graph rate shared by several n8n processes (queue mode)', () => {
	afterEach(() => expectContractClean());

	it.each([1, 2, 3, 4])('%i processes with their share send no more together than one process alone may', (processes) => {
		const share = graphBucket(processes);
		expect(share.perSecond * processes).toBeCloseTo(GRAPH_RATE.perSecond, 10);
		expect(share.burst * processes).toBeLessThanOrEqual(GRAPH_RATE.burst);
		expect(fleetPeakPerSecond(processes, 60)).toBeLessThanOrEqual(GRAPH_RATE.burst + GRAPH_RATE.perSecond);
	});

	it('without the setting, two processes at full rate would send twice the node’s rate', () => {
		expect(fleetPeakPerSecond(1, 60) * 2).toBeGreaterThan(GRAPH_RATE.burst + GRAPH_RATE.perSecond);
	});

	it('a credential shared by 2 processes paces this process’s Graph requests at half the rate', async () => {
		const n = 60;
		const timed = async (credential: IDataObject) => {
			installGraph();
			const ev = graph.seed('sam@outfitter.test', { subject: 'Tour', start: '2026-06-10T12:00:00', end: '2026-06-10T13:00:00' });
			const params = { authentication: 'appOnly', rolloutPhase: 'oneWay', resource: 'event', operation: 'get', mailbox: 'sam@outfitter.test', eventId: ev.id };
			const start = clock.now;
			const { done } = await run(params, items(...Array.from({ length: n }, () => ({}))), { credential });
			expect(done).toHaveLength(n);
			expect(graph.requests.filter((r) => r.method === 'GET')).toHaveLength(n);
			return clock.now - start;
		};
		const alone = await timed({});
		const shared = await timed({ sharingProcesses: 2 });
		// One process: burst 20 then 15/s; a half share: burst 10 then 7.5/s.
		expect(alone).toBeGreaterThanOrEqual(((n - 20) / 15) * 1000 - 50);
		expect(alone).toBeLessThan(((n - 20) / 15) * 1000 + 1000);
		expect(shared).toBeGreaterThanOrEqual(((n - 10) / 7.5) * 1000 - 50);
		expect(shared).toBeLessThan(((n - 10) / 7.5) * 1000 + 1000);
	});
});
