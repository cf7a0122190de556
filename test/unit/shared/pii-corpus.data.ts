/**
 * A PII corpus written for the pack's privacy tests: booking notes, reviews, waivers and guardian
 * notes naming people of many cultures, with emails and phone numbers in the formats and encodings
 * guests and systems actually produce. Names were chosen for realism, not looked up in the
 * bundled name list, so the measured recall is honest.
 *
 * Each text is built from a template (what kind of text, which slots) and the people, email and
 * phone formats below, picked in rotation; `buildCorpus()` returns every text with the PII planted
 * in it and the booking it belongs to.
 */

export interface Person {
	first: string;
	last: string;
	culture: string;
	/** Email local part and domain for this person. */
	local: string;
	domain: string;
}

export const PEOPLE: Person[] = [
	{ first: 'Emily', last: 'Hartley', culture: 'Anglo', local: 'emily.hartley', domain: 'example.co.uk' },
	{ first: 'Oliver', last: 'Pemberton', culture: 'Anglo', local: 'opemberton', domain: 'mail.example.com' },
	{ first: 'Charlotte', last: 'Whitaker', culture: 'Anglo', local: 'charlotte_w', domain: 'example.org' },
	{ first: 'Declan', last: 'Fitzgerald', culture: 'Irish', local: 'declan.fitz', domain: 'example.ie' },
	{ first: 'Siobhan', last: 'Gallagher', culture: 'Irish', local: 'siobhan.g', domain: 'example.ie' },
	{ first: 'Alejandro', last: 'Ramírez', culture: 'Hispanic', local: 'alejandro.ramirez', domain: 'correo.example.mx' },
	{ first: 'Lucía', last: 'Fernández', culture: 'Hispanic', local: 'lucia.fernandez', domain: 'example.es' },
	{ first: 'Valentina', last: 'Castillo', culture: 'Hispanic', local: 'vale.castillo', domain: 'example.com.ar' },
	{ first: 'Joaquín', last: 'Herrera', culture: 'Hispanic', local: 'jherrera', domain: 'example.cl' },
	{ first: 'Wei', last: 'Zhang', culture: 'Chinese', local: 'zhang.wei', domain: 'example.cn' },
	{ first: 'Xiaoling', last: 'Chen', culture: 'Chinese', local: 'xiaoling.chen', domain: 'example.com.cn' },
	{ first: 'Jun', last: 'Liu', culture: 'Chinese', local: 'liujun88', domain: 'example.hk' },
	{ first: 'Meiling', last: 'Huang', culture: 'Chinese', local: 'meiling.huang', domain: 'example.tw' },
	{ first: 'Priya', last: 'Raghavan', culture: 'Indian', local: 'priya.raghavan', domain: 'example.in' },
	{ first: 'Arjun', last: 'Mehta', culture: 'Indian', local: 'arjun.mehta', domain: 'example.co.in' },
	{ first: 'Ananya', last: 'Iyer', culture: 'Indian', local: 'ananya.iyer', domain: 'example.in' },
	{ first: 'Rohan', last: 'Deshpande', culture: 'Indian', local: 'rohan.d', domain: 'example.com' },
	{ first: 'Omar', last: 'Haddad', culture: 'Arabic', local: 'omar.haddad', domain: 'example.ae' },
	{ first: 'Layla', last: 'Mansour', culture: 'Arabic', local: 'layla.mansour', domain: 'example.jo' },
	{ first: 'Youssef', last: 'El-Amrani', culture: 'Arabic', local: 'y.elamrani', domain: 'example.ma' },
	{ first: 'Fatima', last: 'Al-Sayed', culture: 'Arabic', local: 'fatima.alsayed', domain: 'example.sa' },
	{ first: 'Chinedu', last: 'Okonkwo', culture: 'Nigerian', local: 'chinedu.okonkwo', domain: 'example.ng' },
	{ first: 'Ngozi', last: 'Eze', culture: 'Nigerian', local: 'ngozi.eze', domain: 'example.com.ng' },
	{ first: 'Oluwaseun', last: 'Adebayo', culture: 'Nigerian', local: 'seun.adebayo', domain: 'example.ng' },
	{ first: 'Folake', last: 'Adeyemi', culture: 'Nigerian', local: 'folake.a', domain: 'example.com' },
	{ first: 'Haruto', last: 'Takahashi', culture: 'Japanese', local: 'h.takahashi', domain: 'example.jp' },
	{ first: 'Yui', last: 'Nakamura', culture: 'Japanese', local: 'yui.nakamura', domain: 'example.co.jp' },
	{ first: 'Kenji', last: 'Watanabe', culture: 'Japanese', local: 'kenji.w', domain: 'example.ne.jp' },
	{ first: 'Aiko', last: 'Yamamoto', culture: 'Japanese', local: 'aiko.yamamoto', domain: 'example.jp' },
	{ first: 'Dmitri', last: 'Volkov', culture: 'Slavic', local: 'dmitri.volkov', domain: 'example.ru' },
	{ first: 'Katarzyna', last: 'Wiśniewska', culture: 'Slavic', local: 'kasia.wisniewska', domain: 'example.pl' },
	{ first: 'Tomáš', last: 'Dvořák', culture: 'Slavic', local: 'tomas.dvorak', domain: 'example.cz' },
	{ first: 'Olena', last: 'Kovalenko', culture: 'Slavic', local: 'olena.k', domain: 'example.ua' },
	{ first: 'Milica', last: 'Petrović', culture: 'Slavic', local: 'milica.petrovic', domain: 'example.rs' },
	{ first: 'Søren', last: 'Kierkegaard', culture: 'Nordic', local: 'soren.k', domain: 'example.dk' },
	{ first: 'Åsa', last: 'Lindqvist', culture: 'Nordic', local: 'asa.lindqvist', domain: 'example.se' },
	{ first: 'Björn', last: 'Andersson', culture: 'Nordic', local: 'bjorn.andersson', domain: 'example.se' },
	{ first: 'Ingrid', last: 'Solberg', culture: 'Nordic', local: 'ingrid.solberg', domain: 'example.no' },
	{ first: 'Jóhanna', last: 'Sigurðardóttir', culture: 'Nordic', local: 'johanna.s', domain: 'example.is' },
	{ first: 'Minh', last: 'Nguyen', culture: 'Vietnamese', local: 'minh.nguyen', domain: 'example.vn' },
	{ first: 'Ji-woo', last: 'Park', culture: 'Korean', local: 'jiwoo.park', domain: 'example.kr' },
	{ first: 'Giulia', last: 'Bianchi', culture: 'Italian', local: 'giulia.bianchi', domain: 'example.it' },
	{ first: 'François', last: 'Lefèvre', culture: 'French', local: 'francois.lefevre', domain: 'example.fr' },
	{ first: 'Jürgen', last: 'Müller', culture: 'German', local: 'juergen.mueller', domain: 'example.de' },
	{ first: 'Mehmet', last: 'Yılmaz', culture: 'Turkish', local: 'mehmet.yilmaz', domain: 'example.com.tr' },
	{ first: 'Kwame', last: 'Mensah', culture: 'Ghanaian', local: 'kwame.mensah', domain: 'example.com.gh' },
	{ first: 'Thandiwe', last: 'Ndlovu', culture: 'South African', local: 'thandi.ndlovu', domain: 'example.co.za' },
	{ first: 'Grace', last: 'Mitchell', culture: 'Anglo (everyday-word name)', local: 'grace.mitchell', domain: 'example.com' },
	{ first: 'Will', last: 'Barker', culture: 'Anglo (everyday-word name)', local: 'willbarker', domain: 'example.net' },
	{ first: 'Rose', last: 'Hill', culture: 'Anglo (everyday-word name)', local: 'rose.hill', domain: 'example.com' },
];

