import type { INodeProperties } from 'n8n-workflow';

import { WaitlistFiller } from '../../../nodes/WaitlistFiller/WaitlistFiller.node';

/** Issue 17's editor rules, for this node's panel. */
describe('Waitlist Filler: the panel a newcomer reads', () => {
	const { description } = new WaitlistFiller();
	const props = description.properties as INodeProperties[];

	it('the governance mode is the first parameter and defaults to shadow, so an unedited node never acts', () => {
		expect(props[0]).toMatchObject({ name: 'mode', default: 'shadow' });
		expect(description.outputNames).toEqual(['Promote now', 'Needs approval', 'No action']);
		expect(description.outputs).toHaveLength(3);
	});

	it('the Options collection is the last parameter', () => {
		expect(props[props.length - 1]).toMatchObject({ name: 'options', type: 'collection' });
	});

	it('every operation says what the incoming item must contain, with an expression example', () => {
		for (const op of ['planOffers', 'nextOffer']) {
			const visible = props.filter((p) => !p.displayOptions?.show?.operation || (p.displayOptions.show.operation as string[]).includes(op));
			const notices = visible.filter((p) => p.type === 'notice').map((p) => p.displayName);
			expect(notices.some((n) => /id.*party size.*email or phone/.test(n))).toBe(true);
			expect(visible.some((p) => /\{\{ .+ \}\}/.test(String(p.hint ?? '')))).toBe(true);
		}
	});

	it('clean English in every action and display string: no stray " s ", no getAll', () => {
		const strings = JSON.stringify(description);
		expect(strings).not.toMatch(/\w s /);
		expect(strings).not.toContain('getAll');
		const ops = props.find((p) => p.name === 'operation')?.options as Array<{ action: string }>;
		for (const o of ops) expect(o.action).toMatch(/^[A-Z][a-z ]+$/);
	});
});
