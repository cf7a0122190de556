import { createHash, createHmac, randomBytes } from 'crypto';

import { findAddresses, findKnownNames, findNames, words } from './pii/names';
import { scanEmails, scanNumbers, type Span } from './pii/scan';
import { decodeForScan, fold, isLetter, isUpper, originalSpan } from './pii/text';
import { COMMON_WORDS } from './pii/personNames';

/**
 * PII redaction with consistent pseudonyms.
 *
 * Used before anything leaves the machine for an LLM, and before anything is written to an audit
 * record or an error item. The same value always gets the same token (`[EMAIL_1a2b3c4d]`: kind plus
 * a short keyed hash) under one salt, so an LLM can still tell two customers apart, audit rows of
 * one credential can be joined on it, and `restore()` puts the originals back into generated text.
 *
 * The salt is a per-installation secret (`saltFromSecret`, `piiSalt`), never a constant: with a
 * public salt anyone holding a customer list could hash its emails and map tokens back to people.
 *
 * Every scanner walks the text by hand in linear time (see ./pii/scan.ts, ./pii/names.ts): notes,
 * reviews and audited bodies are typed by anyone, and a backtracking regex there is a denial of
 * service (the previous email pattern took 9 s on 80,000 characters without an `@`).
 */
export type PiiKind = 'EMAIL' | 'PHONE' | 'NAME' | 'ADDRESS' | 'CARD';

const KINDS: PiiKind[] = ['EMAIL', 'PHONE', 'NAME', 'ADDRESS', 'CARD'];
const TOKEN_LENGTH = 8;
const MAX_NAME_LENGTH = 64;
const MAX_NAME_WORDS = 8;
const MAX_KNOWN_NAMES = 200;
const MAX_TOKEN = '[ADDRESS_]'.length + TOKEN_LENGTH;

// ---------------------------------------------------------------------------------------------
// Salt

/**
 * The salt for one installation, derived from a secret only it holds (a credential's API key):
 * HMAC-SHA256 keyed by SHA-256 of the secret, over a fixed label and the n8n instance id. The
 * secret itself is never stored or output, and a salt cannot be turned back into it.
 */
export function saltFromSecret(secret: string, instanceId = ''): string {
	const key = createHash('sha256').update(`peekpro-ai/pii-salt/v1\u0000${secret}`).digest();
	return createHmac('sha256', key).update(`instance\u0000${instanceId}`).digest('hex');
}

/** Only for a context with neither a credential nor an instance id: unlinkable across restarts. */
const PROCESS_SALT = randomBytes(32).toString('hex');

interface SaltContext {
	getInstanceId?: () => string;
	getCredentials?: (type: string, itemIndex?: number) => Promise<object>;
}

function instanceIdOf(ctx: SaltContext): string {
	try {
		return typeof ctx.getInstanceId === 'function' ? String(ctx.getInstanceId() ?? '') : '';
	} catch {
		return '';
	}
}

/**
 * The salt for a node without a credential (local scoring): the n8n instance id, which n8n
 * derives from the instance's encryption key. Weaker than a credential secret — the id is shown to
 * the instance's users and travels in exported workflows' `meta` — so nodes with a credential use
 * `piiSalt` instead (README, Governance).
 */
export function instanceSalt(ctx: SaltContext): string {
	const instanceId = instanceIdOf(ctx);
	return instanceId ? saltFromSecret(`instance:${instanceId}`, instanceId) : PROCESS_SALT;
}

/** The salt from the node's own credential (its `apiKey`), else the instance's. */
export async function piiSalt(ctx: SaltContext, credentialType: string | undefined, itemIndex?: number): Promise<string> {
	if (credentialType && typeof ctx.getCredentials === 'function') {
		try {
			const credentials = (await ctx.getCredentials(credentialType, itemIndex)) as Record<string, unknown>;
			const secret = credentials?.apiKey;
			if (typeof secret === 'string' && secret.trim() !== '') return saltFromSecret(secret, instanceIdOf(ctx));
		} catch {
			// No credential on this node: fall through to the instance's salt.
		}
	}
	return instanceSalt(ctx);
}

// ---------------------------------------------------------------------------------------------
// Keys that say what a string is