/** People mentioned only in free text (not in the booking): what name detection must find alone. */
export const FREE_TEXT_PEOPLE: string[] = [
	'Hannah Schultz', 'Mateo Vargas', 'Aisha Bello', 'Tendai Moyo', 'Rahul Sharma', 'Sakura Ito', 'Liang Wu', 'Pavel Novák',
	'Astrid Nilsson', 'Karim Benali', 'Emeka Nwosu', 'Camila Rojas', 'Sean Murphy', 'Deepika Nair', 'Yusuf Demir', 'Elena Popescu',
	'Lars Johansen', 'Amara Okafor', 'Tariq Aziz', 'Mei Tanaka', 'Ravi Kumar', 'Sophie Dubois', 'Nikolai Ivanov', 'Zainab Abubakar',
	'Diego Morales', 'Hyun-woo Kim', 'Freya Olsen', 'Bilal Qureshi', 'Chloe Bennett', 'Tunde Bakare',
];

/** An email as it appears in text, and the address it stands for. */
export const EMAIL_FORMATS: Array<{ name: string; render: (local: string, domain: string) => string }> = [
	{ name: 'plain', render: (l, d) => `${l}@${d}` },
	{ name: 'upper case', render: (l, d) => `${l}@${d}`.toUpperCase() },
	{ name: 'URL-encoded @', render: (l, d) => `${l}%40${d}` },
	{ name: 'URL-encoded plus tag', render: (l, d) => `${l}%2Bbooking%40${d}` },
	{ name: 'plus tag', render: (l, d) => `${l}+tours@${d}` },
	{ name: 'decimal entity', render: (l, d) => `${l}&#64;${d}` },
	{ name: 'hex entity', render: (l, d) => `${l}&#x40;${d}` },
	{ name: 'named entity', render: (l, d) => `${l}&commat;${d}` },
	{ name: 'full-width at', render: (l, d) => `${l}＠${d}` },
	{ name: 'at / dot words', render: (l, d) => `${l} at ${d.split('.').join(' dot ')}` },
	{ name: 'bracketed at / dot', render: (l, d) => `${l} [at] ${d.split('.').join(' [dot] ')}` },
	{ name: 'parenthesised at / dot', render: (l, d) => `${l}(at)${d.split('.').join('(dot)')}` },
	{ name: 'mailto link', render: (l, d) => `mailto:${l}@${d}?subject=Booking` },
	{ name: 'angle brackets', render: (l, d) => `<${l}@${d}>` },
	{ name: 'query string', render: (l, d) => `https://example.com/confirm?email=${l}%40${d}&ref=7` },
	{ name: 'quoted', render: (l, d) => `"${l}@${d}"` },
];

