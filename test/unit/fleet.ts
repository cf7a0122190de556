import { TokenBucket } from '../../nodes/shared/transport/rateLimiter';

/**
 * n8n queue mode: `processes` workers, each with its own token bucket (burst, perSecond), sending as
 * fast as its bucket allows and started out of phase, as workers are. Returns every send time (ms),
 * sorted, for a vendor's limit windows to be counted over. The Klaviyo and Graph sharing tests use it.
 */
export function fleetSends({ burst, perSecond }: { burst: number; perSecond: number }, processes: number, seconds: number): number[] {
	const sends: number[] = [];
	for (let p = 0; p < processes; p++) {
		const bucket = new TokenBucket(burst, perSecond, p * 137);
		let now = p * 137;
		while (now < seconds * 1000) {
			now += bucket.reserve(now);
			sends.push(now);
		}
	}
	return sends.sort((a, b) => a - b);
}
