// The waitlist spot-fill template: booking.cancelled → the slot's waitlist (a Data Table this template
// keeps) → no-show scores → Waitlist Filler → approval when required → seat hold in Peek Pro + a
// time-limited offer email → cascade to the next entry when the offer lapses → release the hold.
import { audit, C, config, CREDENTIALS, Flow, ifNode, notes, peekTrigger, PKG, setFields, uuid } from '../generate-templates.mjs';

export const WAITLIST_TABLE = 'peekpro_ai_waitlist';
/**
 * The waitlist Data Table's columns. Peek's published API has no waitlist (contracts/PEEK.md), so the
 * template keeps one: fed by a form, an import, or `waitlist_entry.created` events where an account
 * emits them. `status`: waiting → offered → booked / expired / declined.
 */
export const WAITLIST_COLUMNS = [
	['entryId', 'string'],
	['timeslotId', 'string'],
	['productId', 'string'],
	['partySize', 'string'],
	['name', 'string'],
	['email', 'string'],
	['phone', 'string'],
	// When the guest joined (an imported waitlist keeps its own times); the row's createdAt is a Data Table system column.
	['joinedAt', 'string'],
	['flexible', 'boolean'],
	['acceptanceProbability', 'number'],
	['status', 'string'],
	['offerExpiresAt', 'string'],
].map(([name, type]) => ({ name, type }));

/**
 * One row per cancellation this template has acted on. A booking is cancelled once, so its id names the
 * event whichever delivery (live, redelivered, reconciled, another process) brings it.
 */
export const CANCELLATIONS_TABLE = 'peekpro_ai_spot_fill_cancellations';
export const CANCELLATIONS_COLUMNS = [
	['bookingId', 'string'],
	['timeslotId', 'string'],
	['seats', 'string'],
	['eventId', 'string'],
	['executionId', 'string'],
	['handledAt', 'string'],
	['shadow', 'boolean'],
].map(([name, type]) => ({ name, type }));

const W = "$('Waitlist Filler').item.json";
const byName = (value) => ({ __rl: true, mode: 'name', value });
const condition = (keyName, keyValue, cond = 'eq') => ({ keyName, condition: cond, keyValue });

/** Data Table Table → Create, reusing the table when it exists: the first run creates it. */
function tableOnFirstRun(f, name, tableName, columns, position) {
	return f.add(name, 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'table',
		operation: 'create',
		tableName,
		columns: { column: columns },
		options: { createIfNotExists: true },
	}, position, { executeOnce: true });
}

export function waitlistTable(f, position) {
	return tableOnFirstRun(f, 'Waitlist table', WAITLIST_TABLE, WAITLIST_COLUMNS, position);
}

function setStatus(f, name, entryIdExpr, values, position, extra = {}) {
	return f.add(name, 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'update',
		dataTableId: byName(WAITLIST_TABLE),
		matchType: 'allConditions',
		filters: { conditions: [condition('entryId', entryIdExpr)] },
		columns: { mappingMode: 'defineBelow', value: values, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false },
		options: {},
	}, position, extra);
}

function holdSeats(f, name, status, position) {
	return f.add(name, `${PKG}.peekPro`, 1.1, {
		resource: 'timeslot',
		operation: 'setStatus',
		timeslotId: `={{ ${C}.timeslotId }}`,
		status,
		shadowMode: `={{ ${C}.shadowMode }}`,
	}, position, { credentials: CREDENTIALS.peek, executeOnce: true, retryOnFail: true, maxTries: 3, waitBetweenTries: 2000 });
}

