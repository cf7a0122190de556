import { parseNumber, toNumber } from '../../../nodes/shared/number';
import { cpuMsOf } from '../cpuTime';

/** [name, input, expected value (or undefined when rejected), expected currency] */
const ACCEPTED: Array<[string, unknown, number, string?]> = [
	['a number stays a number', 12.5, 12.5],
	['plain decimal text', '298.71', 298.71],
	['dollar sign with thousands comma', '$1,234.50', 1234.5],
	['Shopify money string', '$298.71', 298.71],
	['euro, European separators', '1.234,50 €', 1234.5, 'EUR'],
	['euro symbol first', '€12', 12, 'EUR'],
	['pound', '£1,000', 1000, 'GBP'],
	['ISO code before', 'USD 12', 12, 'USD'],
	['ISO code after', '12 EUR', 12, 'EUR'],
	['ISO code glued after', '12.50CHF', 12.5, 'CHF'],
	['lower-case ISO code', 'usd 7', 7, 'USD'],
	['prefixed dollar names the currency', 'CA$ 45.10', 45.1, 'CAD'],
	['French spaces and decimal comma', '1 234,50', 1234.5],
	['no-break space grouping', '1\u00a0234\u00a0567,5', 1234567.5],
	['Swiss apostrophe', "1'234.50", 1234.5],
	['European thousands dots', '1.234.567', 1234567],
	['European thousands dots with decimal comma', '1.234.567,89', 1234567.89],
	['Shopify money with code after', '298.71 USD', 298.71, 'USD'],
	['one comma and three digits is thousands', '1,234', 1234],
	['one dot is a decimal point', '1.234', 1.234],
	['decimal comma with two digits', '1234,50', 1234.5],
	['decimal comma with one digit', '12,5', 12.5],
	['leading zero comma', '0,125', 0.125],
	['Indian lakh grouping', '₹1,23,456.00', 123456, 'INR'],
	['k suffix', '1.5k', 1500],
	['K suffix upper case', '2K', 2000],
	['m suffix', '2.5m', 2500000],
	['bn suffix with space', '1.1 bn', 1100000000],
	['suffix with currency', '$1.2k', 1200],
	['leading minus', '-12', -12],
	['minus before the symbol', '-$12.00', -12],
	['minus after the symbol', '$-12.00', -12],
	['unicode minus', '\u221245', -45],
	['trailing minus', '45-', -45],
	['accounting parentheses', '(1,234.50)', -1234.5],
	['parentheses with currency', '(USD 20)', -20, 'USD'],
	['explicit plus', '+3', 3],
	['leading dot', '.5', 0.5],
	['scientific notation', '1e3', 1000],
	['surrounding whitespace', '  42  ', 42],
	['zero', '0', 0],
];

const REJECTED: Array<[string, unknown, RegExp]> = [
	['words', 'call after 5pm', /not a number/],
	['empty', '   ', /empty/],
	['missing', undefined, /missing/],
	['an object', { amount: 1 }, /object/],
	['a list', [1], /list/],
	['bad grouping', '12,34,5', /three digits/],
	['ambiguous comma with four decimals', '1,2345', /cannot tell/],
	['bad space grouping', '12 34', /three digits/],
	['two decimal separators', '1.234.5,6.7', /three digits|twice/],
	['two currencies', 'USD 12 EUR', /two currencies/],
	['two minus signs', '--5', /two minus/],
	['only a symbol', '$', /no digits/],
	['infinite', Number.POSITIVE_INFINITY, /finite/],
	['very long text', '1'.repeat(65), /longer than 64/],
	['letters inside', '12a4', /not a number/],
];

describe('shared number parser', () => {
	test.each(ACCEPTED.map(([name, input, value, currency]) => ({ name, input, value, currency })))('$name: $input', ({ input, value, currency }) => {
		const parsed = parseNumber(input);
		expect(parsed).toEqual({ ok: true, value, ...(currency ? { currency } : {}) });
	});

	test.each(REJECTED)('rejects %s: %p', (_name, input, reason) => {
		const parsed = parseNumber(input);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.reason).toMatch(reason);
		expect(toNumber(input)).toBeNaN();
	});

	test('runs in linear time on long adversarial text (refused before any pattern runs)', () => {
		const ms = cpuMsOf(() => {
			for (const s of ['1,'.repeat(50_000), '1 '.repeat(50_000), 'k'.repeat(100_000), `${'9'.repeat(100_000)}x`]) expect(parseNumber(s).ok).toBe(false);
		});
		expect(ms).toBeLessThan(200);
	});

	test('every 63-character string of separators is answered quickly', () => {
		const ms = cpuMsOf(() => {
			for (const s of ['1,'.repeat(31), "1'".repeat(31), '1.'.repeat(31), `(${'-'.repeat(60)})`]) parseNumber(s);
		});
		expect(ms).toBeLessThan(50);
	});
});
