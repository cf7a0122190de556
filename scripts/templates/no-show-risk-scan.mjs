// The no-show risk scan: schedule → upcoming confirmed bookings → no-show risk → a reinforcement
// reminder for each high-risk booking, and waitlist outreach for slots whose expected no-shows leave
// seats empty. n8n's own nodes throughout (Filter, Summarize, Send Email); no Code node.
import { audit, C, config, CREDENTIALS, Flow, ifNode, notes, peekBookings, schedule, scorer, setFields, uuid } from '../generate-templates.mjs';

const filter = (f, name, leftValue, operation, rightValue, type, position) =>
	f.add(name, 'n8n-nodes-base.filter', 2.3, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 3 },
			conditions: [{ id: uuid(`${f.id}:${name}:cond`), leftValue, rightValue, operator: { type, operation } }],
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	}, position);

export function noShowRiskScan() {
	const f = new Flow({ id: 'PeekProAiNoSh001', file: 'no-show-risk-scan.json', name: 'PeekPro AI · No-show risk scan', flow: 'no-show-risk-scan', description: 'schedule → upcoming confirmed bookings → no-show risk → reinforcement reminder for high risk; slots with expected empty seats → waitlist outreach' });
	notes(f, {
		about: 'Every morning → Peek Pro bookings with an activity in the next `lookaheadHours` → confirmed ones only → **AI Scorer · No-Show** → each **high**-risk booking gets a reinforcement reminder (n8n **Send Email**: time, place, what to bring, how to cancel so the seat goes to someone else). Per slot, the expected empty seats (the sum of no-show probability × party size) are added up; slots at or above `expectedEmptySeatsFrom` are sent to the operations inbox as **waitlist outreach**: offer those seats to the waitlist (the *Waitlist spot fill* template, or by hand).',
		configure: '- **Config**: `shadowMode` (on: score and audit, email nobody), `lookaheadHours`, `expectedEmptySeatsFrom`, `senderEmail`, `operationsEmail`.\n- **No-show risk**: *High Risk From* sets what counts as high (0.3).\n- Credentials: **Approvals SMTP** sends the reminders.',
		credentials: ['Peek Pro account', 'Approvals SMTP'],
		shadow: 'no reminder or outreach email is sent: the flow outputs who *would* get one',
	}, [-400, -560]);
	schedule(f, { field: 'days', daysInterval: 1, triggerAtHour: 8 }, [0, 0]);
	config(f, { shadowMode: true, lookaheadHours: 48, expectedEmptySeatsFrom: 1, senderEmail: 'bookings@example.com', operationsEmail: 'operations@example.com' }, [220, 0]);
	peekBookings(f, 'Upcoming bookings', { searchBy: 'activityDate', start: '={{ $now.toISO() }}', end: `={{ $now.plus({ hours: ${C}.lookaheadHours }).toISO() }}` }, [440, 0]);
	filter(f, 'Confirmed only', '={{ $json.status }}', 'equals', 'confirmed', 'string', [660, 0]);
	scorer(f, 'No-show risk', 'noShow', { options: { includeInput: true } }, [880, 0], { onError: 'continueRegularOutput' });
	// Reminders -------------------------------------------------------------------------------
	filter(f, 'High risk', '={{ $json.ai_no_show_risk }}', 'equals', 'high', 'string', [1120, -120]);
	ifNode(f, 'Live reminder?', `={{ ${C}.shadowMode === false }}`, 'true', '', [1340, -120]);
	f.add('Reminder email', 'n8n-nodes-base.emailSend', 2.1, {
		operation: 'send',
		fromEmail: `={{ ${C}.senderEmail }}`,
		toEmail: '={{ $json.customer.email }}',
		subject: "=See you soon: {{ $json.activity.name || 'your activity' }}",
		emailFormat: 'text',
		text: "=Hi {{ $json.customer.firstName || 'there' }},\n\nThis is a reminder of your booking for {{ $json.activity.name || 'your activity' }} on {{ $json.startsAt }} ({{ $json.partySize }} guest(s)).\n\nPlease arrive 15 minutes early. If your plans changed, reply to this email or cancel your booking: the seats go to a guest on the waitlist.",
		options: { appendAttribution: false },
	}, [1560, -120], { credentials: CREDENTIALS.smtp });
	setFields(f, 'Reminder sent', {
		templateDecision: "={{ { decision: 'no_show.reminder_sent', decidedByKind: 'rule', decidedById: 'no-show-risk-scan', bookingId: $('High risk').item.json.id, summary: { risk: $('High risk').item.json.ai_no_show_probability }, sent: { vendor: 'smtp', operation: 'send' }, result: 'sent', shadow: false } }}",
	}, [1780, -120], { includeOtherFields: false });
	// Waitlist outreach -----------------------------------------------------------------------
	setFields(f, 'Expected empty seats', {
		slotKey: "={{ $json.timeslotId || (($json.activity && $json.activity.id) || '') + '@' + $json.startsAt }}",
		expectedEmptySeats: '={{ (Number($json.ai_no_show_probability) || 0) * (Number($json.partySize) || 1) }}',
	}, [1120, 140], { includeOtherFields: false, types: { expectedEmptySeats: 'number' } });
	f.add('Per slot', 'n8n-nodes-base.summarize', 1.1, {
		fieldsToSummarize: { values: [{ aggregation: 'sum', field: 'expectedEmptySeats' }] },
		fieldsToSplitBy: 'slotKey',
		options: {},
	}, [1340, 140]);
	filter(f, 'Seats likely empty', '={{ $json.sum_expectedEmptySeats }}', 'gte', `={{ ${C}.expectedEmptySeatsFrom }}`, 'number', [1560, 140]);
	setFields(f, 'Outreach decision', {
		slotKey: '={{ $json.slotKey }}',
		expectedEmptySeats: '={{ Math.round($json.sum_expectedEmptySeats * 100) / 100 }}',
		templateDecision: `={{ { decision: 'no_show.waitlist_outreach', decidedByKind: 'model', decidedById: 'no-show-risk-scan', summary: { slotKey: $json.slotKey, expectedEmptySeats: Math.round($json.sum_expectedEmptySeats * 100) / 100 }, result: ${C}.shadowMode === false ? 'sent' : 'shadow', shadow: ${C}.shadowMode !== false } }}`,
	}, [1780, 140], { includeOtherFields: false, types: { expectedEmptySeats: 'number' } });
	ifNode(f, 'Live outreach?', `={{ ${C}.shadowMode === false }}`, 'true', '', [2000, 240]);
	f.add('Outreach email', 'n8n-nodes-base.emailSend', 2.1, {
		operation: 'send',
		fromEmail: `={{ ${C}.senderEmail }}`,
		toEmail: `={{ ${C}.operationsEmail }}`,
		subject: '=Waitlist outreach: about {{ Math.floor($json.expectedEmptySeats) }} seat(s) likely empty on {{ $json.slotKey }}',
		emailFormat: 'text',
		text: '=Predicted no-shows leave about {{ $json.expectedEmptySeats }} seat(s) empty on slot {{ $json.slotKey }}. Offer them to the waitlist (Waitlist spot fill template, or by hand).',
		options: { appendAttribution: false },
	}, [2220, 240], { credentials: CREDENTIALS.smtp, executeOnce: false });
	f.chain('Schedule', 'Config', 'Upcoming bookings', 'Confirmed only', 'No-show risk');
	f.connect('No-show risk', 'High risk');
	f.connect('No-show risk', 'Expected empty seats');
	f.chain('High risk', 'Live reminder?');
	f.connect('Live reminder?', 'Reminder email', 0);
	f.chain('Reminder email', 'Reminder sent');
	f.chain('Expected empty seats', 'Per slot', 'Seats likely empty', 'Outreach decision');
	f.connect('Outreach decision', 'Live outreach?');
	f.connect('Live outreach?', 'Outreach email', 0);
	audit(f, [2000, -360], ['No-show risk', 'Reminder sent', 'Outreach decision']);
	return f;
}
