import { customerKey, instanceSalt, piiSalt, Pseudonymizer, saltFromSecret } from '../../../nodes/shared/pii';

const SALT = saltFromSecret('sk-unit', 'instance-1');
const token = /^\[(EMAIL|PHONE|NAME|ADDRESS|CARD)_[0-9a-f]{8}\]$/;

describe('Pseudonymizer: one person, one token, whatever the encoding', () => {
	it.each([
		['plain', 'jane.doe@example.com'],
		['upper case', 'JANE.DOE@EXAMPLE.COM'],
		['URL-encoded', 'jane.doe%40example.com'],
		['decimal entity', 'jane.doe&#64;example.com'],
		['hex entity', 'jane.doe&#x40;example.com'],
		['named entity', 'jane.doe&commat;example.com'],
		['full-width at', 'jane.doe＠example.com'],
		['at / dot words', 'jane.doe at example dot com'],
		['bracketed', 'jane.doe [at] example [dot] com'],
	])('%s email becomes the plain address\'s token', (_name, shown) => {
		const p = new Pseudonymizer(SALT);
		const expected = p.redactText('jane.doe@example.com');
		expect(expected).toMatch(token);
		expect(p.redactText(`write to ${shown} today`)).toBe(`write to ${expected} today`);
	});

	it('finds accented local parts and Unicode / punycode domains', () => {
		const p = new Pseudonymizer(SALT);
		for (const email of ['josé.garcía@correo.es', 'müller@münchen.de', 'anna@xn--mnchen-3ya.de', '用户@例子.广告', 'jose%C3%A9%40example.com']) {
			expect(p.redactText(`mail ${email}.`)).toMatch(/^mail \[EMAIL_[0-9a-f]{8}\]\.$/);
		}
	});

	it('leaves sentences with "at" alone', () => {
		const p = new Pseudonymizer(SALT);
		for (const text of ['Meet at booking.com', 'We arrive at 9.30 at the dock', 'Lunch at noon']) expect(p.redactText(text)).toBe(text);
	});

	it.each(['+1 (403) 555-0142', '403-555-0142', '403.555.0142', '+44 20 7946 0958', '+81 3-1234-5678', 'tel:+14035550142', '０９０-１２３４-５６７８', '+1%20403%20555%200142', '030/1234567'])(
		'finds the phone %s',
		(phone) => {
			const out = new Pseudonymizer(SALT).redactText(`call ${phone} after 5pm`);
			expect(out).toMatch(/\[PHONE_[0-9a-f]{8}\]/);
			expect(out.replace(/\[PHONE_[0-9a-f]{8}\]/, '')).not.toMatch(/\d{3}/);
		},
	);

	it('keeps dates, amounts, years and small numbers', () => {
		const text = 'On 2026-08-02 (02/08/2026) for 2025-2026, party of 4, total $1 234 567, booking 12345.';
		expect(new Pseudonymizer(SALT).redactText(text)).toBe(text);
	});
});

describe('Pseudonymizer: every person in the record', () => {
	it('registers customers, guests, guardians, signers and display names, not activities', () => {
		const p = new Pseudonymizer(SALT);
		p.registerPeople({
			customer: { firstName: 'Ngozi', lastName: 'Okonkwo-Eze', displayName: 'Zizi O.' },
			guests: [{ name: 'Haruto Sato' }, { firstName: 'Åsa', lastName: 'Lindqvist' }],
			waiver: { signerName: 'Declan Byrne', guardianName: 'Maeve Byrne' },
			participants: [{ name: 'Rose Hill' }],
			activity: { name: 'Glacier Walk' },
			product: { productName: 'Kayak Rental' },
		});
		const out = p.redactText('Notes: zizi and Haruto sato ride with Asa; Maeve Byrne signed for Declan; Rose will join the Glacier Walk; rose petals. Kayak Rental paid.');
		for (const name of ['zizi', 'Haruto', 'sato', 'Asa', 'Maeve', 'Byrne', 'Declan', 'Rose']) expect(out).not.toContain(name);
		// An everyday word that is a name is replaced only where written as a name.
		expect(out).toContain('rose petals');
		expect(out).toContain('will join');
		expect(out).toContain('Glacier Walk');
		expect(out).toContain('Kayak Rental');
	});

	it('restores only the kinds asked for', () => {
		const p = new Pseudonymizer(SALT);
		const redacted = p.redactText('Hi Priya, your code went to priya@example.in');
		expect(p.restore(redacted, ['NAME'])).toMatch(/^Hi Priya, your code went to \[EMAIL_[0-9a-f]{8}\]$/);
		expect(p.restore(redacted)).toBe('Hi Priya, your code went to priya@example.in');
	});
});

describe('pseudonym salt: per installation, never a constant', () => {
	it('requires a salt', () => {
		expect(() => new Pseudonymizer('')).toThrow(/salt/);
	});

	it('derives the salt from the credential secret and the instance, so a customer list alone maps nothing', async () => {
		const ctx = (apiKey: string | undefined, instanceId = 'inst-A') => ({
			getInstanceId: () => instanceId,
			getCredentials: async () => (apiKey ? { apiKey } : Promise.reject(new Error('no credential'))),
		});
		const a = await piiSalt(ctx('key-1'), 'peekProAiOpenAiApi');
		const b = await piiSalt(ctx('key-2'), 'peekProAiOpenAiApi');
		const c = await piiSalt(ctx('key-1', 'inst-B'), 'peekProAiOpenAiApi');
		expect(new Set([a, b, c]).size).toBe(3);
		expect(a).not.toContain('key-1');
		// Without a credential: the instance's salt, still not a constant.
		expect(await piiSalt(ctx(undefined), 'peekProAiOpenAiApi')).toBe(instanceSalt(ctx(undefined)));
		expect(instanceSalt(ctx(undefined, 'inst-A'))).not.toBe(instanceSalt(ctx(undefined, 'inst-B')));
		const email = 'jane@example.com';
		expect(customerKey(email, a)).not.toBe(customerKey(email, b));
		expect(new Pseudonymizer(a).redactText(email)).not.toBe(new Pseudonymizer(b).redactText(email));
		// The old public constant no longer reproduces anyone's key.
		expect(customerKey(email, a)).not.toBe(customerKey(email, 'peekpro-ai'));
	});
});
