/**
 * Measures free-text person-name detection on the PII corpus: the Pseudonymizer alone, with no
 * booking fields registered, so every name must be found in the text itself. Used by
 * pii-corpus.test.ts (asserted) and bench/pii/recall.mjs (printed).
 */
import { Pseudonymizer } from '../../../nodes/shared/pii';
import { fold } from '../../../nodes/shared/pii/text';
import type { CorpusText } from './pii-corpus.data';

function isWordUnit(c: string | undefined): boolean {
	return c !== undefined && /[\p{L}\p{M}\p{N}]/u.test(c);
}

/** A name word written with its capital, as a whole word (accent-insensitive). */
export function containsNameWord(text: string, word: string): boolean {
	const hay = fold(text);
	const needle = fold(word);
	for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
		if (isWordUnit(hay[at - 1]) || isWordUnit(hay[at + needle.length])) continue;
		if (text[at] !== text[at].toLowerCase()) return true;
	}
	return false;
}

export function nameWords(name: string): string[] {
	return name.split(/\s+/).filter((w) => w.length >= 2);
}

export interface NameMeasure {
	/** Name words planted in the texts, and how many were pseudonymized. */
	planted: number;
	found: number;
	/** Words pseudonymized as names, and how many of those are no planted name. */
	nameTokens: number;
	falseTokens: number;
	/** In the texts that name nobody: words, and words pseudonymized as names. */
	nonNameWords: number;
	nonNameFalse: number;
	recall: number;
	precision: number;
	missed: string[];
	falsePositives: string[];
}

export function measureNameDetection(texts: CorpusText[], nonNameTexts: string[]): NameMeasure {
	const m = { planted: 0, found: 0, nameTokens: 0, falseTokens: 0, nonNameWords: 0, nonNameFalse: 0, missed: [] as string[], falsePositives: [] as string[] };
	const salt = 'recall-measure';
	for (const t of texts) {
		const planted = [...new Set([...t.bookingNames, ...t.freeTextNames])].filter((n) => nameWords(n).some((w) => containsNameWord(t.text, w)));
		const p = new Pseudonymizer(salt);
		const redacted = p.redactText(t.text);
		const plantedWords = new Set(planted.flatMap(nameWords).map((w) => fold(w)));
		for (const name of planted) {
			for (const w of nameWords(name)) {
				if (!containsNameWord(t.text, w)) continue;
				m.planted++;
				if (containsNameWord(redacted, w)) m.missed.push(`${w} (${name}) in #${t.id}`);
				else m.found++;
			}
		}
		for (const r of p.replacements()) {
			if (r.kind !== 'NAME') continue;
			for (const w of nameWords(r.original)) {
				m.nameTokens++;
				if (!plantedWords.has(fold(w))) {
					m.falseTokens++;
					m.falsePositives.push(`${w} in #${t.id}`);
				}
			}
		}
	}
	for (const text of nonNameTexts) {
		const p = new Pseudonymizer(salt);
		p.redactText(text);
		m.nonNameWords += text.split(/\s+/).filter(Boolean).length;
		for (const r of p.replacements()) {
			if (r.kind !== 'NAME') continue;
			for (const w of nameWords(r.original)) {
				m.nameTokens++;
				m.falseTokens++;
				m.nonNameFalse++;
				m.falsePositives.push(`${w} in "${text.slice(0, 30)}…"`);
			}
		}
	}
	return { ...m, recall: m.found / m.planted, precision: (m.nameTokens - m.falseTokens) / m.nameTokens };
}

export function report(m: NameMeasure, texts: number, nonNameTexts: number): string {
	return [
		`names: recall=${m.recall.toFixed(3)} precision=${m.precision.toFixed(3)} (${m.planted} names in ${texts} texts, counted per word; ${m.nameTokens} words pseudonymized as names, ${m.falseTokens} of them wrongly)`,
		`non-name texts: ${m.nonNameFalse} of ${m.nonNameWords} words pseudonymized as names (${((m.nonNameFalse / m.nonNameWords) * 100).toFixed(1)}%) in ${nonNameTexts} texts`,
		`missed (first 12): ${m.missed.slice(0, 12).join('; ')}`,
		`false positives (first 12): ${m.falsePositives.slice(0, 12).join('; ')}`,
	].join('\n');
}