/** `*name` keys that name a thing, not a person. */
const NON_PERSON_NAME_KEY = /^(activity|product|tour|event|list|segment|company|business|organization|organisation|location|venue|resource|file|host|brand|campaign|flow|template|metric|node|workflow|operation|model|timezone|zone|city|country|region|state|street|item|variant|option|package|plan|account|app|user_?name|screen|site|domain|tag|category|type|field|class|property|source|medium|channel|partner|vendor|supplier|hotel|guide_?team|team|group|room|boat|vehicle|color|colour|addon|add_?on|ticket|rate|price|voucher|coupon|code|discount|asset|image|display_?type)_?name$/i;
/** Containers whose `name` is a person's. */
const PERSON_CONTAINER = /^(customer|customers|guest|guests|participant|participants|guardian|guardians|signer|signers|signee|contact|contacts|emergency_?contact|attendee|attendees|traveller|travellers|traveler|travelers|rider|riders|booker|purchaser|buyer|person|people|member|members|passenger|passengers|minor|minors|child|children|parent|parents|waiver|waivers|profile|recipient|recipients|sender|reviewer|author|owner|primary_?contact|lead_?guest|guide|guides|staff|employee|employees|instructor|instructors|captain|driver|host_?person)$/i;

function isPersonNameKey(key: string, parent: string): boolean {
	const k = key.replace(/[-\s]/g, '_');
	const lower = k.toLowerCase();
	if (lower === 'name' || lower === 'full_name' || lower === 'fullname') return lower !== 'name' || PERSON_CONTAINER.test(parent.replace(/[-\s]/g, '_'));
	if (!lower.endsWith('name') || NON_PERSON_NAME_KEY.test(k)) return false;
	// firstName, last_name, guardianName, signerName, displayName, givenName, surname, nickName, ...
	return true;
}

function isEmailKey(key: string): boolean {
	const lower = key.toLowerCase();
	return lower.includes('email') || lower.includes('e-mail') || lower.includes('e_mail');
}

function isPhoneKey(key: string): boolean {
	const lower = key.toLowerCase();
	return lower.includes('phone') || lower.includes('mobile') || lower === 'tel' || lower === 'telephone' || lower === 'sms' || lower === 'sms_number' || lower === 'smsnumber' || lower === 'whatsapp' || lower === 'cell';
}

function isAddressKey(key: string): boolean {
	const lower = key.toLowerCase();
	return lower.includes('address') || lower.includes('street') || lower === 'addr_line' || lower === 'address_line' || lower === 'postcode' || lower === 'postal_code' || lower === 'zip';
}

function isSurnameKey(key: string): boolean {
	const lower = key.toLowerCase();
	return lower === 'surname' || lower === 'family_name' || lower === 'familyname' || lower === 'given_name' || lower === 'givenname';
}

/** "(Maria)," → "Maria": non-letters off both ends, by hand (a `[^\p{L}]+$` regex is quadratic). */
function trimToLetters(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && !isLetter(text[start])) start++;
	while (end > start && !isLetter(text[end - 1])) end--;
	return text.slice(start, end);
}

let commonWords: Set<string> | undefined;
function isCommonWord(folded: string): boolean {
	commonWords ??= new Set(COMMON_WORDS.split('|'));
	return commonWords.has(folded);
}

const PRIORITY: Record<PiiKind, number> = { EMAIL: 0, CARD: 1, PHONE: 2, ADDRESS: 3, NAME: 4 };

interface KnownName {
	name: string;
	/** Everyday words ("Will", "Rose") count only where written with a capital. */
	capitalOnly: boolean;
}

export class Pseudonymizer {
	private readonly originals = new Map<string, string>();
	private readonly knownNames = new Map<string, KnownName>();
	/** Issued tokens by kind and normalized value: a value repeated in a text is hashed once. */
	private readonly tokens = new Map<string, string>();

	/** `salt` keys the pseudonyms: a per-installation secret from `piiSalt` / `instanceSalt`. */
	constructor(private readonly salt: string) {
		if (!salt) throw new Error('A pseudonym salt is required (piiSalt or instanceSalt)');
	}

	private normalize(kind: PiiKind, value: string): string {
		if (kind === 'PHONE' || kind === 'CARD') return value.replace(/\D/g, '');
		if (kind === 'EMAIL') {
			const d = decodeForScan(value.trim()).text;
			return d.toLowerCase();
		}
		return fold(value.trim()).replace(/\s+/g, ' ');
	}

	token(kind: PiiKind, value: string, key?: string): string {
		const normalized = key ?? this.normalize(kind, value);
		const id = `${kind}\u0000${normalized}`;
		let token = this.tokens.get(id);
		if (token === undefined) {
			token = `[${kind}_${createHmac('sha256', this.salt).update(id).digest('hex').slice(0, TOKEN_LENGTH)}]`;
			this.tokens.set(id, token);
		}
		if (!this.originals.has(token)) this.originals.set(token, value);
		return token;
	}