/** Unicode addresses: accented local parts, IDN domains in Unicode and punycode. */
export const UNICODE_EMAILS: string[] = [
	'josé.garcía@correo.es', 'zoë.brontë@example.co.uk', 'müller@münchen.de', 'anna@xn--mnchen-3ya.de', 'ユーザー@例え.jp',
	'用户@例子.广告', 'søren@københavn.dk', 'иван@пример.рф', 'δοκιμή@παράδειγμα.δοκιμή', 'नमस्ते@उदाहरण.भारत',
];

export const PHONES: string[] = [
	'+1 (403) 555-0142', '403-555-0199', '403.555.0187', '(403)5550163', '+44 20 7946 0958', '+49 30 12345678', '+81 3-1234-5678',
	'+86 138 0013 8000', '+91 98765 43210', '+234 803 123 4567', '0803 123 4567', '+33 6 12 34 56 78', 'tel:+14035550142',
	'+1-403-555-0128 ext. 12', '4035550111', '+1%20403%20555%200176', '０９０-１２３４-５６７８', '+971 50 123 4567', '+7 (912) 345-67-89',
	'+46 70 123 45 67', '+52 55 1234 5678', '030/1234567', '+55 (11) 91234-5678', '+61 412 345 678', '+353 87 123 4567', '+27 82 123 4567',
];

