/**
 * Every regex or scanner applied to user input runs in linear time: each is fed 100 KB adversarial
 * strings (the shapes that make backtracking patterns quadratic or worse: long runs without the
 * character a pattern waits for, many starts without an end, nested-quantifier bait) and must
 * finish within a bound a quadratic pass cannot meet (the old email pattern took 9 s on 80 KB).
 */
import { applyGuardrails } from '../../../nodes/AiScorer/llm/guardrails';
import { classifyByRules, LABELS } from '../../../nodes/AiScorer/llm/rules';
import { lexiconSentiment, satisfaction } from '../../../nodes/AiScorer/models/features';
import { localDayHour, num as scorerNum, time } from '../../../nodes/shared/fields';
import { parseNote, sanitizeKey, upsertBlock } from '../../../nodes/PeekPro/shared/notesBlock';
import { parseDelivery } from '../../../nodes/PeekPro/shared/normalize';
import { isoDateTime, money, num as peekNum } from '../../../nodes/PeekPro/shared/values';
import { matchSharedSecret, parseTimestamp, screenHmac, screenSharedSecret } from '../../../nodes/PeekProTrigger/signature';
import { customerKey, Pseudonymizer, replaceTokens } from '../../../nodes/shared/pii';
import { cpuMsOf } from '../cpuTime';

const SIZE = 100_000;
// A linear pass over 100 KB takes a few milliseconds to a few tens on an idle 2-core machine; a
// quadratic one takes seconds (the old email pattern: 9 s on 80 KB).
const BOUND_MS = 200;
// On a machine shared with other jobs a linear pass can exceed the bound; then the input is cut to
// an eighth and the time must shrink accordingly: linear work takes about 8x as long on 8x the
// input, quadratic 64x. A case passes when under BOUND_MS, or when 8x the input took < 24x the time.
const SHRINK = 8;
const GROWTH_LIMIT = 24;

const fillTo = (size: number, unit: string, tail = '') => unit.repeat(Math.ceil((size - tail.length) / unit.length)).slice(0, size - tail.length) + tail;
const fill = (unit: string, tail = '') => fillTo(SIZE, unit, tail);

const ADVERSARIAL: Record<string, string> = {
	'letters, no @': fill('a'),
	'local-part characters, no @': fill('a.b_c+d-'),
	'@ only': fill('@'),
	'a@ repeated': fill('a@'),
	'@ then long label of hyphens': fill(`a@${'-'.repeat(300)} `),
	'dotted domain, no TLD': fill('a@b.c.'),
	'percent-encoded @, no domain': fill('%40'),
	'percent runs': fill('%4'),
	'entities without ;': fill('&#6'),
	'entities': fill('&#64;'),
	'obfuscated at, no domain': fill('jane at '),
	'obfuscated [at] [dot]': fill('a [at] b [dot] '),
	digits: fill('1'),
	'digit groups': fill('1 '),
	'digits and dashes': fill('1-'),
	'phone-ish prefixes': fill('+1 ('),
	'brackets and dots': fill('(1).'),
	'open brackets, no close': fill('(1,'),
	'spaces then a letter': fill(' ', 'x'),
	'newlines then a letter': fill('\n', 'x'),
	'capitalised words': fill('Aa '),
	'listed names': fill('Maria '),
	'ambiguous names': fill('Will Grace '),
	'title cues': fill('Mr '),
	'house numbers': fill('1 Aa '),
	'street bait': fill('12 Main Main Main '),
	'hyphen apostrophe words': fill("O'B-"),
	'block starts, no end': fill('[peekpro-ai]\n'),
	'block ends': fill('[/peekpro-ai]'),
	'brackets': fill('[', ']'),
	'token starts': fill('[NAME_'),
	'tokens': fill('[EMAIL_0123abcd] '),
	'decimals': fill('1.1'),
	'negation bait': `not${fill(' ', 'great')}`,
	'percent bait': fill('100.'),
	'sentences without end': fill('guaranteed risk '),
	'full-width digits': fill('０'),
	'combining marks': fill('e\u0301'),
	'CJK': fill('王'),
	surrogates: fill('😀'),
};

