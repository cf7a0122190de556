import { createHash } from 'crypto';

/**
 * PII redaction with consistent pseudonyms.
 *
 * Used before anything leaves the machine for an LLM, and before anything is written to an audit
 * record or a log. The same value always gets the same token (`[EMAIL_1a2b3c4d]`: kind plus a short
 * salted hash), across items and executions, so an LLM can still tell two customers apart, audit
 * rows can be joined on it, and `restore()` can put the originals back into generated text.
 */
export type PiiKind = 'EMAIL' | 'PHONE' | 'NAME' | 'ADDRESS' | 'CARD';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CARD_CANDIDATE = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const PHONE_CANDIDATE = /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}(?![\w])/g;
const STREET_SUFFIX =
	'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Trl';
const ADDRESS = new RegExp(
	`\\b\\d{1,6}[A-Za-z]?\\s+(?:[A-Z][A-Za-z'-]*\\.?\\s+){1,4}(?:${STREET_SUFFIX})\\b\\.?(?:,?\\s*(?:Apt|Apartment|Suite|Ste|Unit|#)\\.?\\s*[\\w-]+)?`,
	'g',
);
const SALUTATION_NAME = /\b(Hi|Hello|Hey|Dear|Thanks|Thank you|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|my name is|I am|I'm)\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)/g;
const TOKEN = /\[(EMAIL|PHONE|NAME|ADDRESS|CARD)_[0-9a-f]{8}\]/g;

const NAME_KEYS = /(^|[_.-])(first|last|full|given|family|middle|guest|customer|participant|contact|sur)?_?name$|^name$|^(firstName|lastName|fullName|givenName|familyName|surname)$/i;
const EMAIL_KEYS = /e-?mail/i;
const PHONE_KEYS = /phone|mobile|sms_?number|^tel$/i;
const ADDRESS_KEYS = /address|street|addr_?line/i;

function luhnValid(digits: string): boolean {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum % 10 === 0;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Pseudonymizer {
	private readonly originals = new Map<string, string>();
	private readonly knownNames = new Set<string>();

	/** `salt` makes tokens unguessable from outside (a hash of a bare email is reversible by dictionary). */
	constructor(private readonly salt = 'peekpro-ai') {}

	token(kind: PiiKind, value: string): string {
		const normalized = kind === 'EMAIL' ? value.trim().toLowerCase() : kind === 'PHONE' || kind === 'CARD' ? value.replace(/\D/g, '') : value.trim().toLowerCase().replace(/\s+/g, ' ');
		const hash = createHash('sha256').update(`${this.salt}:${kind}:${normalized}`).digest('hex').slice(0, 8);
		const token = `[${kind}_${hash}]`;
		if (!this.originals.has(token)) this.originals.set(token, value);
		return token;
	}

	/** Names known from structured fields (customer first/last name) are replaced wherever they appear. */
	addKnownName(name: string | undefined): void {
		if (!name) return;
		const full = name.trim();
		if (full.length < 2) return;
		this.knownNames.add(full);
		for (const part of full.split(/\s+/)) if (part.length >= 2) this.knownNames.add(part);
	}

	redactText(text: string): string {
		let out = text.replace(EMAIL, (m) => this.token('EMAIL', m));
		out = out.replace(CARD_CANDIDATE, (m) => {
			const digits = m.replace(/\D/g, '');
			return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? this.token('CARD', m) : m;
		});
		out = out.replace(ADDRESS, (m) => this.token('ADDRESS', m));
		out = out.replace(PHONE_CANDIDATE, (m) => {
			const digits = m.replace(/\D/g, '');
			// Dates, prices and ids are shorter or punctuated differently; 7-15 digits is a phone number.
			if (digits.length < 7 || digits.length > 15) return m;
			if (/^\d{4}-\d{2}-\d{2}$/.test(m.trim())) return m;
			return this.token('PHONE', m);
		});
		const names = [...this.knownNames].sort((a, b) => b.length - a.length);
		if (names.length) {
			const re = new RegExp(`\\b(?:${names.map(escapeRegExp).join('|')})\\b`, 'gi');
			out = out.replace(re, (m) => this.token('NAME', m));
		}
		out = out.replace(SALUTATION_NAME, (_m, lead: string, name: string) => `${lead} ${this.token('NAME', name)}`);
		return out;
	}

	/**
	 * Deep-redacts a JSON value. Keys say what a string is (email, phone, *name, address), so those
	 * are tokenized whole; every other string is scanned as free text.
	 */
	redactValue<T>(value: T, key = ''): T {
		if (typeof value === 'string') {
			if (value === '') return value;
			if (EMAIL_KEYS.test(key)) return this.token('EMAIL', value) as unknown as T;
			if (PHONE_KEYS.test(key)) return this.token('PHONE', value) as unknown as T;
			if (NAME_KEYS.test(key)) {
				this.addKnownName(value);
				return this.token('NAME', value) as unknown as T;
			}
			if (ADDRESS_KEYS.test(key)) return this.token('ADDRESS', value) as unknown as T;
			return this.redactText(value) as unknown as T;
		}
		if (Array.isArray(value)) return value.map((v) => this.redactValue(v, key)) as unknown as T;
		if (value && typeof value === 'object') {
			// Two passes: collect names first so free text elsewhere in the object is covered too.
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
				if (typeof v === 'string' && NAME_KEYS.test(k)) this.addKnownName(v);
			}
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.redactValue(v, k);
			return out as T;
		}
		return value;
	}

	/** Puts originals back for every token this instance issued. Unknown tokens stay as they are. */
	restore(text: string): string {
		return text.replace(TOKEN, (m) => this.originals.get(m) ?? m);
	}

	restoreValue<T>(value: T): T {
		if (typeof value === 'string') return this.restore(value) as unknown as T;
		if (Array.isArray(value)) return value.map((v) => this.restoreValue(v)) as unknown as T;
		if (value && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.restoreValue(v);
			return out as T;
		}
		return value;
	}

	/** Every original value this instance replaced (for tests that prove nothing leaked). */
	replacedValues(): string[] {
		return [...this.originals.values()];
	}
}

/** Stable, non-reversible customer key for audit rows and attribution (salted hash of the email). */
export function customerKey(email: string | undefined, salt = 'peekpro-ai'): string | undefined {
	if (!email) return undefined;
	return `cust_${createHash('sha256').update(`${salt}:EMAIL:${email.trim().toLowerCase()}`).digest('hex').slice(0, 16)}`;
}
