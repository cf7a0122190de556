// Flows 4 and 5 (issue 15): guide calendar sync and guide availability back-sync, both built on the
// Outlook Calendar node. Imported by generate-templates.mjs (BUILDERS); shares its building blocks.
import { audit, C, code, config, CREDENTIALS, Flow, ifNode, peekBookings, peekTrigger, PKG, schedule } from '../generate-templates.mjs';

// Functions, not constants: this module is imported by generate-templates.mjs before its constants exist.
const outlookType = () => `${PKG}.outlookCalendar`;
/** Shadow mode wins over the phase: a template in shadow never writes to Outlook. */
const phase = () => `={{ ${C}.shadowMode ? 'readOnly' : ${C}.rolloutPhase }}`;

const ROLLOUT = `## Rollout: shadow → assisted → autonomous
1. **Shadow = read-only** (as shipped: \`shadowMode = true\` in **Config**). The Outlook node looks up events and conflicts and outputs what it *would* write (\`request\`, \`wouldDo\`); nothing reaches Outlook or Peek Pro. Compare with the guides' calendars for a week.
2. **Assisted = one-way**: \`shadowMode = false\`, \`rolloutPhase = oneWay\`; a dispatcher settles every conflict. Peek Pro → Outlook: events are created, updated and cancelled; the event id goes back to Peek Pro.
3. **Autonomous = two-way**: \`rolloutPhase = twoWay\` also reports declined / tentative responses and events moved in Outlook (\`outlookChanges\`) without moving them back.`;

function stickies(f, about, configure, [x, y]) {
	f.sticky('About this flow', `## ${f.name}\n${about}`, [x, y], 520, 360, 5);
	f.sticky('What to configure', `## What to configure\n${configure}\n\nCredentials (by name): **Peek Pro account**, **Microsoft Graph account** (app-only: tenant id, client id, secret; application permission Calendars.ReadWrite). Audit rows go to the Data Table **peekpro_ai_audit**.`, [x + 540, y], 520, 360, 6);
	f.sticky('Rollout', ROLLOUT, [x + 1080, y], 520, 360, 4);
}

