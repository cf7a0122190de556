import nock from 'nock';

import { RATE_LIMITS, bucketSpec, type RateClass } from '../../../nodes/Klaviyo/transport';
import { fleetSends } from '../fleet';
import { BASE, booking, clock, items, runNode, useKlaviyoTestLifecycle } from './harness';

useKlaviyoTestLifecycle();

/**
 * n8n queue mode: several workers, one Klaviyo account. Each process keeps its own buckets, so the
 * credential's "Processes Sharing This Key" gives each an equal share (README, "Duplicate deliveries
 * and queue mode"). Here `processes` greedy senders, each with its share, against Klaviyo's fixed
 * 1 s and 60 s windows.
 */
function fleetPeaks(rateClass: RateClass, processes: number, seconds: number): { perSecond: number; perMinute: number } {
	const sends = fleetSends(bucketSpec(rateClass, processes), processes, seconds);
	const count = (size: number) => {
		const windows = new Map<number, number>();
		for (const t of sends) windows.set(Math.floor(t / size), (windows.get(Math.floor(t / size)) ?? 0) + 1);
		return Math.max(...windows.values());
	};
	return { perSecond: count(1000), perMinute: count(60_000) };
}

describe('Klaviyo rate limits shared by several n8n processes (queue mode)', () => {
	it.each([
		['events', 2],
		['profiles', 2],
		['profiles', 3],
		['listMembers', 4],
	] as Array<[RateClass, number]>)('%s: %i processes with their share stay within Klaviyo’s limits together', (rateClass, processes) => {
		const peaks = fleetPeaks(rateClass, processes, 180);
		expect(peaks.perMinute).toBeLessThanOrEqual(RATE_LIMITS[rateClass].perMinute);
		expect(peaks.perSecond).toBeLessThanOrEqual(RATE_LIMITS[rateClass].burstPerSecond);
		// And the share is not needlessly small: the fleet gets at least 95 % of the minute budget.
		expect(peaks.perMinute).toBeGreaterThanOrEqual(RATE_LIMITS[rateClass].perMinute * 0.95);
	});

	it('without the setting, two processes at full rate would exceed the minute limit', () => {
		const { burst, perSecond } = bucketSpec('profiles');
		const fullRate = burst + perSecond * 60;
		expect(2 * fullRate).toBeGreaterThan(RATE_LIMITS.profiles.perMinute);
	});

	it('a credential shared by 2 processes paces this process’s Create Event requests at half the rate', async () => {
		const n = 120;
		nock(BASE).post('/api/events').times(n).reply(202);
		const start = clock.now;
		const { out } = await runNode(
			{ resource: 'event', operation: 'create', metricName: 'Tour Booked' },
			items(...Array.from({ length: n }, (_, i) => booking(`B-${i}`, `g${i}@x.io`))),
			{ credential: { sharingProcesses: 2 } },
		);
		expect(out.every((o) => o.json.status === 'accepted')).toBe(true);
		const { burst, perSecond } = bucketSpec('events', 2);
		expect(perSecond).toBeCloseTo((3500 / 2 / 60) * 0.98, 5);
		const expectedMs = ((n - burst) / perSecond) * 1000;
		expect(clock.now - start).toBeGreaterThanOrEqual(expectedMs - 50);
		expect(clock.now - start).toBeLessThan(expectedMs + 1000);
	});
});
