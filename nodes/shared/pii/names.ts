import { AMBIGUOUS_NAMES, COMMON_WORDS, PERSON_NAMES } from './personNames';
import type { Span } from './scan';
import { fold, isCaseless, isDigit, isLetter, isUpper } from './text';

/**
 * Person names and street addresses in free text, found word by word (one pass to cut the text
 * into words, one pass over the words).
 *
 * Names: a capitalised word is a name when the bundled list (personNames.ts: ~66,000 given names
 * and surnames from cspell's people-names dictionary and faker's 70+ locales) has it. A listed
 * name that is also an everyday word ("Will", "Grace", "Park", "May") needs context: a cue before
 * it ("Mr", "Dear", "guest", "son", "with"), a name beside it, or a capital in mid-sentence. A
 * name reaches over the capitalised words beside it ("Ngozi Okonkwo-Eze", "María de la Cruz"), so
 * an unlisted surname next to a listed given name is caught too. Scripts written without spaces
 * (Chinese, Japanese, Thai) cannot be cut into words, so only their structured names
 * (`addKnownName`) are found there.
 */
export interface Word {
	start: number;
	end: number;
	text: string;
	folded: string;
	/** A sentence boundary (or the start of the text) lies between the previous word and this one. */
	sentenceStart: boolean;
	/** Only spaces lie between the previous word and this one (no comma, bracket or dash): one phrase. */
	joined: boolean;
	capital: boolean;
	caseless: boolean;
	numeric: boolean;
}

let names: Set<string> | undefined;
let ambiguous: Set<string> | undefined;
let common: Set<string> | undefined;

function lists(): { names: Set<string>; ambiguous: Set<string>; common: Set<string> } {
	// Built on first use: a node that never redacts free text never pays for the sets.
	names ??= new Set(PERSON_NAMES.split('|'));
	ambiguous ??= new Set(AMBIGUOUS_NAMES.split('|'));
	common ??= new Set(COMMON_WORDS.split('|'));
	return { names, ambiguous, common };
}

/** Months and weekdays are listed names too ("June", "August"); alone they are dates. */
const CALENDAR = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

/**
 * Words of places and venues: a capitalised run holding one ("Lake Louise", "Stanley Park",
 * "Johnston Canyon", "Banff Springs Hotel") is a place, though its other words are listed names.
 */
const PLACE_WORDS = new Set(['lake', 'lakes', 'canyon', 'valley', 'island', 'islands', 'street', 'avenue', 'road', 'bay', 'river', 'mountain', 'mountains', 'mount', 'mt', 'hotel', 'bridge', 'trail', 'town', 'springs', 'gondola', 'station', 'airport', 'beach', 'falls', 'glacier', 'peak', 'pass', 'creek', 'centre', 'center', 'square', 'park', 'harbour', 'harbor', 'pier', 'marina', 'resort', 'lodge', 'inn', 'museum', 'cathedral', 'church', 'castle', 'palace', 'gardens', 'garden', 'national', 'forest', 'coast', 'cove', 'point', 'cape', 'sea', 'ocean', 'desert', 'reef', 'basin', 'cave', 'caves', 'rock', 'rocks', 'gate', 'parkway', 'highway', 'boulevard', 'terminal', 'village', 'city', 'county', 'province', 'hall', 'tower', 'market', 'mall', 'plaza', 'sky', 'rail', 'tour', 'tours', 'cruise', 'ferry', 'club', 'bar', 'cafe', 'restaurant', 'grill', 'kitchen', 'studio', 'school', 'university', 'college', 'hospital', 'clinic', 'north', 'south', 'east', 'west', 'upper', 'lower', 'old', 'new', 'grand', 'great']);
/** Languages and nationalities: listed as surnames ("English"), nearly always the adjective. */
const NOT_NAMES = new Set([
	// Platforms the pack itself knows (llm/rules.ts referral sources, the vendors it talks to).
	'peek', 'klaviyo', 'braze', 'shopify', 'viator', 'getyourguide', 'tripadvisor', 'expedia', 'yelp', 'airbnb', 'klook', 'google', 'instagram', 'facebook', 'tiktok', 'youtube',
	'english', 'spanish', 'french', 'german', 'italian', 'dutch', 'chinese', 'japanese', 'korean', 'arabic', 'russian', 'polish', 'portuguese', 'swedish', 'norwegian', 'danish', 'finnish', 'irish', 'scottish', 'welsh', 'american', 'canadian', 'british', 'australian', 'indian', 'mexican', 'brazilian', 'greek', 'turkish', 'thai', 'vietnamese', 'european', 'asian', 'african', 'latin', 'celsius', 'fahrenheit']);