export function guideCalendarSync() {
	const f = new Flow({ id: 'PeekProAiGCal001', file: 'guide-calendar-sync.json', name: 'PeekPro AI · Guide calendar sync', flow: 'guide-calendar-sync', description: 'booking created / updated / cancelled, guide assigned → conflict check → Outlook event created / updated / cancelled → event id written back to Peek Pro; conflicts with alternatives to a dispatcher' });
	stickies(
		f,
		'A Peek Pro booking change (`booking.created`, `booking.updated`, `booking.rescheduled`, `booking.cancelled`, `resource.assigned`) → **Outlook Calendar · Sync to Event**: one event per booking in the assigned guide\'s calendar, found again by the booking id (an extended property), created with a `transactionId` (a retry never duplicates), tentative while pending or unpaid, busy once confirmed, cancelled or deleted on cancellation, in the activity\'s time zone.\n\nBefore a new or moved event is written, the guide\'s calendar is checked (buffers around the tour). A clash writes nothing: the booking goes to **Conflicts** with the clashing events, free guides from the pool and free windows that day, and a message goes to the dispatcher. A synced event\'s id and web link go back to Peek Pro in the booking notes\' `[peekpro-ai]` block.',
		'- **Config**: `shadowMode`, `rolloutPhase` (`oneWay` / `twoWay`), `alternativeGuides` (comma-separated mailboxes of guides who could step in), `bufferMinutes`, `defaultTimeZone` (when the activity has none), `dispatcherWebhookUrl` (a Slack or Teams incoming webhook; empty: no message).\n- **Sync to guide calendar**: guides map to mailboxes by their email; choose **Mapping Table** there to read an n8n Data Table of guide → mailbox instead. A guide without a mailbox goes to the error output.',
		[-400, -500],
	);
	peekTrigger(f, ['booking.created', 'booking.updated', 'booking.rescheduled', 'booking.cancelled', 'resource.assigned'], [0, 0]);
	config(f, { shadowMode: true, rolloutPhase: 'oneWay', alternativeGuides: '', bufferMinutes: 15, defaultTimeZone: 'America/Denver', dispatcherWebhookUrl: '' }, [220, 0]);
	f.add('Sync to guide calendar', outlookType(), 1, {
		authentication: 'appOnly',
		rolloutPhase: phase(),
		resource: 'booking',
		operation: 'sync',
		eventContent: {},
		conflictCheck: { alternativePool: `={{ ${C}.alternativeGuides }}`, bufferBefore: `={{ ${C}.bufferMinutes }}`, bufferAfter: `={{ ${C}.bufferMinutes }}` },
		options: { defaultTimeZone: `={{ ${C}.defaultTimeZone }}` },
		mailboxSource: 'guideEmail',
		noMailbox: 'error',
	}, [440, 0], { credentials: CREDENTIALS.graph, onError: 'continueErrorOutput' });
	ifNode(f, 'Event to write back?', "={{ !!$json.eventId && ['created', 'updated'].includes($json.action) && !$json.shadow }}", 'true', '', [700, -120]);
	f.add('Write event id to Peek Pro', `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'writeBack',
		bookingId: '={{ $json.bookingId }}',
		specifyValues: 'json',
		values: '={{ JSON.stringify($json.writeBack) }}',
		replaceBlock: false,
		shadowMode: `={{ ${C}.shadowMode }}`,
	}, [940, -140], { credentials: CREDENTIALS.peek });
	f.add('Dispatcher message', 'n8n-nodes-base.set', 3.5, {
		assignments: {
			assignments: [
				{ id: 'a1c0f6de-5f7e-4d7e-9a51-2b0c1f1f0001', name: 'text', type: 'string', value: "={{ 'Guide conflict: booking ' + $json.bookingId + ' (' + $json.start + ') clashes with ' + $json.conflicts.length + ' event(s) in ' + $json.guide + '\\'s calendar. Free guides: ' + ($json.alternatives.freeGuides.join(', ') || 'none') + '. Free windows: ' + ($json.alternatives.freeWindows.map(w => w.start).join(', ') || 'none') + '. Nothing was written.' }}" },
				{ id: 'a1c0f6de-5f7e-4d7e-9a51-2b0c1f1f0002', name: 'alternatives', type: 'object', value: '={{ $json.alternatives }}' },
				{ id: 'a1c0f6de-5f7e-4d7e-9a51-2b0c1f1f0003', name: 'bookingId', type: 'string', value: '={{ $json.bookingId }}' },
			],
		},
		includeOtherFields: false,
		options: {},
	}, [700, 120]);
	ifNode(f, 'Dispatcher set?', `={{ !!${C}.dispatcherWebhookUrl && !${C}.shadowMode }}`, 'true', '', [920, 120]);
	f.add('Notify dispatcher', 'n8n-nodes-base.httpRequest', 4.5, {
		method: 'POST',
		url: `={{ ${C}.dispatcherWebhookUrl }}`,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify({ text: $json.text, bookingId: $json.bookingId, alternatives: $json.alternatives }) }}',
		options: {},
	}, [1140, 100], { retryOnFail: true, maxTries: 3, waitBetweenTries: 2000 });
	f.chain('Peek Pro Trigger', 'Config', 'Sync to guide calendar');
	f.connect('Sync to guide calendar', 'Event to write back?', 0);
	f.connect('Event to write back?', 'Write event id to Peek Pro', 0);
	f.connect('Sync to guide calendar', 'Dispatcher message', 1);
	f.chain('Dispatcher message', 'Dispatcher set?');
	f.connect('Dispatcher set?', 'Notify dispatcher', 0);
	audit(f, [1400, 0], []);
	f.branches('Sync to guide calendar', 'Audit row', 'Audit row');
	// Error output (guide without mailbox, unreadable booking, Graph error): audited as failed too.
	f.connect('Sync to guide calendar', 'Audit row', 2);
	return f;
}

export function guideAvailabilityBackSync() {
	const f = new Flow({ id: 'PeekProAiGAvl001', file: 'guide-availability-back-sync.json', name: 'PeekPro AI · Guide availability back-sync', flow: 'guide-availability-back-sync', description: 'schedule → upcoming bookings\' timeslots and guides → guides\' Outlook busy / out-of-office blocks → Peek Pro timeslot status, read-only by default' });
	stickies(
		f,
		'Every hour: the Peek Pro bookings of the next `daysAhead` days → one item per timeslot and guide (n8n **Remove Duplicates**) → **Outlook Calendar · Read Availability** (free/busy from getSchedule, 20 guides a call; subjects are never read) → a timeslot whose guide is busy or out of office is set to **BLOCKED** in Peek Pro so no further guest books a tour nobody can lead.\n\nShips read-only: the Peek Pro node outputs the status change it would make; nothing is written until `shadowMode = false` and `rolloutPhase` is not `readOnly`.',
		'- **Config**: `shadowMode`, `rolloutPhase` (`readOnly` writes nothing; `oneWay` writes Peek Pro timeslot status), `daysAhead`, `tentativeIsBusy`.\n- A timeslot is re-opened by hand in Peek Pro: this flow only blocks, so a guide\'s own edits never flip a slot back and forth.',
		[-400, -500],
	);
	schedule(f, { field: 'hours', hoursInterval: 1 }, [0, 0]);
	config(f, { shadowMode: true, rolloutPhase: 'readOnly', daysAhead: 7, tentativeIsBusy: false }, [220, 0]);
	peekBookings(f, 'Upcoming bookings', { searchBy: 'activityDate', start: '={{ $now.toISO() }}', end: `={{ $now.plus({ days: ${C}.daysAhead }).toISO() }}` }, [440, 0]);
	f.add('One per timeslot', 'n8n-nodes-base.removeDuplicates', 2, {
		operation: 'removeDuplicateInputItems',
		compare: 'selectedFields',
		fieldsToCompare: 'timeslotId',
		options: {},
	}, [660, 0]);
	f.add('Guide availability', outlookType(), 1, {
		authentication: 'appOnly',
		rolloutPhase: phase(),
		resource: 'availability',
		operation: 'read',
		rangeStart: '={{ $now.toISO() }}',
		rangeEnd: `={{ $now.plus({ days: ${C}.daysAhead }).toISO() }}`,
		options: { tentativeBusy: `={{ ${C}.tentativeIsBusy }}` },
		mailboxSource: 'guideEmail',
		noMailbox: 'skip',
	}, [880, 0], { credentials: CREDENTIALS.graph, onError: 'continueErrorOutput' });
	ifNode(f, 'Guide unavailable?', '={{ $json.timeslotStatus }}', 'equals', 'BLOCKED', [1100, -100]);
	f.add('Block timeslot in Peek Pro', `${PKG}.peekPro`, 1.1, {
		resource: 'timeslot',
		operation: 'setStatus',
		timeslotId: '={{ $json.timeslotId }}',
		status: 'BLOCKED',
		shadowMode: `={{ ${C}.shadowMode || ${C}.rolloutPhase === 'readOnly' }}`,
	}, [1320, -120], { credentials: CREDENTIALS.peek });
	f.chain('Schedule', 'Config', 'Upcoming bookings', 'One per timeslot', 'Guide availability', 'Guide unavailable?');
	f.connect('Guide unavailable?', 'Block timeslot in Peek Pro', 0);
	audit(f, [1560, 0], ['Guide availability']);
	f.connect('Guide availability', 'Audit row', 2);
	return f;
}
