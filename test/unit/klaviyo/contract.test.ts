import { validateKlaviyoBody, SPEC_REVISION } from '../../contracts/klaviyoSpec';
import { KLAVIYO_REVISION } from '../../../nodes/Klaviyo/transport';
import {
	bulkEventEntry,
	bulkEventsBody,
	bulkImportBody,
	eventCreateBody,
	listMembersBody,
	profileImportBody,
	profileResource,
	subscribeBody,
	unsubscribeBody,
	type EventSpec,
} from '../../../nodes/Klaviyo/helpers/bodies';

const event: EventSpec = {
	metric: 'Tour Booked',
	profile: { email: 'ana@example.com', phone_number: '+15005550006', external_id: 'cust-42', first_name: 'Ana', last_name: 'Lopez' },
	properties: { booking_id: 'B-123', tour_name: 'Alps day trip', party_size: 2, ai_score: 0.82 },
	uniqueId: 'B-123:booking.created',
	time: '2026-06-01T10:15:00+00:00',
	value: 240,
	valueCurrency: 'EUR',
	backfill: true,
};

describe('Klaviyo contract: the node\'s body builders against the official OpenAPI spec', () => {
	it('pins the revision of the spec it is tested against', () => {
		expect(KLAVIYO_REVISION).toBe(SPEC_REVISION);
	});

	const cases: Array<[string, string, string, unknown]> = [
		['event create, every field', 'POST', '/api/events', eventCreateBody(event)],
		['event create, minimal', 'POST', '/api/events', eventCreateBody({ metric: 'X', profile: { external_id: 'c1' }, properties: {}, uniqueId: 'u' })],
		['bulk events', 'POST', '/api/event-bulk-create-jobs', bulkEventsBody([bulkEventEntry(event.profile, [event, { ...event, uniqueId: 'B-123:x', backfill: undefined }])])],
		['profile import, full', 'POST', '/api/profile-import', profileImportBody({ ids: { email: 'a@b.co', phone_number: '+15005550006', external_id: 'e' }, first_name: 'A', last_name: 'B', organization: 'O', locale: 'en-US', title: 'T', location: { address1: '1 Main St', city: 'Denver', region: 'CO', country: 'US', zip: '80202', timezone: 'America/Denver' }, properties: { ai_score: 0.5, ai_segment: 'family' } })],
		['bulk import with list', 'POST', '/api/profile-bulk-import-jobs', bulkImportBody([profileResource({ ids: { email: 'a@b.co' } })], ['Y6nRLr'])],
		['bulk import without list', 'POST', '/api/profile-bulk-import-jobs', bulkImportBody([profileResource({ ids: { email: 'a@b.co' } })], [])],
		['add to list', 'POST', '/api/lists/Y6nRLr/relationships/profiles', listMembersBody(['01GDDKASAP8TKDDA2GRZDSVP4H'])],
		['remove from list', 'DELETE', '/api/lists/Y6nRLr/relationships/profiles', listMembersBody(['01GDDKASAP8TKDDA2GRZDSVP4H'])],
		['subscribe email+sms to a list', 'POST', '/api/profile-subscription-bulk-create-jobs', subscribeBody([{ email: 'a@b.co', phone_number: '+15005550006', channels: ['email', 'sms'] }], { listId: 'Y6nRLr', customSource: 'x', historicalImport: false })],
		['subscribe historical', 'POST', '/api/profile-subscription-bulk-create-jobs', subscribeBody([{ email: 'a@b.co', channels: ['email'], consentedAt: '2026-01-01T00:00:00.000Z' }], { historicalImport: true })],
		['unsubscribe', 'POST', '/api/profile-subscription-bulk-delete-jobs', unsubscribeBody([{ email: 'a@b.co', phone_number: '+15005550006', channels: ['email', 'sms'] }], { listId: 'Y6nRLr' })],
	];

	it.each(cases)('%s validates', (_name, method, path, body) => {
		const result = validateKlaviyoBody(method, path, body);
		expect(result.errors).toEqual([]);
		expect(result.valid).toBe(true);
	});

	it('fails when a body drifts: wrong type literal, missing metric name, misplaced or misspelt field', () => {
		const wrongType = eventCreateBody(event) as { data: { type: string } };
		wrongType.data.type = 'events';
		expect(validateKlaviyoBody('POST', '/api/events', wrongType).valid).toBe(false);

		const noName = eventCreateBody(event) as { data: { attributes: { metric: { data: { attributes: Record<string, unknown> } } } } };
		delete noName.data.attributes.metric.data.attributes.name;
		expect(validateKlaviyoBody('POST', '/api/events', noName).valid).toBe(false);

		const camel = eventCreateBody(event) as { data: { attributes: Record<string, unknown> } };
		camel.data.attributes.valueCurrency = camel.data.attributes.value_currency;
		delete camel.data.attributes.value_currency;
		const r = validateKlaviyoBody('POST', '/api/events', camel);
		expect(r.valid).toBe(false);
		expect(r.errors.join(' ')).toContain('valueCurrency');

		// In bulk jobs `backfill` belongs inside each event's attributes; `unique_id` must not sit on the profile.
		const bulk = bulkEventsBody([bulkEventEntry({ email: 'a@b.co', unique_id: 'x' } as never, [event])]);
		expect(validateKlaviyoBody('POST', '/api/event-bulk-create-jobs', bulk).valid).toBe(false);

		const subscribe = subscribeBody([{ email: 'a@b.co', channels: ['email'] }], { historicalImport: false }) as { data: { attributes: { profiles: { data: Array<{ attributes: { subscriptions: { email: { marketing: { consent: string } } } } }> } } } };
		subscribe.data.attributes.profiles.data[0].attributes.subscriptions.email.marketing.consent = 'YES';
		expect(validateKlaviyoBody('POST', '/api/profile-subscription-bulk-create-jobs', subscribe).valid).toBe(false);
	});
});