/** Slots: {A} booker's full name, {a} booker's first name, {B} a guest's full name, {b} a guest's first name, {G} guardian, {C} someone named only here, {E} an email, {P} a phone. */
export const TEMPLATES: Array<{ kind: string; text: string }> = [
	{ kind: 'note', text: 'Booked by {A}. Party includes {B}. Call {P} if the weather turns; confirmation went to {E}.' },
	{ kind: 'note', text: '{a} asked to sit with {b} on the boat. Reach her at {E} or {P}.' },
	{ kind: 'note', text: 'Returning guest {A} - second booking this year. {b} joins for the first time. {C} recommended us to them.' },
	{ kind: 'note', text: 'Vegetarian lunch for {b}. Pickup at the Marriott lobby. Contact: {P} / {E}' },
	{ kind: 'note', text: 'Peek note: {A} phoned on {P} to move the slot to 10:30. {b} has a knee injury, gentle pace please.' },
	{ kind: 'note', text: 'Please invoice {E}. Group leader {A}, second contact {B} ({P}).' },
	{ kind: 'note', text: 'Guest list: {A}, {B}, {C}. Allergies: peanuts ({b}).' },
	{ kind: 'note', text: 'Called {a} back at {P}, no answer. Left voicemail. Email {E} instead.' },
	{ kind: 'note', text: 'Gift booking from {C} for {A}. Send the voucher to {E}, not to the buyer.' },
	{ kind: 'note', text: '{A} is celebrating an anniversary with {B}. Champagne on arrival. Mobile {P}.' },
	{ kind: 'note', text: 'Transfer from Canmore. Driver to text {a} on {P} 15 minutes before arrival.' },
	{ kind: 'note', text: 'Rebooked from last Sunday (storm). {A} and {b} keep the same seats; confirmation {E}.' },
	{ kind: 'note', text: 'Kids on this tour: {b} (9) and her cousin. Parent on site: {A}, {P}.' },
	{ kind: 'note', text: 'WhatsApp {P} for {a}; she prefers it to email ({E}).' },
	{ kind: 'note', text: 'Corporate group - coordinator {A} ({E}). Second guide requested by {C}.' },
	{ kind: 'review', text: 'Our guide was fantastic and {b} loved the glacier. Thanks from {A}!' },
	{ kind: 'review', text: 'Five stars. {a} and I will be back next summer. Questions to {E}.' },
	{ kind: 'review', text: 'Great day out, though the bus was late. Ask {C} at the front desk, she arranged everything. - {A}' },
	{ kind: 'review', text: 'My husband {b} was nervous about kayaking but the crew made it easy. Contact me at {P} for a testimonial. {A}' },
	{ kind: 'review', text: 'Loved it! Booked through our hotel. {A}, {E}' },
	{ kind: 'review', text: 'Not great: the meeting point was unclear and nobody answered {P}. {a} waited 40 minutes.' },
	{ kind: 'review', text: 'Highly recommend. Special thanks to {C} who took photos of {b} and me. Send them to {E} please.' },
	{ kind: 'review', text: 'Dear team, {b} lost a scarf on the trail. If found, email {E} or text {P}. Kind regards, {A}' },
	{ kind: 'waiver', text: 'I, {A}, release the operator from liability. Signed for myself and {B}. Emergency contact: {C}, {P}.' },
	{ kind: 'waiver', text: 'Participant: {B}. Signer: {A}. Email {E}. Phone {P}.' },
	{ kind: 'waiver', text: 'Waiver signed electronically by {A} on behalf of minor {b}. Copy sent to {E}.' },
	{ kind: 'waiver', text: 'Medical: asthma (inhaler carried). Signed {A}. Witness {C}.' },
	{ kind: 'guardian', text: 'Guardian {G} will drop off {b} and collect at 4pm. Guardian phone {P}.' },
	{ kind: 'guardian', text: 'Minor {B} attends with written consent from {G} ({E}).' },
	{ kind: 'guardian', text: 'Parent/guardian: {G}. Alternate pickup: {C}. Reach {G} at {P} or {E}.' },
	{ kind: 'guardian', text: 'Mr {G} confirmed by phone ({P}) that {b} may join the junior paddle.' },
	{ kind: 'support', text: 'Hi {a}, thanks for reaching out from {E}. We moved your booking as asked. Call {P} with questions.' },
	{ kind: 'support', text: 'Hello, this is {A}. My card was charged twice. Please call me at {P} or write to {E}.' },
	{ kind: 'support', text: 'Refund request: {A} ({E}) for the cancelled 9am tour; guest {B} cannot travel.' },
	{ kind: 'support', text: 'From: {A} <{E}>\nSubject: Change of date\n\nCan {b} and I come on Friday instead? {P}' },
];