/** Words after which a capitalised word is a person: titles and greetings (strong), relations and roles. */
const STRONG_CUES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sr', 'sra', 'srta', 'herr', 'frau', 'mme', 'mlle', 'hi', 'hello', 'hey', 'dear', 'named', 'signed', 'sincerely', 'regards', 'cheers', 'love']);
const CUES = new Set([
	...STRONG_CUES,
	'thanks', 'thank', 'guest', 'guests', 'son', 'daughter', 'wife', 'husband', 'partner', 'fiance', 'fiancee', 'friend', 'friends', 'sister', 'brother', 'mom', 'mum', 'dad', 'mother', 'father', 'grandma', 'grandpa', 'grandmother', 'grandfather', 'aunt', 'uncle', 'cousin', 'niece', 'nephew', 'child', 'kid', 'kids', 'boy', 'girl', 'baby', 'guardian', 'parent', 'by', 'with', 'and', 'for', 'from', 'ask', 'tell', 'contact', 'cc', 'to', 'guide', 'captain', 'colleague', 'boss', 'manager', 'is', 'was', 'am', 'me', 'called', 'name', 'signer', 'participant', 'minor', 'attendee', 'leader', 'organizer', 'coordinator', 'booker',
]);
/** Relations and roles: an unlisted capitalised word after one is a person too ("son Tunde"). */
const RELATION_CUES = new Set([...STRONG_CUES, 'guest', 'son', 'daughter', 'wife', 'husband', 'partner', 'fiance', 'fiancee', 'friend', 'sister', 'brother', 'mom', 'mum', 'dad', 'mother', 'father', 'grandma', 'grandpa', 'grandmother', 'grandfather', 'aunt', 'uncle', 'cousin', 'niece', 'nephew', 'child', 'kid', 'guardian', 'parent', 'signer', 'participant', 'minor', 'attendee', 'colleague', 'boss', 'manager', 'captain']);
/** Particles inside a name ("María de la Cruz", "Abdullah bin Rashid", "Vincent van Gogh"). */
const PARTICLES = new Set(['de', 'del', 'della', 'da', 'das', 'do', 'dos', 'di', 'du', 'la', 'le', 'van', 'von', 'der', 'den', 'ter', 'bin', 'ibn', 'bint', 'al', 'el', 'y', 'e', 'abu', 'ben', 'mac', 'st']);

function isSentenceBreak(c: string): boolean {
	return c === '.' || c === '!' || c === '?' || c === '\n' || c === '\r' || c === ':' || c === ';' || c === '•' || c === '"' || c === '“' || c === '(' || c === '[';
}

/** Words: letters and digits with inner apostrophes, hyphens and dots of initials ("O'Brien", "Al-Farsi"). */
export function words(text: string): Word[] {
	const out: Word[] = [];
	let sentenceStart = true;
	let joined = false;
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (!isLetter(c) && !isDigit(c)) {
			if (isSentenceBreak(c)) sentenceStart = true;
			if (c !== ' ' && c !== '\t') joined = false;
			i++;
			continue;
		}
		const start = i;
		i++;
		while (i < text.length) {
			const d = text[i];
			if (isLetter(d) || isDigit(d)) i++;
			else if ((d === "'" || d === '’' || d === '-') && isLetter(text[i + 1]) && isLetter(text[i - 1])) i += 2;
			else break;
		}
		const w = text.slice(start, i);
		const folded = isDigit(c) ? w : fold(w);
		out.push({
			start,
			end: i,
			text: w,
			folded: folded.includes('’') ? folded.split('’').join("'") : folded,
			sentenceStart,
			joined: joined && !sentenceStart,
			capital: isUpper(c),
			caseless: isCaseless(c),
			numeric: isDigit(c),
		});
		sentenceStart = false;
		joined = true;
	}
	return out;
}

