import { replaceTokens } from '../../shared/pii';

/**
 * Checks applied to generated copy after generation, whoever wrote it (LLM or template): length
 * limits, the discount cap, banned claims, and leftover pseudonym tokens. Each fix is reported so a
 * reviewer sees what changed.
 */
export interface ContentVariant {
	subject: string;
	preheader: string;
	body: string;
}

export interface GuardrailSettings {
	subjectMaxLength: number;
	bodyMaxLength: number;
	maxDiscountPercent: number;
	bannedClaims: string[];
}

export interface GuardrailEvent {
	variant: number;
	rule: 'subject_length' | 'body_length' | 'discount_cap' | 'banned_claim' | 'unresolved_placeholder';
	detail: string;
}

// Linear: at most 3 digits, then one optional fraction; a failed match backtracks a bounded amount.
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s?(%|percent\b)/gi;

/** Trailing separators off, by hand: `/[\s,;:.-]+$/` is quadratic on a long run of spaces. */
function trimEndPunctuation(text: string): string {
	let end = text.length;
	while (end > 0 && ' \t\n\r,;:.-'.includes(text[end - 1])) end--;
	return text.slice(0, end);
}

function truncateWords(text: string, max: number): string {
	if (text.length <= max) return text;
	const cut = text.slice(0, Math.max(0, max - 1));
	const space = cut.lastIndexOf(' ');
	return `${trimEndPunctuation(space > max * 0.5 ? cut.slice(0, space) : cut)}…`;
}

/** Sentences with their trailing terminator and spaces, so dropping one leaves the rest intact. */
function sentences(text: string): string[] {
	const out: string[] = [];
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '.' || c === '!' || c === '?' || c === '\n') {
			let end = i + 1;
			while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
			out.push(text.slice(start, end));
			start = end;
			i = end - 1;
		}
	}
	if (start < text.length) out.push(text.slice(start));
	return out;
}

function isWordUnit(c: string | undefined): boolean {
	return c !== undefined && /[\p{L}\p{N}_]/u.test(c);
}

/** Whether `claim` occurs in `sentence` as whole words, case-insensitively (indexOf, no regex). */
function containsClaim(sentence: string, claim: string): boolean {
	const hay = sentence.toLowerCase();
	const needle = claim.toLowerCase();
	if (!needle) return false;
	for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
		const before = isWordUnit(needle[0]) && isWordUnit(hay[at - 1]);
		const after = isWordUnit(needle[needle.length - 1]) && isWordUnit(hay[at + needle.length]);
		if (!before && !after) return true;
	}
	return false;
}

/** Collapses runs of spaces left where a token was removed. */
function collapseSpaces(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) if (!(text[i] === ' ' && (out.endsWith(' ') || out === ''))) out += text[i];
	return out.trim();
}

export function applyGuardrails(variants: ContentVariant[], s: GuardrailSettings): { variants: ContentVariant[]; events: GuardrailEvent[] } {
	const events: GuardrailEvent[] = [];
	const out = variants.map((v, i) => {
		const fix = (text: string): string => {
			let t = text.replace(PERCENT, (m, n: string, unit: string) => {
				if (Number(n) <= s.maxDiscountPercent) return m;
				events.push({ variant: i, rule: 'discount_cap', detail: `${n}% lowered to ${s.maxDiscountPercent}%` });
				return `${s.maxDiscountPercent}${unit === '%' ? '%' : ' percent'}`;
			});
			for (const claim of s.bannedClaims) {
				const parts = sentences(t);
				const kept = parts.filter((sentence) => !containsClaim(sentence, claim));
				if (kept.length !== parts.length) {
					events.push({ variant: i, rule: 'banned_claim', detail: `removed "${claim}"` });
					t = kept.join('').trim();
				}
			}
			let invented = false;
			const stripped = replaceTokens(t, () => ((invented = true), ''));
			if (invented) {
				events.push({ variant: i, rule: 'unresolved_placeholder', detail: 'removed a placeholder the model invented' });
				t = collapseSpaces(stripped);
			}
			return t;
		};
		let subject = fix(v.subject);
		if (subject.length > s.subjectMaxLength) {
			events.push({ variant: i, rule: 'subject_length', detail: `shortened from ${subject.length} to ${s.subjectMaxLength} characters` });
			subject = truncateWords(subject, s.subjectMaxLength);
		}
		const preheader = truncateWords(fix(v.preheader), 120);
		let body = fix(v.body);
		if (body.length > s.bodyMaxLength) {
			events.push({ variant: i, rule: 'body_length', detail: `shortened from ${body.length} to ${s.bodyMaxLength} characters` });
			body = truncateWords(body, s.bodyMaxLength);
		}
		return { subject, preheader, body };
	});
	return { variants: out, events };
}