/** Texts with no person in them, for false positives: booking and review language an operator sees. */
export const NON_NAME_TEXTS: string[] = [
	'Sunset Kayak Tour on Lake Minnewanka, meet at the north dock at 6:45 pm. Bring a warm layer.',
	'Great tour! The glacier walk was the highlight and the lunch was excellent.',
	'Party of 4, two adults and two kids. Pickup from the Banff Springs Hotel at 8:00.',
	'Rained the whole afternoon but the guides kept everyone in good spirits. Would book again.',
	'Booking moved from Saturday to Sunday because of high winds on the lake.',
	'Please add the photo package and two extra paddles to the order.',
	'The Rocky Mountain Rail Tour was delayed by an hour; we missed the canyon stop.',
	'Five stars. Clean equipment, safe boats, friendly crew, amazing views over Bow Valley.',
	'Wheelchair access needed at the Cave and Basin entrance. Confirm by email.',
	'Total $298.71 paid by card. Deposit refunded on 2026-08-02.',
	'Will the tour run if there is a thunderstorm warning? May we bring our dog?',
	'Grace period for cancellations is 24 hours before departure.',
	'Mark the booking as VIP and hold two seats at the front of the bus.',
	'Best day of our trip. Highly recommend the Moraine Lake sunrise paddle.',
	'Bear sighting on the trail near Johnston Canyon; the group stayed together and was safe.',
	'Hope to see snow next time. The Icefields Parkway was stunning in June.',
	'The bus left Calgary at 7:10 and arrived at Lake Louise around 9:15.',
	'Vegetarian and gluten-free lunches for three guests. No nuts please.',
	'Our Grand Canyon helicopter flight was cancelled due to fog and rebooked for Tuesday.',
	'Lost and found: one blue rain jacket, size M, left on the Red Rock trail.',
	'Checked in at 9:02. Waiver signed. Helmet and life jacket fitted.',
	'Dinner cruise upgrade requested. Window table if possible.',
	'The Northern Lights tour was spectacular, even with the cold.',
	'Staff at the Golden Gate Bridge meeting point were very helpful.',
	'Too expensive for what it was, and the audio guide kept cutting out.',
	'Group of 12 from Toronto. Invoice to the company, net 30 days.',
	'Snorkel gear rental for 3 people, sizes S, M and L. Reef shoes included.',
	'Early check-in at the Marina Bay pier, boarding closes 15 minutes before sailing.',
	'Tour guide spoke English and Spanish. Stops at the Old Town and the Cathedral.',
	'The Sea to Sky Gondola tickets were included in the package price.',
	'Our kids loved the Cliffwalk and the suspension bridge. A bit crowded at noon.',
	'Amazing sunset. The captain stopped so we could watch the whales.',
	'Please confirm the Friday slot. Our flight lands at 11:20 at Terminal 3.',
	'We booked through Viator and GetYourGuide; only one confirmation arrived.',
	'Rafting on the Kicking Horse River: class III rapids, wetsuits provided.',
	'The Yellowstone day trip needs an early start; breakfast boxes at 5:30.',
	'Bike rental returned with a flat tyre. No charge applied.',
	'Visited Stanley Park and Granville Island. The seawall ride was easy.',
	'Ice skating on Lake Louise was closed. Offered the sleigh ride instead.',
	'Shuttle pick-up point changed to the Visitor Centre on Main Street.',
];

