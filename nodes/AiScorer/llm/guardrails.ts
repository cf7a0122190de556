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

function truncateWords(text: string, max: number): string {
	if (text.length <= max) return text;
	const cut = text.slice(0, Math.max(0, max - 1));
	const space = cut.lastIndexOf(' ');
	return `${(space > max * 0.5 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PERCENT = /(\d{1,3}(?:\.\d+)?)\s?(%|percent\b)/gi;
const TOKEN = /\[(EMAIL|PHONE|NAME|ADDRESS|CARD)_[0-9a-f]{8}\]/g;

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
				const re = new RegExp(`[^.!?\\n]*\\b${escapeRegExp(claim)}\\b[^.!?\\n]*[.!?]?\\s*`, 'gi');
				if (re.test(t)) {
					events.push({ variant: i, rule: 'banned_claim', detail: `removed "${claim}"` });
					t = t.replace(re, '').trim();
				}
			}
			if (new RegExp(TOKEN.source).test(t)) {
				events.push({ variant: i, rule: 'unresolved_placeholder', detail: 'removed a placeholder the model invented' });
				t = t.replace(TOKEN, '').replace(/\s{2,}/g, ' ').trim();
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