	/** A person's name from a structured field: replaced wherever it appears, whole or word by word. */
	addKnownName(name: string | undefined): void {
		if (typeof name !== 'string') return;
		// Bounds keep matching linear in the text: a name is a few words of a few letters, and a
		// booking names a few people (a 5,000-character "name" would make every search 5,000 × text).
		const full = name.trim().replace(/\s+/g, ' ');
		if (full.length < 2) return;
		const add = (n: string) => {
			const folded = fold(n);
			if (folded.length < 2 || folded.length > MAX_NAME_LENGTH || this.knownNames.has(folded) || this.knownNames.size >= MAX_KNOWN_NAMES) return;
			this.knownNames.set(folded, { name: n, capitalOnly: isCommonWord(folded) });
		};
		add(full);
		for (const part of full.split(' ').slice(0, MAX_NAME_WORDS)) {
			// Particles and initials ("de", "J.") alone would hit ordinary words.
			const clean = trimToLetters(part);
			if (clean.length >= 2 && !/^(de|da|di|du|la|le|el|al|van|von|der|den|bin|ibn|del|dos|das|y|e)$/i.test(clean)) add(clean);
		}
	}

	/**
	 * Registers every person named in a record: any `*Name` key (firstName, lastName,
	 * guardianName, signerName, displayName, ...) and `name` inside customer / guests /
	 * participants / guardians / signers and the like, at any depth.
	 */
	registerPeople(value: unknown, parent = '', depth = 0): void {
		if (depth > 12 || value === null || typeof value !== 'object') return;
		if (Array.isArray(value)) {
			for (const v of value) this.registerPeople(v, parent, depth + 1);
			return;
		}
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			if (typeof v === 'string' && (isPersonNameKey(k, parent) || isSurnameKey(k))) this.addKnownName(v);
			else if (v && typeof v === 'object') this.registerPeople(v, k, depth + 1);
		}
	}

	/** Spans of PII in `text` (decoded coordinates), non-overlapping, by priority. */
	private spans(decoded: string, freeTextNames: boolean): Span[] {
		const known: Array<{ needle: string; capitalOnly: boolean }> = [...this.knownNames.values()]
			.sort((a, b) => b.name.length - a.name.length)
			.map((k) => ({ needle: k.name, capitalOnly: k.capitalOnly }));
		const ws = words(decoded);
		const candidates: Span[] = [
			...scanEmails(decoded),
			...scanNumbers(decoded),
			...findAddresses(decoded, ws),
			...findKnownNames(decoded, known.map((k) => k.needle)).filter((s) => {
				const k = this.knownNames.get(s.key);
				return !k?.capitalOnly || isUpper(decoded[s.start]);
			}),
			...(freeTextNames ? findNames(decoded, ws) : []),
		];
		candidates.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || b.end - b.start - (a.end - a.start) || a.start - b.start);
		const taken = new Uint8Array(decoded.length);
		const kept: Span[] = [];
		for (const s of candidates) {
			let free = true;
			for (let i = s.start; i < s.end; i++) {
				if (taken[i]) {
					free = false;
					break;
				}
			}
			if (!free) continue;
			for (let i = s.start; i < s.end; i++) taken[i] = 1;
			kept.push(s);
		}
		return kept.sort((a, b) => a.start - b.start);
	}

	/**
	 * Pseudonymizes the PII in free text. `freeTextNames: false` skips the name-list detector (for
	 * the operator's catalogue values, e.g. an activity called "Ridge Hike"); registered names,
	 * emails, phones, cards and addresses are still replaced.
	 */
	redactText(text: string, options: { freeTextNames?: boolean } = {}): string {
		if (!text) return text;
		const d = decodeForScan(text);
		const spans = this.spans(d.text, options.freeTextNames !== false);
		if (!spans.length) return text;
		let out = '';
		let at = 0;
		for (const s of spans) {
			const [start, end] = originalSpan(d, s.start, s.end);
			if (start < at) continue;
			out += text.slice(at, start);
			out += this.token(s.kind, text.slice(start, end), s.kind === 'EMAIL' ? s.key : s.kind === 'NAME' ? s.key : undefined);
			at = end;
		}
		return out + text.slice(at);
	}

	/**
	 * Deep-redacts a JSON value. Keys say what a string is (email, phone, a person's name, address),
	 * so those are tokenized whole; every other string is scanned as free text. People named
	 * anywhere in the value are registered first, so free text elsewhere in it is covered too.
	 */
	redactValue<T>(value: T, key = '', parent = ''): T {
		if (parent === '' && key === '') this.registerPeople(value);
		if (typeof value === 'string') {
			if (value === '') return value;
			if (isEmailKey(key)) {
				const scanned = this.redactText(value);
				return (scanned !== value ? scanned : this.token('EMAIL', value)) as unknown as T;
			}
			if (isPhoneKey(key)) return this.token('PHONE', value) as unknown as T;
			if (isPersonNameKey(key, parent) || isSurnameKey(key)) {
				this.addKnownName(value);
				return this.redactText(value) as unknown as T;
			}
			if (isAddressKey(key)) return this.token('ADDRESS', value) as unknown as T;
			return this.redactText(value) as unknown as T;
		}
		if (Array.isArray(value)) return value.map((v) => this.redactValue(v, key, parent)) as unknown as T;
		if (value && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.redactValue(v, k, key || parent || '.');
			return out as T;
		}
		return value;
	}

	/**
	 * Puts originals back for the tokens this instance issued, of the given kinds (all by default).
	 * Unknown tokens, and tokens of other kinds, stay as they are.
	 */
	restore(text: string, kinds: readonly PiiKind[] = KINDS): string {
		return replaceTokens(text, (token) => (kinds.includes(tokenKind(token)) ? this.originals.get(token) : undefined));
	}

	restoreValue<T>(value: T, kinds: readonly PiiKind[] = KINDS): T {
		if (typeof value === 'string') return this.restore(value, kinds) as unknown as T;
		if (Array.isArray(value)) return value.map((v) => this.restoreValue(v, kinds)) as unknown as T;
		if (value && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.restoreValue(v, kinds);
			return out as T;
		}
		return value;
	}

	/** Every original value this instance replaced (for tests that prove nothing leaked). */
	replacedValues(): string[] {
		return [...this.originals.values()];
	}

	/** What was replaced, by kind (for measuring detection). */
	replacements(): Array<{ kind: PiiKind; original: string }> {
		return [...this.originals.entries()].map(([token, original]) => ({ kind: tokenKind(token), original }));
	}
}