export interface CorpusText {
	id: number;
	kind: string;
	text: string;
	/** The booking the text belongs to (structured people, as Peek and waivers deliver them). */
	booking: Record<string, unknown>;
	emails: Array<{ shown: string; address: string; local: string }>;
	phones: string[];
	/** People named in the booking's fields: found by registration, must never leak. */
	bookingNames: string[];
	/** People named only in the text: found (or not) by free-text detection. */
	freeTextNames: string[];
}

function fill(template: string, slots: Record<string, string>): string {
	return template.replace(/\{([A-Za-z])\}/g, (_m, key: string) => slots[key] ?? '');
}

export function buildCorpus(): CorpusText[] {
	const out: CorpusText[] = [];
	const count = 240;
	for (let i = 0; i < count; i++) {
		const template = TEMPLATES[i % TEMPLATES.length];
		const a = PEOPLE[i % PEOPLE.length];
		const b = PEOPLE[(i * 7 + 3) % PEOPLE.length];
		const g = PEOPLE[(i * 11 + 5) % PEOPLE.length];
		const c = FREE_TEXT_PEOPLE[i % FREE_TEXT_PEOPLE.length];
		// Every 6th text uses a Unicode address instead of the booker's.
		const unicode = i % 6 === 5 ? UNICODE_EMAILS[Math.floor(i / 6) % UNICODE_EMAILS.length] : undefined;
		const format = EMAIL_FORMATS[i % EMAIL_FORMATS.length];
		const local = unicode ? unicode.split('@')[0] : a.local;
		const domain = unicode ? unicode.split('@')[1] : a.domain;
		const shownEmail = unicode ?? format.render(a.local, a.domain);
		const phone = PHONES[i % PHONES.length];
		const slots = {
			A: `${a.first} ${a.last}`,
			a: a.first,
			B: `${b.first} ${b.last}`,
			b: b.first,
			G: `${g.first} ${g.last}`,
			C: c,
			E: shownEmail,
			P: phone,
		};
		const text = fill(template.text, slots);
		const uses = (slot: string) => template.text.includes(`{${slot}}`);
		const booking: Record<string, unknown> = {
			id: `bk_${1000 + i}`,
			startsAt: '2026-08-02T09:00:00-06:00',
			partySize: 3,
			activity: { name: 'Glacier Lake Paddle', type: 'kayaking' },
			customer: { firstName: a.first, lastName: a.last, email: `${local}@${domain}`, phone },
			guests: [{ name: `${b.first} ${b.last}` }],
			notes: text,
		};
		if (uses('G')) booking.guardianName = `${g.first} ${g.last}`;
		if (template.kind === 'waiver') booking.waiver = { signerName: `${a.first} ${a.last}`, signed: true };
		const bookingNames = [`${a.first} ${a.last}`];
		if (uses('B') || uses('b')) bookingNames.push(`${b.first} ${b.last}`);
		if (uses('G')) bookingNames.push(`${g.first} ${g.last}`);
		out.push({
			id: i,
			kind: template.kind,
			text,
			booking,
			emails: uses('E') ? [{ shown: shownEmail, address: `${local}@${domain}`, local }] : [],
			phones: uses('P') ? [phone] : [],
			bookingNames: uses('A') || uses('a') || uses('B') || uses('b') || uses('G') ? bookingNames : [],
			freeTextNames: uses('C') ? [c] : [],
		});
	}
	return out;
}