export function waitlistSpotFill() {
	const f = new Flow({ id: 'PeekProAiWait001', file: 'waitlist-spot-fill.json', name: 'PeekPro AI · Waitlist spot fill', flow: 'waitlist-spot-fill', description: 'booking.cancelled → once per cancellation (Data Table) → slot waitlist (Data Table) → no-show scores → Waitlist Filler → approval when required → seat hold in Peek Pro + time-limited offer email → cascade when the offer lapses → release the hold' });
	notes(f, {
		about: 'A cancelled Peek Pro booking (`booking.cancelled`) frees its seats → once per cancellation (a repeat is audited as a duplicate and changes nothing; Data Table **peekpro_ai_spot_fill_cancellations**) → the slot\'s waiting entries from the Data Table **peekpro_ai_waitlist** (created on the first run) → **AI Scorer · No-Show** per entry → **Waitlist Filler** (hybrid ranking, never over capacity, never the same entry twice) → *Promote now*: the slot is held in Peek Pro (**timeslot status** `BLOCKED`, Peek has no per-seat hold) and the chosen guests get a time-limited offer email with the booking link; *Needs approval*: an approver answers an n8n **send-and-wait** email first. When an offer lapses (**Offer window**), the entry is marked `expired` and the waitlist is read again: the next entry gets the seats. When nobody is left, or a guest has booked, and no other offer on the slot is open, the hold is released (`BOOKABLE`).',
		configure: '- **Config**: `shadowMode` (on: decide and audit, send and hold nothing), `offerWindowMinutes`, `bookingUrl` (your booking page; the offer appends the slot and entry), `senderEmail`, `approverEmail`, `approvalHours`.\n- **Waitlist Filler**: *Governance Mode* Autonomous (approval only by its rules) or Assisted (every offer approved).\n- Fill **peekpro_ai_waitlist** from a form or an import: `entryId`, `timeslotId`, `partySize`, `email` or `phone`, `joinedAt`, `status = waiting`. Set `status = booked` when a guest books, so the cascade stops.\n- Credentials: **Approvals SMTP** sends the offers and approval requests.',
		credentials: ['Peek Pro account', 'Approvals SMTP'],
		shadow: 'no seat is held at Peek Pro and no offer or approval email is sent: the nodes output what they *would* do',
	}, [-400, -560]);
	f.sticky('Why no Code node', '## Built from n8n\'s own nodes\nWaitlist rows come from the **Data Table** node, the scoring and the choice from the pack\'s nodes, the offer from n8n\'s **Send Email**, the cascade from a **Wait** and a loop back to **Slot waitlist**. The round\'s state lives in the waitlist table (`status`), so it holds across processes (queue mode) and Wait nodes; an entry already offered is no longer `waiting`, so it is never offered twice. A cancellation delivered again is recorded in a second Data Table, so it changes nothing (see *Duplicate cancellations*).', [1220, -560], 520, 300, 7);
	peekTrigger(f, ['booking.cancelled'], [0, 0]);
	config(f, { shadowMode: true, offerWindowMinutes: 30, bookingUrl: 'https://book.example.com/waitlist', senderEmail: 'bookings@example.com', approverEmail: 'operations@example.com', approvalHours: 2 }, [220, 0]);
	// Once per cancellation ------------------------------------------------------------------
	// Read → record → offer: the record is written before any seat is held or offered, so a crash
	// after it offers nothing (at most once), never twice. See the "Duplicate cancellations" note.
	tableOnFirstRun(f, 'Cancellations table', CANCELLATIONS_TABLE, CANCELLATIONS_COLUMNS, [440, 0]);
	f.add('Handled before', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'get',
		dataTableId: byName(CANCELLATIONS_TABLE),
		matchType: 'allConditions',
		filters: { conditions: [condition('bookingId', `={{ ${C}.id }}`)] },
		returnAll: false,
		limit: 1,
	}, [660, 0], { executeOnce: true, alwaysOutputData: true });
	ifNode(f, 'Already handled?', '={{ !!$json.bookingId }}', 'true', '', [880, 0]);
	f.add('Record cancellation', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'insert',
		dataTableId: byName(CANCELLATIONS_TABLE),
		columns: {
			mappingMode: 'defineBelow',
			value: {
				bookingId: `={{ ${C}.id }}`,
				timeslotId: `={{ ${C}.timeslotId }}`,
				seats: `={{ String(${C}.partySize ?? '') }}`,
				eventId: `={{ ${C}.eventId || '' }}`,
				executionId: '={{ $execution.id }}',
				handledAt: '={{ $now.toISO() }}',
				shadow: `={{ ${C}.shadowMode !== false }}`,
			},
			matchingColumns: [],
			schema: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		options: {},
	}, [1100, 100], { executeOnce: true });
	setFields(f, 'Duplicate cancellation', {
		templateDecision: `={{ { decision: 'waitlist.duplicate_cancellation', decidedByKind: 'rule', decidedById: 'waitlist-spot-fill', bookingId: ${C}.id, summary: { slotKey: ${C}.timeslotId, firstHandledAt: $json.handledAt, firstExecutionId: $json.executionId }, result: 'skipped', detail: 'no action: this cancellation was handled before (execution ' + $json.executionId + '); its seats were offered then', shadow: ${C}.shadowMode !== false } }}`,
	}, [1100, -160], { includeOtherFields: false });
	// The rest of the flow sits right of the guard on the canvas.
	const guardEnd = f.nodes.length;
	waitlistTable(f, [440, 0]);
	f.add('Slot waitlist', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'get',
		dataTableId: byName(WAITLIST_TABLE),
		matchType: 'allConditions',
		filters: { conditions: [condition('timeslotId', `={{ ${C}.timeslotId }}`), condition('status', 'waiting')] },
		returnAll: true,
		orderBy: true,
		orderByColumn: 'joinedAt',
		orderByDirection: 'ASC',
	}, [660, 0], { executeOnce: true, alwaysOutputData: true });
	setFields(f, 'Entry as booking', {
		// The row's own id is the Data Table's row number; the filler reads `id` first.
		id: '={{ $json.entryId }}',
		startsAt: `={{ ${C}.startsAt }}`,
		// The filler queues by createdAt: the join time, else when the row was added.
		createdAt: '={{ $json.joinedAt || $json.createdAt }}',
		// A guest who takes the offer books now, so the lead time the model reads is now → slot start,
		// the same for every entry. Without it the model would read createdAt (the join time) as the
		// purchase: a long lead time, more no-shows, and the longest-waiting guests ranked last.
		purchasedAt: '={{ $now.toISO() }}',
		shadow: `={{ ${C}.shadowMode !== false }}`,
	}, [880, 0], { types: { shadow: 'boolean' } });
	f.add('No-show risk', `${PKG}.aiScorer`, 1.1, { resource: 'score', operation: 'noShow', shadowMode: `={{ ${C}.shadowMode }}`, options: { includeInput: true } }, [1100, 0], { onError: 'continueRegularOutput' });
	f.add('Waitlist Filler', `${PKG}.waitlistFiller`, 1, {
		mode: 'autonomous',
		resource: 'waitlist',
		operation: 'planOffers',
		inputShape: 'entryItems',
		slotKey: `={{ ${C}.timeslotId }}`,
		freedSeats: `={{ ${C}.partySize }}`,
		eventId: `={{ ${C}.eventId || ${C}.id + ':cancelled' }}`,
		ranking: 'hybrid',
		bandWidth: 0.2,
		maxPromotions: 3,
		approvalRules: { confidenceThreshold: 0.5, maxPartySize: 6 },
		options: { offerWindowMinutes: `={{ ${C}.offerWindowMinutes }}` },
	}, [1320, 0]);
	// Promote now ------------------------------------------------------------------------------
	ifNode(f, 'Live offer?', '={{ $json.shadow !== true }}', 'true', '', [1580, 120]);
	holdSeats(f, 'Hold seats', 'BLOCKED', [1800, 20]);
	f.add('Offer email', 'n8n-nodes-base.emailSend', 2.1, {
		operation: 'send',
		fromEmail: `={{ ${C}.senderEmail }}`,
		toEmail: `={{ ${W}.entry.email }}`,
		subject: `=A spot opened up for {{ ${C}.activity.name || 'your activity' }}`,
		emailFormat: 'text',
		text: `=Good news: {{ ${W}.offer.seats }} seat(s) are free on {{ ${C}.activity.name || 'the activity' }} ({{ ${C}.startsAt }}).\n\nThey are held for you until {{ ${W}.offer.expiresAt }}. Book here: {{ ${C}.bookingUrl }}?timeslot={{ encodeURIComponent(${C}.timeslotId) }}&entry={{ encodeURIComponent(${W}.entryId) }}\n\nIf you cannot make it, just ignore this email: the seats go to the next guest on the waitlist.`,
		options: { appendAttribution: false },
	}, [1800, 200], { credentials: CREDENTIALS.smtp });
	setStatus(f, 'Mark offered', `={{ ${W}.entryId }}`, { status: 'offered', offerExpiresAt: `={{ ${W}.offer.expiresAt }}` }, [2240, 120]);
	setFields(f, 'Offer sent', {
		entryId: `={{ ${W}.entryId }}`,
		templateDecision: `={{ { decision: 'waitlist.offer_sent', decidedByKind: 'rule', decidedById: 'waitlist-spot-fill', bookingId: ${C}.id, summary: { slotKey: ${W}.slotKey, entryId: ${W}.entryId, seats: ${W}.offer.seats, expiresAt: ${W}.offer.expiresAt }, sent: { vendor: 'smtp', operation: 'send' }, result: 'sent', shadow: false } }}`,
	}, [2460, 20], { includeOtherFields: false });
	f.add('Offer window', 'n8n-nodes-base.wait', 1.1, { amount: `={{ ${C}.offerWindowMinutes }}`, unit: 'minutes' }, [2460, 220], { webhookId: uuid(`${f.id}:offer-window`) });
	f.add('Entry after offer', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'get',
		dataTableId: byName(WAITLIST_TABLE),
		matchType: 'allConditions',
		filters: { conditions: [condition('entryId', `={{ ${W}.entryId }}`)] },
		returnAll: false,
		limit: 1,
	}, [2680, 220], { alwaysOutputData: true });
	ifNode(f, 'Booked?', '={{ $json.status }}', 'equals', 'booked', [2900, 220]);
	setStatus(f, 'Mark expired', '={{ $json.entryId }}', { status: 'expired' }, [3120, 320]);
	// Needs approval ---------------------------------------------------------------------------
	ifNode(f, 'Live approval?', '={{ $json.shadow !== true }}', 'true', '', [1580, 360]);
	f.add('Ask approver', 'n8n-nodes-base.emailSend', 2.1, {
		operation: 'sendAndWait',
		fromEmail: `={{ ${C}.senderEmail }}`,
		toEmail: `={{ ${C}.approverEmail }}`,
		subject: `=Approve a waitlist offer: {{ $json.partySize }} seat(s) on slot {{ $json.slotKey }}`,
		message: '=Offer {{ $json.partySize }} seat(s) on slot {{ $json.slotKey }} to waitlist entry {{ $json.entryId }} (rank {{ $json.offer.rank }}, confidence {{ $json.waitlist.confidence }}).\n\nWhy it needs you: {{ $json.waitlist.reasons.join(" ") }}',
		approvalOptions: { values: { approvalType: 'double' } },
		options: { appendAttribution: false, limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: `={{ ${C}.approvalHours }}`, resumeUnit: 'hours' } } },
	}, [1800, 360], { webhookId: uuid(`${f.id}:approval`), credentials: CREDENTIALS.smtp });
	ifNode(f, 'Approved?', '={{ $json.data && $json.data.approved }}', 'true', '', [2020, 360]);
	// No action --------------------------------------------------------------------------------
	ifNode(f, 'Nobody left to offer?', "={{ !('entryId' in $json) && $('Hold seats').isExecuted }}", 'true', '', [1580, 560]);
	// Release the hold once no offer on the slot is open: when the last offer lapsed with nobody left,
	// or when a guest booked (the seats are theirs now; a slot left BLOCKED could never be sold again).
	// Another entry of the same round still "offered" keeps the hold until its own answer.
	f.add('Offers still open', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'get',
		dataTableId: byName(WAITLIST_TABLE),
		matchType: 'allConditions',
		filters: { conditions: [condition('timeslotId', `={{ ${C}.timeslotId }}`), condition('status', 'offered')] },
		returnAll: false,
		limit: 1,
	}, [1800, 560], { executeOnce: true, alwaysOutputData: true });
	ifNode(f, 'None open?', "={{ !('entryId' in $json) }}", 'true', '', [2020, 560]);
	holdSeats(f, 'Release hold', 'BOOKABLE', [2240, 560]);

	for (const n of f.nodes.slice(guardEnd)) n.position = [n.position[0] + 880, n.position[1]];
	f.sticky('Duplicate cancellations', '## A cancellation is acted on once\nPeek may deliver `booking.cancelled` again (retries, reconciliation, a webhook process that did not see the first delivery). **Handled before** looks the booking up in the Data Table **peekpro_ai_spot_fill_cancellations** (created on the first run); when it is there, **Duplicate cancellation** writes a `waitlist.duplicate_cancellation` audit row (result `skipped`) and nothing is held or offered. Otherwise **Record cancellation** stores it *before* any seat is held or offered.\n\n**On a crash** after the record (Peek or SMTP down, n8n killed), the seats are not offered: at most once, never twice. The error workflow writes a `failed` audit row; to retry, delete the booking\'s row and re-run the execution.\n\n**Not guaranteed**: two deliveries of the same cancellation that reach two processes at the same moment can both read before either records, and both offer. In queue mode add the Redis claim step after the trigger (README, *Duplicate deliveries and queue mode*).', [460, 200], 560, 380, 3);
	f.chain('Peek Pro Trigger', 'Config', 'Cancellations table', 'Handled before', 'Already handled?');
	f.branches('Already handled?', 'Duplicate cancellation', 'Record cancellation');
	f.chain('Record cancellation', 'Waitlist table', 'Slot waitlist', 'Entry as booking', 'No-show risk', 'Waitlist Filler');
	f.connect('Waitlist Filler', 'Live offer?', 0);
	f.connect('Waitlist Filler', 'Live approval?', 1);
	f.connect('Waitlist Filler', 'Nobody left to offer?', 2);
	// Hold (once per slot) above the emails (one per offer): execution order v1 runs it first.
	f.connect('Live offer?', 'Hold seats', 0);
	f.connect('Live offer?', 'Offer email', 0);
	f.chain('Offer email', 'Mark offered');
	f.connect('Mark offered', 'Offer sent');
	f.connect('Mark offered', 'Offer window');
	f.chain('Offer window', 'Entry after offer', 'Booked?');
	f.branches('Booked?', 'Offers still open', 'Mark expired');
	// The cascade: the lapsed entry is no longer "waiting", so reading the waitlist again offers the seats to the next one.
	f.connect('Mark expired', 'Slot waitlist');
	f.connect('Live approval?', 'Ask approver', 0);
	f.connect('Ask approver', 'Approved?');
	f.connect('Approved?', 'Hold seats', 0);
	f.connect('Approved?', 'Offer email', 0);
	f.connect('Nobody left to offer?', 'Offers still open', 0);
	f.chain('Offers still open', 'None open?');
	f.connect('None open?', 'Release hold', 0);
	// Above the offer branch on the canvas: n8n (execution order v1) runs it first, before the Wait.
	audit(f, [1580, -340], ['Waitlist Filler', 'Offer sent', 'Release hold']);
	f.connect('Waitlist Filler', 'Audit row', 1);
	f.connect('Waitlist Filler', 'Audit row', 2);
	f.connect('Duplicate cancellation', 'Audit row');
	return f;
}