/**
 * Finds `[KIND_xxxxxxxx]` tokens by hand (a fixed-length shape, so a plain scan) and replaces
 * those `lookup` knows. Used to restore originals and, with a lookup that returns '', to strip
 * tokens a model invented.
 */
export function replaceTokens(text: string, lookup: (token: string) => string | undefined): string {
	let out = '';
	let at = 0;
	let i = text.indexOf('[');
	while (i >= 0) {
		// A token is at most MAX_TOKEN long: look no further for its end, or "[[[[…]" is quadratic.
		let close = -1;
		for (let j = i + 1; j < text.length && j - i < MAX_TOKEN; j++) {
			if (text[j] === ']') {
				close = j;
				break;
			}
			if (text[j] === '[') break;
		}
		if (close < 0) {
			i = text.indexOf('[', i + 1);
			continue;
		}
		const token = text.slice(i, close + 1);
		if (isToken(token)) {
			const value = lookup(token);
			if (value !== undefined) {
				out += text.slice(at, i) + value;
				at = close + 1;
			}
			i = text.indexOf('[', close + 1);
		} else i = text.indexOf('[', i + 1);
	}
	return out + text.slice(at);
}

function tokenKind(token: string): PiiKind {
	return token.slice(1, token.indexOf('_')) as PiiKind;
}

export function isToken(token: string): boolean {
	const underscore = token.indexOf('_');
	if (token[0] !== '[' || token[token.length - 1] !== ']' || underscore < 0) return false;
	const kind = token.slice(1, underscore) as PiiKind;
	const hash = token.slice(underscore + 1, -1);
	return KINDS.includes(kind) && hash.length === TOKEN_LENGTH && /^[0-9a-f]+$/.test(hash);
}

/** Stable, non-reversible customer key for audit rows and attribution (keyed hash of the email). */
export function customerKey(email: string | undefined, salt: string): string | undefined {
	if (!email) return undefined;
	return `cust_${createHmac('sha256', salt).update(`EMAIL\u0000${decodeForScan(email.trim()).text.toLowerCase()}`).digest('hex').slice(0, 16)}`;
}
