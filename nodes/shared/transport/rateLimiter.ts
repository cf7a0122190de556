/**
 * Client-side token buckets, one per credential and endpoint class, so that many items of one
 * execution (and concurrent executions in the same process) stay within a vendor's published limits
 * instead of discovering them through 429s.
 *
 * The bucket hands out reservations: a caller takes a token now even when the bucket is empty and is
 * told how long to wait, so concurrent callers queue fairly without a lock. A 429 from the vendor
 * drains the bucket for the Retry-After period, so every caller backs off, not only the one that hit it.
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

export class TokenBucket {
	private tokens: number;
	private updatedAt: number;

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
		if (this.tokens >= 0) return 0;
		return Math.ceil((-this.tokens / this.refillPerSecond) * 1000);
	}

	/** The vendor said "slow down" for `ms`: no token becomes available before then. */
	penalize(now: number, ms: number): void {
		this.refill(now);
		const debt = (ms / 1000) * this.refillPerSecond;
		this.tokens = Math.min(this.tokens, 0) - debt;
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
