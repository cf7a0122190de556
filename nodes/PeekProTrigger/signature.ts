import { createHash, createHmac, timingSafeEqual } from 'crypto';

/**
 * Authenticity checks for deliveries, in the style of n8n's own webhook-signature helpers: pure,
 * never throw, constant-time comparisons, and a reason an operator can act on (never the secret
 * or the expected value).
 */

export type CheckResult = { ok: true } | { ok: false; reason: string };

export type HeaderBag = Record<string, string | string[] | undefined>;

/** What a request must carry before the secret is worth reading (screenHmac). */
export interface HmacScreen {
	/** Header holding the signature, e.g. `x-peek-signature`. */
	header: string;
	encoding: 'auto' | 'hex' | 'base64';
	/**
	 * Optional header with the send time. When set, the signature covers `<timestamp>.<raw body>`
	 * (as Stripe and Slack do) so the timestamp itself cannot be altered to pass the window.
	 */
	timestampHeader?: string;
	toleranceSeconds: number;
	nowMs: number;
}

export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	const one = Array.isArray(value) ? value[0] : value;
	return typeof one === 'string' && one.trim() ? one.trim() : undefined;
}

function decodeSignature(candidate: string, encoding: HmacScreen['encoding']): Buffer | undefined {
	const value = candidate.replace(/^sha256[=:]/i, '').trim();
	if (!value) return undefined;
	if (encoding !== 'base64' && /^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
	if (encoding === 'hex') return undefined;
	if (!/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) return undefined;
	const buf = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
	return buf.length === 32 ? buf : undefined;
}

/** Seconds, milliseconds or an ISO date-time → epoch ms. */
export function parseTimestamp(value: string): number | undefined {
	if (/^\d{1,16}(\.\d+)?$/.test(value)) {
		const n = Number(value);
		return n > 1e12 ? n : n * 1000;
	}
	const t = Date.parse(value);
	return Number.isNaN(t) ? undefined : t;
}

export function computeSignature(secret: string, rawBody: Buffer, timestamp?: string): Buffer {
	const hmac = createHmac('sha256', secret);
	if (timestamp !== undefined) hmac.update(`${timestamp}.`);
	return hmac.update(rawBody).digest();
}

/** A request that passed the screen: its decoded signature candidates and the timestamp they cover. */
export interface ScreenedHmac {
	ok: true;
	signatures: Buffer[];
	timestamp?: string;
}

/**
 * The checks that need no secret: a raw body, a signature header that decodes as an HMAC-SHA256, and
 * (with a timestamp header) a time inside the replay window. Run before the credential is read
 * because reading it is the expensive part of a rejection: n8n loads, decrypts and resolves the
 * credential (with the vm expression engine, in an expression isolate), and a flood of unsigned or
 * stale requests would otherwise pay that for nothing (README, "Bad input at volume").
 */
export function screenHmac(rawBody: Buffer | undefined, headers: HeaderBag, check: HmacScreen): ScreenedHmac | { ok: false; reason: string } {
	if (!rawBody) return { ok: false, reason: 'The request has no raw body to verify' };
	const provided = headerValue(headers, check.header);
	if (!provided) return { ok: false, reason: `Missing signature header ${check.header}` };
	let timestamp: string | undefined;
	if (check.timestampHeader) {
		timestamp = headerValue(headers, check.timestampHeader);
		if (!timestamp) return { ok: false, reason: `Missing timestamp header ${check.timestampHeader}` };
		const sentAt = parseTimestamp(timestamp);
		if (sentAt === undefined) return { ok: false, reason: `Timestamp header ${check.timestampHeader} is not a time` };
		if (Math.abs(check.nowMs - sentAt) > check.toleranceSeconds * 1000) {
			return { ok: false, reason: `Timestamp outside the ${check.toleranceSeconds} s replay window` };
		}
	}
	// Several signatures may be sent during a secret rotation; any one may match.
	const signatures = provided
		.split(/[,\s]+/)
		.slice(0, 5)
		.map((candidate) => decodeSignature(candidate, check.encoding))
		.filter((sig): sig is Buffer => sig !== undefined);
	if (!signatures.length) {
		return { ok: false, reason: `Signature header ${check.header} is not a ${check.encoding === 'auto' ? 'hex or base64' : check.encoding} HMAC-SHA256` };
	}
	return { ok: true, signatures, timestamp };
}

/** The screened signatures against the HMAC made with the secret, each compared in constant time. */
export function matchHmac(secret: string, rawBody: Buffer, screened: ScreenedHmac): CheckResult {
	if (!secret) return { ok: false, reason: 'No webhook secret is set in the Peek Pro credential' };
	const expected = computeSignature(secret, rawBody, screened.timestamp);
	for (const sig of screened.signatures) {
		if (sig.length === expected.length && timingSafeEqual(sig, expected)) return { ok: true };
	}
	return { ok: false, reason: 'Signature does not match the body' };
}

/** A shared secret that was not presented is refused before the credential is read (no secret needed to say so). */
export function screenSharedSecret(provided: string | undefined, where: string): CheckResult {
	return provided ? { ok: true } : { ok: false, reason: `Missing shared secret (${where})` };
}

/** Constant-time equality of a presented token and the secret (hashed first, so lengths never leak). */
export function matchSharedSecret(provided: string, secret: string, where: string): CheckResult {
	if (!secret) return { ok: false, reason: 'No webhook secret is set in the Peek Pro credential' };
	const a = createHash('sha256').update(provided).digest();
	const b = createHash('sha256').update(secret).digest();
	return timingSafeEqual(a, b) ? { ok: true } : { ok: false, reason: `Shared secret (${where}) does not match` };
}