const enum Verdict {
	No,
	Ambiguous,
	Name,
}

function listed(folded: string): boolean {
	const { names: n } = lists();
	if (n.has(folded)) return true;
	// "al-farsi", "o'brien", "jean-luc": a listed part that is not a particle.
	let hit = false;
	let start = 0;
	for (let k = 0; k <= folded.length; k++) {
		if (k === folded.length || folded[k] === '-' || folded[k] === "'") {
			const part = folded.slice(start, k);
			if (part.length >= 3 && n.has(part) && !PARTICLES.has(part)) hit = true;
			start = k + 1;
		}
	}
	return hit && folded.length > 3;
}

function verdict(w: Word): Verdict {
	if (w.numeric || w.text.length < 2) return Verdict.No;
	if (!w.capital && !w.caseless) return Verdict.No;
	if (NOT_NAMES.has(w.folded) || PLACE_WORDS.has(w.folded)) return Verdict.No;
	if (!listed(w.folded)) return Verdict.No;
	const { ambiguous: amb } = lists();
	if (CALENDAR.has(w.folded) || amb.has(w.folded)) return Verdict.Ambiguous;
	// ALL-CAPS words are headings and acronyms more often than names; a listed one is still a name.
	return Verdict.Name;
}

function isCue(w: Word | undefined, strong: boolean): boolean {
	return !!w && (strong ? STRONG_CUES : CUES).has(w.folded.replace(/\.$/, ''));
}

/** Capitalised words that may extend a name: not everyday words, not sentence starts, not numbers. */
function extendable(w: Word | undefined): boolean {
	if (!w || w.numeric || w.sentenceStart || !(w.capital || w.caseless)) return false;
	const { common: c } = lists();
	return !c.has(w.folded) || listed(w.folded);
}

export function findNames(text: string, ws: Word[] = words(text)): Span[] {
	const verdicts = ws.map(verdict);
	const isName = new Array<boolean>(ws.length).fill(false);
	for (let k = 0; k < ws.length; k++) {
		const w = ws[k];
		const v = verdicts[k];
		if (v === Verdict.Name) isName[k] = true;
		else if (v === Verdict.Ambiguous) {
			const prev = ws[k - 1];
			const next = ws[k + 1];
			const neighbourName = (prev && w.joined && verdicts[k - 1] === Verdict.Name) || (next && next.joined && verdicts[k + 1] === Verdict.Name);
			if (w.sentenceStart) {
				// "Will you…", "Can Priya come?", "Reach Omar at…": a sentence-initial everyday word is that word.
				isName[k] = false;
			} else if (CALENDAR.has(w.folded)) isName[k] = isCue(prev, true) || !!neighbourName;
			else isName[k] = isCue(prev, false) || !!neighbourName || (w.capital && prev !== undefined && !prev.capital);
		} else if (!w.numeric && (w.capital || w.caseless) && !w.sentenceStart && RELATION_CUES.has(ws[k - 1]?.folded.replace(/\.$/, '') ?? '') && !lists().common.has(w.folded)) {
			// "Hi Tunde", "Mrs Okafor", "son Tunde": an unlisted name after a title, greeting or relation.
			isName[k] = true;
		}
	}
	// Grow each name over the capitalised words and particles beside it.
	for (let k = 0; k < ws.length; k++) {
		if (!isName[k]) continue;
		let r = k + 1;
		while (r < ws.length && r - k <= 4 && ws[r].joined) {
			if (extendable(ws[r])) {
				isName[r] = true;
				r++;
			} else if (PARTICLES.has(ws[r].folded) && ws[r + 1]?.joined && extendable(ws[r + 1])) r++;
			else break;
		}
		// Leftwards too, and over a sentence start: "Guest list: Giulia Bianchi" (an unlisted given
		// name before a listed surname) — but not over an everyday word ("Can Priya…").
		let l = k - 1;
		while (l >= 0 && k - l <= 3 && ws[l + 1].joined && (ws[l].capital || ws[l].caseless) && !ws[l].numeric && !lists().common.has(ws[l].folded) && !PLACE_WORDS.has(ws[l].folded)) {
			isName[l] = true;
			l--;
		}
	}
	// A capitalised run with a place word in it, or right after one ("Mount Robson"), is a place.
	for (let k = 0; k < ws.length; k++) {
		if (!(ws[k].capital || ws[k].caseless) || (k > 0 && ws[k].joined && (ws[k - 1].capital || ws[k - 1].caseless))) continue;
		let r = k;
		let place = false;
		while (r < ws.length && (ws[r].capital || ws[r].caseless || (PARTICLES.has(ws[r].folded) && r > k)) && (r === k || ws[r].joined)) {
			if (PLACE_WORDS.has(ws[r].folded)) place = true;
			r++;
		}
		if (place) for (let q = k; q < r; q++) isName[q] = false;
		k = r - 1;
	}
	const spans: Span[] = [];
	for (let k = 0; k < ws.length; k++) {
		if (!isName[k]) continue;
		// One span per run of name words (and the particles between them), one pseudonym per word.
		spans.push({ start: ws[k].start, end: ws[k].end, kind: 'NAME', key: ws[k].folded });
	}
	return spans;
}

