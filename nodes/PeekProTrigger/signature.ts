import { createHash, createHmac, timingSafeEqual } from 'crypto';

/**
 * Authenticity checks for deliveries, in the style of n8n's own webhook-signature helpers: pure,
 * never throw, constant-time comparisons, and a reason an operator can act on (never the secret
 * or the expected value).
 */

export type CheckResult = { ok: true } | { ok: false; reason: string };

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface HmacCheck {
	secret: string;
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

function decodeSignature(candidate: string, encoding: HmacCheck['encoding']): Buffer | undefined {
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

export function verifyHmac(rawBody: Buffer | undefined, headers: HeaderBag, check: HmacCheck): CheckResult {
	if (!check.secret) return { ok: false, reason: 'No webhook secret is set in the Peek Pro credential' };
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
	const expected = computeSignature(check.secret, rawBody, timestamp);
	// Several signatures may be sent during a secret rotation; any one may match.
	let decodable = false;
	for (const candidate of provided.split(/[,\s]+/).slice(0, 5)) {
		const sig = decodeSignature(candidate, check.encoding);
		if (!sig) continue;
		decodable = true;
		if (sig.length === expected.length && timingSafeEqual(sig, expected)) return { ok: true };
	}
	return { ok: false, reason: decodable ? 'Signature does not match the body' : `Signature header ${check.header} is not a ${check.encoding === 'auto' ? 'hex or base64' : check.encoding} HMAC-SHA256` };
}

/** Constant-time equality of a presented token and the secret (hashed first, so lengths never leak). */
export function verifySharedSecret(provided: string | undefined, secret: string, where: string): CheckResult {
	if (!secret) return { ok: false, reason: 'No webhook secret is set in the Peek Pro credential' };
	if (!provided) return { ok: false, reason: `Missing shared secret (${where})` };
	const a = createHash('sha256').update(provided).digest();
	const b = createHash('sha256').update(secret).digest();
	return timingSafeEqual(a, b) ? { ok: true } : { ok: false, reason: `Shared secret (${where}) does not match` };
}
