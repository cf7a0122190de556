import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AiScorer } from '../../../nodes/AiScorer/AiScorer.node';
import { num } from '../../../nodes/shared/fields';
import { satisfaction, type SatisfactionScale } from '../../../nodes/AiScorer/models/features';
import { createFakeContext } from '../../helpers/n8nContext';

/** [name, scale, score, expected sentiment (NaN: the score is not read)] */
const CASES: Array<{ name: string; scale: SatisfactionScale; score: unknown; expected: number }> = [
	{ name: 'NPS 5 is a detractor, not a five-star review', scale: 'nps', score: 5, expected: -2 / 3 },
	{ name: 'NPS 6 is a detractor', scale: 'nps', score: 6, expected: -1 / 3 },
	{ name: 'NPS 7 is neutral', scale: 'nps', score: 7, expected: 0 },
	{ name: 'NPS 10 is the top', scale: 'nps', score: 10, expected: 1 },
	{ name: 'NPS 0 is the bottom', scale: 'nps', score: 0, expected: -1 },
	{ name: 'five stars is the top', scale: 'stars', score: 5, expected: 1 },
	{ name: 'three stars is neutral', scale: 'stars', score: 3, expected: 0 },
	{ name: 'one star is the bottom', scale: 'stars', score: 1, expected: -1 },
	{ name: 'stars as text "4.5"', scale: 'stars', score: '4.5', expected: 0.75 },
	{ name: 'a 9 is off the star scale and not re-read as NPS', scale: 'stars', score: 9, expected: Number.NaN },
	{ name: 'zero stars is off the scale', scale: 'stars', score: 0, expected: Number.NaN },
	{ name: 'percent 85', scale: 'percent', score: 85, expected: 0.5 },
	{ name: 'percent 5 is very unhappy, not five stars', scale: 'percent', score: 5, expected: -1 },
	{ name: 'percent "70%" is not a number the parser guesses', scale: 'percent', score: '70%', expected: Number.NaN },
	{ name: 'NPS 11 is off the scale', scale: 'nps', score: 11, expected: Number.NaN },
];

describe('satisfaction scales are chosen, not guessed', () => {
	test.each(CASES)('$name', ({ scale, score, expected }) => {
		const value = satisfaction({ surveyScore: score } as IDataObject, scale);
		if (Number.isNaN(expected)) expect(value).toBeNaN();
		else expect(value).toBeCloseTo(expected, 6);
	});

	it('review text decides when the score is off the scale', () => {
		expect(satisfaction({ surveyScore: 9, reviewText: 'Terrible, rude guide' }, 'stars')).toBeLessThan(0);
	});

	it('the AI Scorer reads the Satisfaction Scale parameter: a 5 is -0.67 in NPS, +1 in stars, -1 in percent', async () => {
		const run = async (satisfactionScale: SatisfactionScale) => {
			const ctx = createFakeContext({
				parameters: { resource: 'score', operation: 'customerValue', horizonDays: 365, averageBookingValue: 120, satisfactionScale, options: { asOf: '2026-01-01T00:00:00Z' } },
				items: [{ json: { bookingCount: 2, lastBookingAt: '2025-10-01T00:00:00Z', firstBookingAt: '2024-10-01T00:00:00Z', surveyScore: 5 } }],
			});
			const [out] = await new AiScorer().execute.call(ctx as unknown as IExecuteFunctions);
			return (out[0].json.ai as IDataObject).satisfaction as number;
		};
		expect(await run('nps')).toBeCloseTo(-0.667, 3);
		expect(await run('stars')).toBe(1);
		expect(await run('percent')).toBe(-1);
	});

	it('feature reading uses the shared parser (the old [^0-9.+-eE] range turned "$1,234.50" into NaN and "1.5k" into 1.5)', () => {
		expect(num('$1,234.50')).toBe(1234.5);
		expect(num('1.5k')).toBe(1500);
		expect(num('yes')).toBe(1);
		expect(num({ amount: '€ 12,50' })).toBe(12.5);
	});
});
