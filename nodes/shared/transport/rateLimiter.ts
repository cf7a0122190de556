/**
 * Client-side token buckets, one per credential and endpoint class, so that many items of one
 * execution (and concurrent executions in the same process) stay within a vendor's published limits
 * instead of discovering them through 429s.
 *
 * The bucket hands out reservations: a caller takes a token now even when the bucket is empty and is
 * told how long to wait, so concurrent callers queue fairly without a lock.
 *
 * 429s: a rejected request did not use the vendor's quota, so its token is refunded and only that
 * request waits out its Retry-After. Only sustained throttling (many 429s among recent responses:
 * another client shares the quota, or the limits changed) blocks the whole bucket until the
 * Retry-After has passed. Blocking everyone on every stray 429 would add the pauses up and starve
 * the flow (measured: 0.23 of the allowed rate at 5% stray 429s).
 *
 * Scope: per process. In queue mode each worker has its own buckets; set the class limits to the
 * vendor limit divided by the number of workers (documented in the README).
 */

export interface RateLimitSpec {
	/** Bucket key: vendor, credential id and endpoint class. */
	key: string;
	/** Burst capacity (tokens). */
	burst: number;
	/** Steady refill rate (tokens per second). */
	perSecond: number;
}

/**
 * "Processes Sharing This Key" (the Klaviyo and Microsoft Graph credentials): how many n8n processes
 * (queue-mode workers) send with one credential. Anything that is not a number of at least 1 counts as 1.
 */
export function processesSharing(value: unknown): number {
	const n = Number(value ?? 1);
	return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/**
 * One process's share of a per-credential limit that `processes` processes respect together: each
 * keeps 1/N of the steady rate and of the burst (at least one token), so the fleet never exceeds either.
 */
export function shareOf(limit: { burst: number; perSecond: number }, processes: number): { burst: number; perSecond: number } {
	const n = processesSharing(processes);
	return { burst: Math.max(1, Math.floor(limit.burst / n)), perSecond: limit.perSecond / n };
}

/** Recent responses looked at, and the share of 429s among them that counts as sustained throttling. */
const THROTTLE_WINDOW = 50;
const THROTTLE_SHARE = 0.3;

export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	private blockedUntil = 0;
	private readonly recent: boolean[] = [];

	constructor(
		readonly capacity: number,
		readonly refillPerSecond: number,
		now: number,
	) {
		this.tokens = capacity;
		this.updatedAt = now;
	}

	private refill(now: number): void {
		const elapsed = Math.max(0, now - this.updatedAt) / 1000;
		this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerSecond);
		this.updatedAt = now;
	}

	/** Takes one token; returns how many milliseconds the caller must wait before using it. */
	reserve(now: number): number {
		this.refill(now);
		this.tokens -= 1;
		const tokenWait = this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.refillPerSecond) * 1000);
		return Math.max(tokenWait, this.blockedUntil - now);
	}

	/** Gives back a token the vendor did not count (the request was rejected with 429). */
	refund(now: number): void {
		this.refill(now);
		this.tokens = Math.min(this.capacity, this.tokens + 1);
	}

	/**
	 * Records whether a response was a 429. Returns true when 429s have become sustained, in which case
	 * the caller should `block()` the bucket for the Retry-After period.
	 */
	recordThrottled(throttled: boolean): boolean {
		this.recent.push(throttled);
		if (this.recent.length > THROTTLE_WINDOW) this.recent.shift();
		if (!throttled || this.recent.length < 10) return false;
		return this.recent.filter(Boolean).length / this.recent.length >= THROTTLE_SHARE;
	}

	/** No token is handed out before `now + ms` (a ceiling: repeated calls do not add up). */
	block(now: number, ms: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, now + ms);
	}

	available(now: number): number {
		this.refill(now);
		return this.tokens;
	}
}

const buckets = new Map<string, TokenBucket>();

export function bucketFor(spec: RateLimitSpec, now: number): TokenBucket {
	let bucket = buckets.get(spec.key);
	if (!bucket || bucket.capacity !== spec.burst || bucket.refillPerSecond !== spec.perSecond) {
		bucket = new TokenBucket(spec.burst, spec.perSecond, now);
		buckets.set(spec.key, bucket);
	}
	return bucket;
}

/** Test hook: forget every bucket. */
export function resetRateLimiters(): void {
	buckets.clear();
}