const STREET_SUFFIXES = new Set(['street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'court', 'ct', 'way', 'place', 'pl', 'terrace', 'ter', 'parkway', 'pkwy', 'highway', 'hwy', 'circle', 'cir', 'square', 'sq', 'trail', 'trl', 'crescent', 'cres', 'close', 'calle', 'rue', 'strasse', 'straße', 'weg', 'gasse', 'platz', 'via', 'avenida']);
const UNIT_WORDS = new Set(['apt', 'apartment', 'suite', 'ste', 'unit', 'flat', 'floor']);

/** "742 Evergreen Terrace", "12B Baker Street, Apt 4": a house number, 1-4 capitalised words, a street type. */
export function findAddresses(text: string, ws: Word[] = words(text)): Span[] {
	const spans: Span[] = [];
	for (let k = 0; k < ws.length; k++) {
		const w = ws[k];
		if (!w.numeric || w.text.length > 7 || !/^\d{1,6}[A-Za-z]?$/.test(w.text)) continue;
		let r = k + 1;
		let found = -1;
		while (r < ws.length && r - k <= 5) {
			const x = ws[r];
			if (r > k + 1 && STREET_SUFFIXES.has(x.folded)) found = r;
			if (!x.capital) break;
			r++;
		}
		if (found < 0) continue;
		let end = ws[found].end;
		let next = found + 1;
		if (ws[next] && (UNIT_WORDS.has(ws[next].folded) || text[ws[next].start - 1] === '#') && ws[next + 1]) {
			end = ws[next + 1].end;
			next += 2;
		}
		spans.push({ start: w.start, end, kind: 'ADDRESS', key: fold(text.slice(w.start, end)).replace(/\s+/g, ' ') });
		k = next - 1;
	}
	return spans;
}

/**
 * Every place a registered name appears, case- and accent-insensitively, as a whole word (or
 * anywhere, for scripts written without spaces). Names are few per item, so this is
 * O(text × names) with `indexOf`, no backtracking.
 */
export function findKnownNames(text: string, known: Iterable<string>): Span[] {
	if (!text) return [];
	const folded = fold(text);
	const spans: Span[] = [];
	for (const name of known) {
		const needle = fold(name);
		if (needle.length < 2) continue;
		const spaced = isLetter(needle[0]) && !/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]/.test(needle);
		let from = 0;
		for (;;) {
			const at = folded.indexOf(needle, from);
			if (at < 0) break;
			const end = at + needle.length;
			if (!spaced || (!isLetter(folded[at - 1]) && !isDigit(folded[at - 1]) && !isLetter(folded[end]) && !isDigit(folded[end]))) {
				spans.push({ start: at, end, kind: 'NAME', key: needle });
				from = end;
			} else from = at + 1;
		}
	}
	return spans;
}
