import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BASE, booking, items, runNode, useKlaviyoTestLifecycle } from './harness';

/**
 * Klaviyo 1.1 (issue 17): Event / Custom Properties as Key / Value fields, with the JSON editor as a
 * mode. What reaches Klaviyo is the same whichever way the user typed it.
 */
useKlaviyoTestLifecycle();

const create = (extra: Record<string, unknown>) => ({ resource: 'event', operation: 'create', metricName: 'Tour Booked', includeBookingProperties: false, includeAiAttributes: false, ...extra });

async function sentProperties(parameters: Record<string, unknown>): Promise<IDataObject> {
	let sent: IDataObject | undefined;
	nock(BASE)
		.post('/api/events', (b) => ((sent = b), true))
		.reply(202);
	await runNode(parameters, items(booking('B-1', 'ana@example.com')));
	return ((sent?.data as IDataObject).attributes as IDataObject).properties as IDataObject;
}

describe('Event Properties: fields or JSON, the same request', () => {
	it('Key / Value rows become event properties (a row without a key is skipped)', async () => {
		const props = await sentProperties(
			create({ specifyEventProperties: 'keypair', eventPropertiesFields: { fields: [{ key: 'tour_name', value: 'Alps day trip' }, { key: '', value: 'dropped' }, { key: 'guide', value: 'Kim' }] } }),
		);
		expect(props).toEqual({ tour_name: 'Alps day trip', guide: 'Kim' });
	});

	it('the JSON mode sends the same properties', async () => {
		const props = await sentProperties(create({ specifyEventProperties: 'json', eventProperties: '{"tour_name":"Alps day trip","guide":"Kim"}' }));
		expect(props).toEqual({ tour_name: 'Alps day trip', guide: 'Kim' });
	});

	it('a version 1 workflow (JSON saved, no selector) is read as JSON', async () => {
		const props = await sentProperties(create({ eventProperties: '{"tour_name":"Alps"}' }));
		expect(props).toEqual({ tour_name: 'Alps' });
	});
});