/** CPU milliseconds (see ../cpuTime), best of up to 3 runs: a pause inflates one run, never all three of a linear pass. */
function timed(fn: () => unknown): number {
	let best = Infinity;
	for (let run = 0; run < 3; run++) {
		best = Math.min(best, cpuMsOf(fn));
		if (best <= BOUND_MS / 4) break;
	}
	return best;
}

const salt = 'redos-test-salt';
const guard = { subjectMaxLength: 60, bodyMaxLength: 600, maxDiscountPercent: 15, bannedClaims: ['guaranteed', 'risk-free', '100% safe'] };

const SUBJECTS: Record<string, (s: string) => unknown> = {
	'Pseudonymizer.redactText': (s) => {
		const p = new Pseudonymizer(salt);
		p.registerPeople({ customer: { firstName: 'Maria', lastName: 'Gonzalez' }, guests: [{ name: 'Will Turner' }], guardianName: 'Aa' });
		return p.redactText(s);
	},
	'Pseudonymizer.redactValue (names as fields)': (s) => new Pseudonymizer(salt).redactValue({ notes: s, customer: { firstName: s.slice(0, 5000), email: s.slice(0, 5000) }, guests: [{ name: s.slice(0, 5000) }] }),
	'Pseudonymizer.restore': (s) => new Pseudonymizer(salt).restore(s),
	replaceTokens: (s) => replaceTokens(s, () => ''),
	customerKey: (s) => customerKey(s, salt),
	applyGuardrails: (s) => applyGuardrails([{ subject: s, preheader: s, body: s }], guard),
	'classifyByRules (all tasks)': (s) => {
		for (const task of Object.keys(LABELS) as Array<keyof typeof LABELS>) classifyByRules(task, s, LABELS[task]);
		return classifyByRules('custom', s, ['complaint about price', 'question', 'praise_guide', 'other']);
	},
	lexiconSentiment: (s) => lexiconSentiment(s),
	'satisfaction (review text)': (s) => satisfaction({ review: s, reviewText: s, rating: s }),
	'notes block: parseNote': (s) => parseNote(s),
	'notes block: upsertBlock': (s) => upsertBlock(s, { [s.slice(0, 200)]: s, 'ai.score': 0.5 }),
	'notes block: sanitizeKey': (s) => sanitizeKey(s),
	'Peek normalize (parseDelivery)': (s) => parseDelivery({ event: s.slice(0, 1000), booking: { id: 'b1', status: s, notes: s, customer: { name: s, email: s, phone: s }, total: s, startsAt: s } }),
	'Peek values (num, money, isoDateTime)': (s) => [peekNum(s), money(s), isoDateTime(s)],
	'AI Scorer fields (num, time, localDayHour)': (s) => [scorerNum(s), time(s), localDayHour(s)],
	'signature (timestamp, HMAC header, shared secret)': (s) => [
		parseTimestamp(s),
		screenHmac(Buffer.from('{}'), { 'x-peek-signature': s }, { header: 'x-peek-signature', encoding: 'auto' } as never),
		screenSharedSecret(s, 'header'),
		matchSharedSecret(s, 'secret', 'header'),
	],
};

describe('every pattern applied to user input is linear on 100 KB adversarial strings', () => {
	beforeAll(() => {
		// Warm up (JIT, lazily built name sets) so the first case does not pay for loading.
		for (const fn of Object.values(SUBJECTS)) fn('Hi Maria, jane@example.com +1 403 555 0142');
	});

	for (const [subject, fn] of Object.entries(SUBJECTS)) {
		it(`${subject} is linear: under ${BOUND_MS} ms on each 100 KB input (or grows linearly when the machine is busy)`, () => {
			const slow: string[] = [];
			for (const [shape, input] of Object.entries(ADVERSARIAL)) {
				expect(input.length).toBeGreaterThanOrEqual(SIZE - 2);
				const ms = timed(() => fn(input));
				if (ms <= BOUND_MS) continue;
				// Same shape, an eighth of the size (the tail character kept, e.g. "spaces then a letter").
				const part = input.slice(0, SIZE / SHRINK - 1) + input[input.length - 1];
				const small = Math.max(timed(() => fn(part)), 1);
				if (ms / small >= GROWTH_LIMIT) slow.push(`${shape}: ${ms.toFixed(0)} ms on ${SIZE} characters, ${small.toFixed(0)} ms on ${part.length}`);
			}
			expect(slow).toEqual([]);
		});
	}
});
