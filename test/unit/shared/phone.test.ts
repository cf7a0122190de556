import { bookingCountryOf, countryCodeOf, toE164 } from '../../../nodes/shared/phone';
import { cpuMsOf } from '../cpuTime';

const NORMALIZED: Array<{ name: string; input: unknown; country?: string; e164: string; extension?: string }> = [
	{ name: 'international with punctuation', input: '+1 (403) 555-0142', e164: '+14035550142' },
	{ name: 'national, booking in Canada', input: '403-555-0199', country: 'CA', e164: '+14035550199' },
	{ name: 'national, country given by name', input: '(212) 555-0100', country: 'United States', e164: '+12125550100' },
	{ name: '00 international prefix from a US account', input: '0044 20 7946 0958', country: 'US', e164: '+442079460958' },
	{ name: '00 international prefix without any country', input: '0044 20 7946 0958', e164: '+442079460958' },
	{ name: 'UK national with trunk zero', input: '020 7946 0958', country: 'GB', e164: '+442079460958' },
	{ name: 'UK alias', input: '020 7946 0958', country: 'uk', e164: '+442079460958' },
	{ name: 'German', input: '+49 30 901820', e164: '+4930901820' },
	{ name: 'dots as separators', input: '403.555.0142', country: 'CA', e164: '+14035550142' },
	{ name: 'extension kept apart', input: '(403) 555-0142 ext 2', country: 'CA', e164: '+14035550142', extension: '2' },
	{ name: 'a number type', input: 4035550142, country: 'CA', e164: '+14035550142' },
];

const REJECTED: Array<{ name: string; input: unknown; country?: string; reason: RegExp }> = [
	{ name: 'a note instead of a number', input: 'call after 5pm', country: 'US', reason: /not a phone number/ },
	{ name: 'too few digits with an extension', input: '(555) 0100 ext 2', country: 'US', reason: /not a phone number/ },
	{ name: 'no such area code', input: '+1 555 555 0100', reason: /not a valid number/ },
	{ name: 'national number and no country anywhere', input: '403-555-0199', reason: /no country code/ },
	{ name: 'no digits', input: 'n/a', country: 'US', reason: /no digits/ },
	{ name: 'empty', input: '  ', reason: /no phone number/ },
	{ name: 'a long note', input: `call me ${'please '.repeat(20)}`, country: 'US', reason: /longer than 64/ },
];

describe('shared phone normalization (libphonenumber-js, bundled)', () => {
	test.each(NORMALIZED)('$name: $input → $e164', ({ input, country, e164, extension }) => {
		const result = toE164(input, country);
		expect(result).toMatchObject({ ok: true, e164 });
		if (result.ok) expect(result.extension).toBe(extension);
	});

	test.each(REJECTED)('leaves out $name, with a reason that does not repeat the number', ({ input, country, reason }) => {
		const result = toE164(input, country);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.reason).toMatch(reason);
			if (typeof input === 'string' && /\d{3}/.test(input)) expect(result.reason).not.toContain(input.replace(/\D/g, '').slice(0, 6));
		}
	});

	it('reads country codes and English names, and nothing else', () => {
		expect(countryCodeOf('ca')).toBe('CA');
		expect(countryCodeOf('Germany')).toBe('DE');
		expect(countryCodeOf('USA')).toBe('US');
		expect(countryCodeOf('Atlantis')).toBeUndefined();
		expect(countryCodeOf(42)).toBeUndefined();
	});

	it('takes the country from the booking, the nested booking or a Shopify address', () => {
		expect(bookingCountryOf({ customer: { country: 'Canada' } })).toBe('CA');
		expect(bookingCountryOf({ booking: { id: 'b', customer: { country: 'GB' } } })).toBe('GB');
		expect(bookingCountryOf({ billing_address: { country_code: 'DE' } })).toBe('DE');
		expect(bookingCountryOf({ customer: { email: 'x' } })).toBeUndefined();
	});

	it('the booking country wins over the node setting when both exist (Klaviyo identifiers)', async () => {
		const { identifiersOf } = await import('../../../nodes/Klaviyo/helpers/item');
		const warnings: Array<{ field: string; reason: string }> = [];
		const ids = identifiersOf({ customer: { email: 'a@b.co', phone: '020 7946 0958', country: 'GB' } }, {}, { defaultCountry: 'US', warnings });
		expect(ids.phone_number).toBe('+442079460958');
		expect(warnings).toEqual([]);
		const fallback = identifiersOf({ customer: { email: 'a@b.co', phone: '403-555-0199' } }, {}, { defaultCountry: 'CA', warnings });
		expect(fallback.phone_number).toBe('+14035550199');
	});

	it('runs in bounded time on long adversarial input', () => {
		const ms = cpuMsOf(() => {
			for (const s of ['1'.repeat(100_000), '+'.repeat(100_000), '(1) '.repeat(25_000)]) expect(toE164(s, 'US').ok).toBe(false);
		});
		expect(ms).toBeLessThan(200);
	});
});
