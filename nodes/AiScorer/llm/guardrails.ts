import { replaceTokens } from '../../shared/pii';
import { fold } from '../../shared/pii/text';

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

function isTerminator(c: string | undefined): boolean {
	return c === '.' || c === '!' || c === '?' || c === '\n';
}

function isWordUnit(c: string | undefined): boolean {
	return c !== undefined && /[\p{L}\p{N}_]/u.test(c);
}

/**
 * Removes every sentence holding `claim` as whole words (case- and accent-insensitive), with its
 * terminator and the spaces after it. Found with `indexOf` on the folded text (same length as
 * the original), each character visited a bounded number of times: the regex this replaces
 * (`[^.!?\n]*\bclaim\b[^.!?\n]*`) rescanned a long sentence from every starting position.
 */
function removeSentencesWith(text: string, claim: string): { text: string; removed: boolean } {
	const needle = fold(claim.trim());
	if (!needle) return { text, removed: false };
	const hay = fold(text);
	let out = '';
	let kept = 0;
	let floor = 0;
	let at = hay.indexOf(needle);
	while (at >= 0) {
		const end = at + needle.length;
		const whole = !(isWordUnit(needle[0]) && isWordUnit(hay[at - 1])) && !(isWordUnit(needle[needle.length - 1]) && isWordUnit(hay[end]));
		if (!whole) {
			at = hay.indexOf(needle, at + 1);
			continue;
		}
		let start = at;
		while (start > floor && !isTerminator(text[start - 1])) start--;
		let stop = end;
		while (stop < text.length && !isTerminator(text[stop])) stop++;
		if (stop < text.length && text[stop] !== '\n') stop++;
		while (stop < text.length && (text[stop] === ' ' || text[stop] === '\t' || text[stop] === '\n' || text[stop] === '\r')) stop++;
		out += text.slice(kept, start);
		kept = floor = stop;
		at = hay.indexOf(needle, stop);
	}
	return kept === 0 ? { text, removed: false } : { text: out + text.slice(kept), removed: true };
}

/** Collapses runs of spaces left where a token was removed. */
function collapseSpaces(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) if (!(text[i] === ' ' && (out.endsWith(' ') || out === ''))) out += text[i];
	return out.trim();
}

export function applyGuardrails(variants: ContentVariant[], s: GuardrailSettings): { variants: ContentVariant[]; events: GuardrailEvent[] } {
	const events: GuardrailEvent[] = [];
	const seen = new Set<string>();
	// One event per kind of fix: a text with 30,000 "40%" needs one line in the review, not 30,000.
	const report = (event: GuardrailEvent) => {
		const key = `${event.variant}\u0000${event.rule}\u0000${event.detail}`;
		if (seen.has(key)) return;
		seen.add(key);
		events.push(event);
	};
	const out = variants.map((v, i) => {
		const fix = (text: string): string => {
			let t = text.replace(PERCENT, (m, n: string, unit: string) => {
				if (Number(n) <= s.maxDiscountPercent) return m;
				report({ variant: i, rule: 'discount_cap', detail: `${n}% lowered to ${s.maxDiscountPercent}%` });
				return `${s.maxDiscountPercent}${unit === '%' ? '%' : ' percent'}`;
			});
			for (const claim of s.bannedClaims) {
				const result = removeSentencesWith(t, claim);
				if (result.removed) {
					report({ variant: i, rule: 'banned_claim', detail: `removed "${claim}"` });
					t = result.text.trim();
				}
			}
			let invented = false;
			const stripped = replaceTokens(t, () => ((invented = true), ''));
			if (invented) {
				report({ variant: i, rule: 'unresolved_placeholder', detail: 'removed a placeholder the model invented' });
				t = collapseSpaces(stripped);
			}
			return t;
		};
		let subject = fix(v.subject);
		if (subject.length > s.subjectMaxLength) {
			report({ variant: i, rule: 'subject_length', detail: `shortened from ${subject.length} to ${s.subjectMaxLength} characters` });
			subject = truncateWords(subject, s.subjectMaxLength);
		}
		const preheader = truncateWords(fix(v.preheader), 120);
		let body = fix(v.body);
		if (body.length > s.bodyMaxLength) {
			report({ variant: i, rule: 'body_length', detail: `shortened from ${body.length} to ${s.bodyMaxLength} characters` });
			body = truncateWords(body, s.bodyMaxLength);
		}
		return { subject, preheader, body };
	});
	return { variants: out, events };
}
