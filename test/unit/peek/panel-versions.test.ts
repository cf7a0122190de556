import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { PeekPro } from '../../../nodes/PeekPro/PeekPro.node';
import { resetRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { setTransportClock } from '../../../nodes/shared/transport/request';
import { asExecute, BASE, credentials, ctxWith, peekBooking } from './helpers';

/**
 * Peek Pro 1.1 (issue 17): Get Many is getMany, Write Back takes its values as fields and writes
 * nothing unless told what. Version 1 workflows (getAll, JSON values) keep running.
 */
const node = new PeekPro();

function run(parameters: Record<string, unknown>, typeVersion = 1.1) {
	const ctx = ctxWith({ parameters, items: [{ json: {} }], credentials, node: { typeVersion } });
	return { ctx, out: node.execute.call(asExecute(ctx)) };
}

beforeEach(() => {
	nock.disableNetConnect();
	resetRateLimiters();
	let t = 0;
	setTransportClock({ now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 });
});
afterEach(() => {
	nock.cleanAll();
	setTransportClock(undefined);
});

describe('Get Many: getMany in 1.1, getAll still runs for version 1 workflows', () => {
	it.each([
		['getMany', 1.1],
		['getAll', 1],
	])('product %s (v%s) reads GET /products', async (operation, version) => {
		const scope = nock(BASE).get('/products').reply(200, { products: [{ id: 'p1', name: 'Sunset Kayak' }] });
		const [items] = await run({ resource: 'product', operation, returnAll: true }, version).out;
		expect(items.map((i) => i.json.name)).toEqual(['Sunset Kayak']);
		scope.done();
	});

	it('the description offers getMany on 1.1 and getAll only behind @version 1', () => {
		const ops = node.description.properties.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes('product'));
		const byVersion = ops.map((p) => [JSON.stringify(p.displayOptions?.show?.['@version']), p.default]);
		expect(byVersion).toEqual([
			['[1]', 'getAll'],
			['[{"_cnd":{"gte":1.1}}]', 'getMany'],
		]);
	});
});

describe('Write Back: nothing is written until the user says what', () => {
	it('an unedited 1.1 node (no fields) stops with "No values to write" and sends nothing', async () => {
		const { ctx, out } = run({ resource: 'booking', operation: 'writeBack', bookingId: 'b_1001', specifyValues: 'keypair', valuesFields: {}, replaceBlock: false, shadowMode: false });
		await expect(out).rejects.toThrow('No values to write');
		expect(ctx.requests).toHaveLength(0);
	});

	it('an unedited JSON editor ({}) writes nothing either', async () => {
		const { ctx, out } = run({ resource: 'booking', operation: 'writeBack', bookingId: 'b_1001', specifyValues: 'json', values: '{}', replaceBlock: false, shadowMode: false });
		await expect(out).rejects.toThrow('No values to write');
		expect(ctx.requests).toHaveLength(0);
	});

	it('Key / Value fields reach the note block as given', async () => {
		let sent: IDataObject | undefined;
		nock(BASE)
			.get('/bookings/b_1001')
			.reply(200, peekBooking({ notes: 'Tandem kayak please.' }))
			.post('/bookings/b_1001/notes', (b) => ((sent = b), true))
			.reply(200, {});
		await run({
			resource: 'booking',
			operation: 'writeBack',
			bookingId: 'b_1001',
			specifyValues: 'keypair',
			valuesFields: { fields: [{ key: 'ai.score', value: '0.82' }, { key: ' ', value: 'row without a key is skipped' }, { key: 'ai.segment', value: 'Loyal Regulars' }] },
			replaceBlock: false,
			shadowMode: false,
		}).out;
		expect(sent?.note).toBe('Tandem kayak please.\n\n[peekpro-ai]\nai.score=0.82\nai.segment=Loyal Regulars\n[/peekpro-ai]');
	});

	it('a version 1 workflow (values as JSON, no selector saved) still writes', async () => {
		let sent: IDataObject | undefined;
		nock(BASE)
			.get('/bookings/b_1001')
			.reply(200, peekBooking({ notes: '' }))
			.post('/bookings/b_1001/notes', (b) => ((sent = b), true))
			.reply(200, {});
		await run({ resource: 'booking', operation: 'writeBack', bookingId: 'b_1001', values: '{"ai.score": 0.5}', replaceBlock: false, shadowMode: false }, 1).out;
		expect(sent?.note).toContain('ai.score=0.5');
	});
});
