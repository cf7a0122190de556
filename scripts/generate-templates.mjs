#!/usr/bin/env node
// Writes workflows/*.json, the marketing templates, from one description per flow. Generated rather
// than hand-edited so the shared pieces (Config node, audit row, credentials, sticky notes, pinned
// typeVersions, stable ids) stay identical across templates. Run: npm run templates (node scripts/generate-templates.mjs)
// (workflows/ holds only the shipped JSON, so the generator lives with the other scripts).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { noShowRiskScan } from './templates/no-show-risk-scan.mjs';
import { waitlistSpotFill } from './templates/waitlist-spot-fill.mjs';
import { guideAvailabilityBackSync, guideCalendarSync } from './templates/guide-calendar.mjs';
import { campaignAttribution } from './templates/campaign-attribution.mjs';
import { recoverCrashedExecutions } from './templates/recover-crashed-executions.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'workflows');
const PKG = 'n8n-nodes-peekpro-ai';

export const CREDENTIALS = {
	peek: { peekProAiPeekProApi: { id: 'PeekProAiPeek001', name: 'Peek Pro account' } },
	klaviyo: { peekProAiKlaviyoApi: { id: 'PeekProAiKlav001', name: 'Klaviyo account' } },
	openai: { peekProAiOpenAiApi: { id: 'PeekProAiLlm0001', name: 'OpenAI-compatible account' } },
	smtp: { smtp: { id: 'PeekProAiSmtp001', name: 'Approvals SMTP' } },
	braze: { httpHeaderAuth: { id: 'PeekProAiBraze01', name: 'Braze REST API key' } },
	graph: { peekProAiMicrosoftGraphAppOnlyApi: { id: 'PeekProAiGraph01', name: 'Microsoft Graph account' } },
	// The queue's Redis: the claim step and the crash recovery (queue mode only).
	redis: { redis: { id: 'PeekProAiRedis01', name: 'Queue Redis' } },
};
export const ERROR_WORKFLOW_ID = 'PeekProAiErrHndl';
const AUDIT_TABLE = 'peekpro_ai_audit';
const C = "$('Config').first().json";
// The verified booking, read from Config: Config comes right after both the trigger's Booking output
// and the Verify Later re-check, and passes the booking through (includeOtherFields). The trigger's own
// Booking output is empty on the Verify Later path, so nothing downstream reads the trigger directly.
const TRIGGER = "$('Config').first().json";

/** Deterministic UUID (v4 layout) from a seed, so re-generating changes nothing. */
function uuid(seed) {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

class Flow {
	constructor({ id, file, name, flow, description }) {
		Object.assign(this, { id, file, name, flow, description });
		this.nodes = [];
		this.connections = {};
	}
	add(name, type, typeVersion, parameters, position, extra = {}) {
		this.nodes.push({ parameters, id: uuid(`${this.id}:${name}`), name, type, typeVersion, position, ...extra });
		return name;
	}
	connect(from, to, output = 0, input = 0) {
		const c = (this.connections[from] ??= { main: [] });
		while (c.main.length <= output) c.main.push([]);
		c.main[output].push({ node: to, type: 'main', index: input });
	}
	/** Output i of `from` to targets[i]: an If's true and false, or a node's success and error outputs. */
	branches(from, ...targets) {
		targets.forEach((to, output) => this.connect(from, to, output));
	}
	chain(...names) {
		for (let i = 0; i < names.length - 1; i++) this.connect(names[i], names[i + 1]);
	}
	sticky(name, content, position, width = 420, height = 300, color = 7) {
		this.add(name, 'n8n-nodes-base.stickyNote', 1, { content, height, width, color }, position);
	}
	toJSON({ publishInDemo }) {
		return {
			id: this.id,
			name: this.name,
			nodes: this.nodes,
			connections: this.connections,
			active: false,
			pinData: {},
			settings: { executionOrder: 'v1', errorWorkflow: ERROR_WORKFLOW_ID, saveManualExecutions: true, callerPolicy: 'workflowsFromSameOwner' },
			versionId: uuid(`${this.id}:version:${JSON.stringify(this.nodes)}:${JSON.stringify(this.connections)}`),
			meta: { templateCredsSetupCompleted: false, peekproAi: { flow: this.flow, publishInDemo, description: this.description } },
			tags: [],
		};
	}
}

// ---------------------------------------------------------------- shared building blocks

function assignment(name, value) {
	const type = typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : typeof value === 'object' ? 'object' : 'string';
	return { id: uuid(`cfg:${name}`), name, value: type === 'object' ? JSON.stringify(value) : value, type };
}

/** The one place an operator tunes a template; every other node reads it by expression. */
function config(f, values, position) {
	return f.add('Config', 'n8n-nodes-base.set', 3.5, {
		assignments: { assignments: Object.entries(values).map(([k, v]) => assignment(k, v)) },
		includeOtherFields: true,
		options: {},
	}, position);
}

/**
 * n8n's Edit Fields (Set) node: `values` maps a field to an expression; `types` names fields that are
 * not strings (number, boolean, object, array). Input fields pass through unless `includeOtherFields` is false.
 */
function setFields(f, name, values, position, { includeOtherFields = true, types = {} } = {}) {
	return f.add(name, 'n8n-nodes-base.set', 3.5, {
		assignments: { assignments: Object.entries(values).map(([k, v]) => ({ id: uuid(`${f.id}:${name}:${k}`), name: k, value: v, type: types[k] ?? (k === 'templateDecision' ? 'object' : 'string') })) },
		includeOtherFields,
		options: {},
	}, position);
}

function code(f, name, jsCode, position, extra = {}) {
	const { why, ...rest } = extra;
	if (why) (f.codeWhy ??= {})[name] = why;
	return f.add(name, 'n8n-nodes-base.code', 2, { jsCode }, position, rest);
}

function ifNode(f, name, leftValue, operator, rightValue, position) {
	const ops = {
		true: { type: 'boolean', operation: 'true', singleValue: true },
		gte: { type: 'number', operation: 'gte' },
		gt: { type: 'number', operation: 'gt' },
		equals: { type: 'string', operation: 'equals' },
	};
	return f.add(name, 'n8n-nodes-base.if', 2.3, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 3 },
			conditions: [{ id: uuid(`${f.id}:${name}:cond`), leftValue, rightValue: rightValue ?? '', operator: ops[operator] }],
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	}, position);
}

/**
 * The audit Data Table's columns, as `AUDIT_COLUMNS` in nodes/shared/audit.ts (a unit test holds the
 * two equal; this script cannot import TypeScript). The templates create the table from it on their
 * first run, so nobody creates columns by hand.
 */
export const AUDIT_COLUMNS = ['flow', 'auditId', 'at', 'workflowId', 'executionId', 'node', 'decision', 'decidedByKind', 'decidedById', 'decidedByVersion', 'inputHash', 'bookingId', 'customerKey', 'inputSummary', 'sentVendor', 'sentOperation', 'sentRequest', 'result', 'detail', 'shadow'].map((name) => ({ name, type: name === 'shadow' ? 'boolean' : 'string' }));

/**
 * Rows → "Audit table" (n8n's Data Table, Table → Create, reusing the table when it exists: the first
 * run creates it) and, once that answered, "Save audit" (Row → Insert). The Merge passes the rows on
 * only after the table exists.
 */
function auditTail(f, from, [x, y]) {
	f.add('Audit table', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'table',
		operation: 'create',
		tableName: AUDIT_TABLE,
		columns: { column: AUDIT_COLUMNS },
		options: { createIfNotExists: true },
	}, [x, y + 160], { executeOnce: true });
	f.add('Table ready', 'n8n-nodes-base.merge', 3.2, { mode: 'chooseBranch', chooseBranchMode: 'waitForAll', output: 'specifiedInput', useDataOfInput: 1 }, [x + 220, y]);
	f.add('Save audit', 'n8n-nodes-base.dataTable', 1.1, {
		resource: 'row',
		operation: 'insert',
		dataTableId: { __rl: true, mode: 'name', value: AUDIT_TABLE },
		columns: { mappingMode: 'autoMapInputData', value: {}, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: false },
		options: {},
	}, [x + 440, y]);
	f.connect(from, 'Table ready', 0, 0);
	f.connect(from, 'Audit table');
	f.connect('Audit table', 'Table ready', 0, 1);
	f.connect('Table ready', 'Save audit');
}

/**
 * "Audit row" (the pack's Audit Row node: the one row definition, nodes/shared/audit.ts) → the audit
 * table. Items from pack nodes carry `json.audit`; a template's own decision (holdout, approval, an
 * email sent by n8n's node) carries `json.templateDecision`. Name and signature are shared with every
 * template module: keep them.
 */
function audit(f, [x, y], sources) {
	f.add('Audit row', `${PKG}.auditRow`, 1, {
		operation: 'fromDecision',
		flow: f.flow,
		decision: '',
		shadowMode: `={{ ${C}.shadowMode !== false }}`,
	}, [x, y]);
	auditTail(f, 'Audit row', [x + 220, y]);
	for (const s of sources) f.connect(s, 'Audit row');
}

/**
 * The Peek Pro Trigger and its Verify Later path. Booking (output 0) → Config. When Peek cannot be
 * reached to verify a delivery, the trigger accepts it on Verify Later (output 1): a Wait, then Peek Pro
 * Booking → Get re-reads the booking and checks the claimed event against it, and only an event this
 * flow listens for continues into Config like a verified delivery. Consent and UTM that only the
 * delivery carried stay under `unverified` on both paths, so no template node reads them.
 */
function peekTrigger(f, events, [x, y]) {
	f.add('Peek Pro Trigger', `${PKG}.peekProTrigger`, 1.1, { authentication: 'none', events, verifyByFetch: true, verifyLater: true, options: {} }, [x, y], {
		webhookId: uuid(`${f.id}:webhook`),
		credentials: CREDENTIALS.peek,
	});
	// Before Config, so the wait is set here (Config has not run on this path).
	f.add('Wait to re-verify', 'n8n-nodes-base.wait', 1.1, { amount: 5, unit: 'minutes' }, [x, y + 260], { webhookId: uuid(`${f.id}:verify-later-wait`) });
	f.add('Re-verify booking', `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'get',
		bookingId: '={{ $json.bookingId }}',
		output: 'canonical',
		options: { claimedEvent: '={{ $json.claimedEvent }}', eventInferred: '={{ $json.eventInferred === true }}' },
	}, [x, y + 460], { credentials: CREDENTIALS.peek, retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 });
	ifNode(f, 'Still an event for this flow?', `={{ !!$json.event && ${JSON.stringify(events)}.some((e) => e === $json.event || ($json.lifecycleEvents || []).includes(e)) }}`, 'true', '', [x + 220, y + 460]);
	f.sticky('Verify later', '## Verify later\nPeek sends each webhook **once**. When Peek cannot be reached to verify a delivery, the trigger still answers 200 and puts the delivery on **Verify Later** (booking id, claimed event, the raw delivery under `unverified`; not a booking). After **Wait to re-verify** (5 min; change it there), **Re-verify booking** reads Peek\'s record and checks the claimed event; only an event this flow listens for continues. If Peek is still down after the retries, the execution fails (error workflow) and the **PeekPro AI · Reconciliation** template catches the booking on its next run.', [x - 460, y + 260], 420, 320, 3);
	f.connect('Peek Pro Trigger', 'Wait to re-verify', 1);
	f.chain('Wait to re-verify', 'Re-verify booking', 'Still an event for this flow?');
	f.connect('Still an event for this flow?', 'Config', 0);
	return 'Peek Pro Trigger';
}

function schedule(f, rule, position) {
	return f.add('Schedule', 'n8n-nodes-base.scheduleTrigger', 1.4, { rule: { interval: [rule] } }, position);
}

function peekBookings(f, name, { searchBy, start, end, email }, position, extra = {}) {
	return f.add(name, `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'getMany',
		searchBy,
		start,
		end,
		filters: email ? { email } : {},
		returnAll: true,
		output: 'canonical',
	}, position, { credentials: CREDENTIALS.peek, alwaysOutputData: true, ...extra });
}

function peekCatalogue(f, position) {
	return f.add('Activity catalogue', `${PKG}.peekPro`, 1.1, { resource: 'product', operation: 'getMany', returnAll: true }, position, {
		credentials: CREDENTIALS.peek,
		executeOnce: true,
		alwaysOutputData: true,
	});
}

function scorer(f, name, operation, params, position, extra = {}) {
	return f.add(name, `${PKG}.aiScorer`, 1.1, { resource: 'score', operation, ...params, shadowMode: `={{ ${C}.shadowMode }}` }, position, extra);
}

function klaviyoEvent(f, name, metricName, eventProperties, position, { uniqueId, includeAiAttributes = true, phoneCountry = false } = {}) {
	return f.add(name, `${PKG}.klaviyo`, 1.1, {
		resource: 'event',
		operation: 'create',
		metricName,
		...(phoneCountry ? { defaultPhoneCountry: `={{ ${C}.defaultPhoneCountry }}` } : {}),
		// An expression building the whole object: the JSON mode (1.1 starts on Key / Value fields).
		specifyEventProperties: 'json',
		eventProperties,
		includeBookingProperties: true,
		includeAiAttributes,
		additionalFields: uniqueId ? { uniqueId } : {},
		shadowMode: `={{ ${C}.shadowMode }}`,
		options: {},
	}, position, { credentials: CREDENTIALS.klaviyo });
}

function klaviyoProfile(f, name, customProperties, position, { phoneCountry = false } = {}) {
	return f.add(name, `${PKG}.klaviyo`, 1.1, {
		resource: 'profile',
		operation: 'upsert',
		...(phoneCountry ? { defaultPhoneCountry: `={{ ${C}.defaultPhoneCountry }}` } : {}),
		specifyCustomProperties: 'json',
		customProperties,
		includeAiAttributes: true,
		additionalFields: {},
		shadowMode: `={{ ${C}.shadowMode }}`,
		options: {},
	}, position, { credentials: CREDENTIALS.klaviyo });
}

function klaviyoListAdd(f, name, listIdExpr, position) {
	return f.add(name, `${PKG}.klaviyo`, 1.1, {
		resource: 'list',
		operation: 'addProfiles',
		listId: { __rl: true, mode: 'id', value: listIdExpr },
		identifyBy: 'email',
		createMissingProfiles: true,
		shadowMode: `={{ ${C}.shadowMode }}`,
		options: {},
	}, position, { credentials: CREDENTIALS.klaviyo });
}

const KLAVIYO_SHADOW = 'nothing reaches Klaviyo: each Klaviyo node outputs the exact request it *would* send';

/** The rollout note; `shadow` says what shadow mode holds back in this flow (the Klaviyo flows' sentence by default). */
const rollout = (shadow = KLAVIYO_SHADOW) => `## Rollout: shadow → assisted → autonomous
1. **Shadow** (as shipped: \`shadowMode = true\` in **Config**). Everything is decided and audited, ${shadow}. Read them in Executions and in the \`peekpro_ai_audit\` Data Table for a week or two.
2. **Assisted**: set \`shadowMode = false\` for a small share (raise the holdout, narrow the trigger's events or add a Filter) and keep a human in the loop where the flow has one (approval email, weekly review of the audit table).
3. **Autonomous**: widen to everyone; keep the audit table and the error workflow "PeekPro AI · Error handler" on.`;

/**
 * The three notes above every template. The defaults fit the Klaviyo flows; a flow without Klaviyo
 * names its own `credentials` and what `shadow` mode holds back, so an importer is not told to
 * create a Klaviyo credential the flow never uses.
 */
function notes(f, { about, configure, aboutHeight = 340, configureHeight = 340, credentials, shadow }, [x, y]) {
	const names = credentials ?? ['Peek Pro account', 'Klaviyo account', ...(/LLM|OpenAI/.test(configure) ? ['OpenAI-compatible account'] : [])];
	f.sticky('About this flow', `## ${f.name}\n${about}`, [x, y], 520, aboutHeight, 5);
	f.sticky('What to configure', `## What to configure\n${configure}\n\nCredentials (by name): ${names.map((n) => `**${n}**`).join(', ')}. Audit rows go to the Data Table **peekpro_ai_audit**, which the first run creates (**Audit table**).`, [x + 540, y], 520, configureHeight, 6);
	f.sticky('Rollout', rollout(shadow), [x + 1080, y], 520, 340, 4);
}

// Shared Code snippets ---------------------------------------------------------------------

/** One item: the delivered booking plus its guest's history and the activity catalogue. */
const SCORING_INPUT = `// The booking from the trigger, with the guest's history and the activity catalogue the scorers read.
// Config passes the booking through (from the trigger, or from the Verify Later re-check); its own values are dropped.
const configNames = new Set(((($('Config').params.assignments || {}).assignments) || []).map((a) => a.name));
const booking = Object.fromEntries(Object.entries($('Config').first().json).filter(([k]) => !configNames.has(k)));
const history = $('Guest history').all().map((i) => i.json).filter((b) => b && b.id);
let catalogue = [];
try { catalogue = $('Activity catalogue').all().map((i) => i.json).filter((p) => p && p.id); } catch (e) { /* flow without catalogue */ }
const others = history.filter((b) => b.id !== booking.id);
// Satisfaction (survey score or review text) may sit on the booking or among Peek's extra fields.
const extra = booking.extra || {};
const satisfaction = {};
for (const k of ['surveyScore', 'rating', 'nps', 'reviewText', 'feedback']) if ((booking[k] ?? extra[k]) !== undefined) satisfaction[k] = booking[k] ?? extra[k];
const bookings = [...others, booking].map((b) => ({ id: b.id, purchasedAt: b.purchasedAt, startsAt: b.startsAt, total: b.total, partySize: b.partySize, activity: b.activity }));
return [{
  json: {
    ...booking,
    ...satisfaction,
    bookings,
    bookingCount: bookings.length,
    bookedActivityIds: [...new Set(bookings.map((b) => b.activity && b.activity.id).filter(Boolean))],
    previousBooking: others.sort((a, b) => String(b.startsAt || '').localeCompare(String(a.startsAt || '')))[0] || null,
    catalogue,
  },
  pairedItem: { item: 0 },
}];`;

/** Bookings grouped per customer, for the scheduled flows. */
const CUSTOMER_HISTORIES = (filter = 'true') => `// Bookings grouped per customer (by email): the history the scorers read.
const cfg = $('Config').first().json;
const now = Date.now();
const byEmail = new Map();
for (const { json: b } of $input.all()) {
  const email = b && b.customer && b.customer.email;
  if (!email || !b.id) continue;
  const key = email.toLowerCase();
  if (!byEmail.has(key)) byEmail.set(key, []);
  byEmail.get(key).push(b);
}
let catalogue = [];
try { catalogue = $('Activity catalogue').all().map((i) => i.json).filter((p) => p && p.id); } catch (e) { /* no catalogue in this flow */ }
const out = [];
for (const [, list] of byEmail) {
  list.sort((a, b) => String(a.purchasedAt || a.startsAt || '').localeCompare(String(b.purchasedAt || b.startsAt || '')));
  const last = list[list.length - 1];
  const lastAt = Date.parse(last.purchasedAt || last.startsAt || '');
  const monthsSinceLast = Number.isNaN(lastAt) ? null : (now - lastAt) / (30.44 * 86400000);
  const item = {
    id: last.id,
    customer: last.customer,
    activity: last.activity,
    guides: last.guides || [],
    bookings: list.map((b) => ({ id: b.id, purchasedAt: b.purchasedAt, startsAt: b.startsAt, total: b.total, partySize: b.partySize, activity: b.activity })),
    bookingCount: list.length,
    totalSpent: list.reduce((s, b) => s + ((b.total && b.total.amount) || 0), 0),
    lastBookingAt: last.purchasedAt || last.startsAt || null,
    monthsSinceLast: monthsSinceLast === null ? null : Math.round(monthsSinceLast * 10) / 10,
    bookedActivityIds: [...new Set(list.map((b) => b.activity && b.activity.id).filter(Boolean))],
    catalogue,
  };
  // The latest survey score / review counts as the customer's satisfaction.
  for (const k of ['surveyScore', 'rating', 'reviewText']) {
    const v = [...list].reverse().map((b) => b[k] ?? (b.extra || {})[k]).find((x) => x !== undefined);
    if (v !== undefined) item[k] = v;
  }
  if (${filter}) out.push({ json: item });
}
return out;`;

// ---------------------------------------------------------------- the templates

function postBookingUpsell() {
	const f = new Flow({ id: 'PeekProAiUpsel01', file: 'post-booking-upsell.json', name: 'PeekPro AI · Post-booking upsell', flow: 'post-booking-upsell', description: 'booking.created → history → next best activity → Klaviyo ai_* profile + "Activity Booked" event, with a holdout group' });
	notes(f, {
		about: 'A new Peek Pro booking (`booking.created`) → the guest\'s booking history and the activity catalogue from Peek Pro → **AI Scorer · Next Best Activity** → Klaviyo profile `ai_*` properties and an **Activity Booked** event carrying the recommendations, seconds after the booking.\n\nA deterministic **holdout** share of guests (default 10%, by email hash) gets the generic event with `ab_group: "holdout"`, so a Klaviyo A/B report can read the uplift.',
		configure: '- **Config**: `shadowMode`, `holdoutShare` (0–1), `recommendationCount`, `metricName` (the Klaviyo metric your flow triggers on), `historyYears`.\n- **Peek Pro Trigger**: publish the workflow; the trigger registers its webhook with Peek Pro (WEBHOOK_URL must be public).\n- In Klaviyo: a flow triggered by the metric, using `event.recommendations` / `person.ai_next_best_activity`.',
	}, [-400, -460]);
	peekTrigger(f, ['booking.created'], [0, 0]);
	config(f, { shadowMode: true, holdoutShare: 0.1, recommendationCount: 3, metricName: 'Activity Booked', historyYears: 5 }, [220, 0]);
	peekBookings(f, 'Guest history', { searchBy: 'purchaseDate', start: `={{ $now.minus({ years: ${C}.historyYears }).toISO() }}`, end: '={{ $now.toISO() }}', email: `={{ ${TRIGGER}.customer.email }}` }, [440, 0], { executeOnce: true });
	peekCatalogue(f, [660, 0]);
	code(f, 'Scoring input', SCORING_INPUT, [880, 0]);
	scorer(f, 'Next best activity', 'nextBestActivity', { catalogue: '={{ JSON.stringify($json.catalogue) }}', coBookingHistory: '[]', topK: `={{ ${C}.recommendationCount }}`, options: { includeInput: true } }, [1100, 0]);
	code(f, 'Holdout split', `// Deterministic A/B split on the email: the same guest always lands in the same group.
const share = Number($('Config').first().json.holdoutShare) || 0;
const fnv = (s) => { let h = 0x811c9dc5; for (const ch of s) { h ^= ch.charCodeAt(0); h = Math.imul(h, 0x01000193) >>> 0; } return h; };
return $input.all().map((item, i) => {
  const email = String((item.json.customer && item.json.customer.email) || item.json.id || '').toLowerCase();
  const bucket = (fnv(email) % 10000) / 10000;
  const holdout = bucket < share;
  const recommendations = (item.json.ai && item.json.ai.recommendations) || [];
  return { json: { ...item.json, ai_holdout: holdout, ab_group: holdout ? 'holdout' : 'treatment', recommendations }, pairedItem: { item: i } };
});`, [1320, 0]);
	ifNode(f, 'Holdout?', '={{ $json.ai_holdout }}', 'true', '', [1540, 0]);
	klaviyoEvent(f, 'Generic event (holdout)', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ ab_group: "holdout", ai_holdout: true }) }}', [1800, -140], { includeAiAttributes: false });
	klaviyoProfile(f, 'Profile ai_* properties', '={{ JSON.stringify({ ai_ab_group: $json.ab_group }) }}', [1800, 60]);
	klaviyoEvent(f, 'Event with recommendations', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ ab_group: "treatment", ai_holdout: false, recommendations: $json.recommendations }) }}', [1800, 240]);
	f.chain('Peek Pro Trigger', 'Config', 'Guest history', 'Activity catalogue', 'Scoring input', 'Next best activity', 'Holdout split', 'Holdout?');
	f.connect('Holdout?', 'Generic event (holdout)', 0);
	f.connect('Holdout?', 'Profile ai_* properties', 1);
	f.connect('Holdout?', 'Event with recommendations', 1);
	audit(f, [2100, 60], ['Next best activity', 'Generic event (holdout)', 'Profile ai_* properties', 'Event with recommendations']);
	return f;
}

function abandonedCart() {
	const f = new Flow({ id: 'PeekProAiCart001', file: 'abandoned-cart-recovery.json', name: 'PeekPro AI · Abandoned cart recovery', flow: 'abandoned-cart-recovery', description: 'cart.abandoned / pending booking → wait → still pending? → abandonment score, capped incentive, channel → Klaviyo recovery event; completion → success event' });
	notes(f, {
		about: '`cart.abandoned` or a booking left **pending** → **Wait** (default 60 min) → Peek Pro re-read: still pending? → **AI Scorer · Cart Abandonment** (probability, incentive tier capped at `maxDiscountPercent`, channel email/SMS) → Klaviyo **recoveryMetric** event that drives your recovery flow.\n\nWhen a pending booking later becomes confirmed (`booking.updated`), the **successMetric** event closes the loop (use it as the flow\'s exit condition and conversion metric).',
		configure: '- **Config**: `shadowMode`, `waitMinutes`, `maxDiscountPercent` (the cap), `recoveryMetric`, `successMetric`.\n- Klaviyo: a flow on `recoveryMetric` with a conditional split on `event.ai_incentive` / `event.ai_discount_percent` / `event.ai_channel`, exiting on `successMetric`.',
	}, [-400, -460]);
	peekTrigger(f, ['cart.abandoned', 'booking.created', 'booking.updated'], [0, 0]);
	config(f, { shadowMode: true, waitMinutes: 60, maxDiscountPercent: 15, recoveryMetric: 'Cart Abandoned', successMetric: 'Cart Recovered' }, [220, 0]);
	f.add('Pending or completed?', 'n8n-nodes-base.switch', 3.4, {
		rules: {
			values: [
				{ conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 3 }, conditions: [{ id: uuid('cart:pending'), leftValue: '={{ $json.event === "cart.abandoned" || $json.status === "pending" }}', rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }], combinator: 'and' }, renameOutput: true, outputKey: 'pending' },
				{ conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 3 }, conditions: [{ id: uuid('cart:done'), leftValue: '={{ $json.deliveredEvent === "booking.updated" && ["confirmed", "checked_in", "checked_out"].includes($json.status) }}', rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }], combinator: 'and' }, renameOutput: true, outputKey: 'completed' },
			],
		},
		looseTypeValidation: true,
		options: {},
	}, [440, 0]);
	f.add('Wait', 'n8n-nodes-base.wait', 1.1, { amount: `={{ ${C}.waitMinutes }}`, unit: 'minutes' }, [680, -100], { webhookId: uuid(`${f.id}:wait`) });
	f.add('Re-read booking', `${PKG}.peekPro`, 1.1, { resource: 'booking', operation: 'get', bookingId: `={{ ${TRIGGER}.id }}`, output: 'canonical' }, [900, -100], { credentials: CREDENTIALS.peek });
	ifNode(f, 'Still pending?', '={{ $json.status }}', 'equals', 'pending', [1120, -100]);
	scorer(f, 'Abandonment score', 'cartAbandonment', { maxDiscountPercent: `={{ ${C}.maxDiscountPercent }}`, options: { includeInput: true } }, [1340, -120]);
	klaviyoEvent(f, 'Recovery event', `={{ ${C}.recoveryMetric }}`, '={{ JSON.stringify({ recovery: $json.ai && $json.ai.recovery ? $json.ai.recovery : null }) }}', [1560, -120], { uniqueId: '={{ $json.id }}:recovery' });
	klaviyoEvent(f, 'Success event', `={{ ${C}.successMetric }}`, '={{ JSON.stringify({ recovered: true }) }}', [680, 140], { uniqueId: '={{ $json.id }}:recovered', includeAiAttributes: false });
	f.chain('Peek Pro Trigger', 'Config', 'Pending or completed?');
	f.branches('Pending or completed?', 'Wait', 'Success event');
	f.chain('Wait', 'Re-read booking', 'Still pending?');
	f.connect('Still pending?', 'Abandonment score', 0);
	f.chain('Abandonment score', 'Recovery event');
	audit(f, [1860, 0], ['Abandonment score', 'Recovery event', 'Success event']);
	return f;
}

function postTrip() {
	const f = new Flow({ id: 'PeekProAiTrip001', file: 'post-trip-repeat-booking.json', name: 'PeekPro AI · Post-trip repeat booking', flow: 'post-trip-repeat-booking', description: 'checked in / out → satisfaction + history → rebook likelihood and segment → Klaviyo profile + "Likely to Rebook" event' });
	notes(f, {
		about: '`booking.checked_in` / `booking.checked_out` → the guest\'s history from Peek Pro and satisfaction (a survey score or review text on the booking: `surveyScore`, `rating`, `reviewText`...) → **AI Scorer · Customer Value** (rebook probability, churn risk, predicted value, value tier) → a rebook segment → Klaviyo profile `ai_*` properties, and a **Likely to Rebook** event for guests above the threshold.',
		configure: '- **Config**: `shadowMode`, `rebookThreshold` (0–1), `metricName`, `historyYears`, `averageBookingValue`.\n- Send survey/review data onto the booking (Peek questions, or a form that updates the booking) so satisfaction counts.',
	}, [-400, -460]);
	peekTrigger(f, ['booking.checked_in', 'booking.checked_out'], [0, 0]);
	config(f, { shadowMode: true, rebookThreshold: 0.5, metricName: 'Likely to Rebook', historyYears: 5, averageBookingValue: 120 }, [220, 0]);
	peekBookings(f, 'Guest history', { searchBy: 'purchaseDate', start: `={{ $now.minus({ years: ${C}.historyYears }).toISO() }}`, end: '={{ $now.toISO() }}', email: `={{ ${TRIGGER}.customer.email }}` }, [440, 0], { executeOnce: true });
	code(f, 'Scoring input', SCORING_INPUT, [660, 0]);
	scorer(f, 'Rebook likelihood', 'customerValue', { horizonDays: 365, averageBookingValue: `={{ ${C}.averageBookingValue }}`, options: { includeInput: true } }, [880, 0]);
	// Edit Fields, not Code: two expressions over the score and Config.rebookThreshold.
	setFields(f, 'Rebook segment', {
		ai_rebook_segment: `={{ (Number($json.ai_rebook_probability) || 0) >= (Number(${C}.rebookThreshold) || 0.5) ? ($json.ai_value_tier === 'high' ? 'likely_high_value' : 'likely') : (Number($json.ai_rebook_probability) || 0) >= (Number(${C}.rebookThreshold) || 0.5) / 2 ? 'possible' : 'unlikely' }}`,
		ai_likely_to_rebook: `={{ (Number($json.ai_rebook_probability) || 0) >= (Number(${C}.rebookThreshold) || 0.5) }}`,
	}, [1100, 0], { types: { ai_likely_to_rebook: 'boolean' } });
	klaviyoProfile(f, 'Profile ai_* properties', '={{ JSON.stringify({ ai_rebook_segment: $json.ai_rebook_segment, ai_likely_to_rebook: $json.ai_likely_to_rebook }) }}', [1340, -100]);
	ifNode(f, 'Likely to rebook?', '={{ $json.ai_likely_to_rebook }}', 'true', '', [1340, 100]);
	klaviyoEvent(f, 'Likely to rebook event', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ ai_rebook_segment: $json.ai_rebook_segment }) }}', [1560, 100], { uniqueId: '={{ $json.id }}:likely_to_rebook' });
	f.chain('Peek Pro Trigger', 'Config', 'Guest history', 'Scoring input', 'Rebook likelihood', 'Rebook segment');
	f.connect('Rebook segment', 'Profile ai_* properties');
	f.connect('Rebook segment', 'Likely to rebook?');
	f.connect('Likely to rebook?', 'Likely to rebook event', 0);
	audit(f, [1820, 0], ['Rebook likelihood', 'Profile ai_* properties', 'Likely to rebook event']);
	return f;
}

function welcomeBack() {
	const f = new Flow({ id: 'PeekProAiWelc001', file: 'welcome-back.json', name: 'PeekPro AI · Welcome back (approved)', flow: 'welcome-back', description: 'second booking → LLM-written email content → human approval (Send Email send-and-wait) → Klaviyo "Welcome Back" event' });
	notes(f, {
		about: 'A customer\'s **second** booking → the previous activity and guide from Peek Pro, complementary tours (**AI Scorer · Next Best Activity**) and a loyalty offer → **LLM-written** subject and body (OpenAI-compatible chat completions; the demo uses a local model) → a reviewer approves or declines it in an email (n8n **Send Email · Send and Wait**) → on approval, a Klaviyo **Welcome Back** event carrying the content for your Klaviyo template.',
		configure: '- **Config**: `shadowMode`, `reviewerEmail`, `senderEmail`, `loyaltyOffer`, `metricName`, `llmModel`, `approvalHours`.\n- Credentials: **Approvals SMTP** (type SMTP) for the review email, **OpenAI-compatible account** (LLM) for the draft.\n- The reviewer needs to reach this n8n\'s URL (WEBHOOK_URL) to click Approve / Decline.',
	}, [-400, -460]);
	peekTrigger(f, ['booking.created'], [0, 0]);
	config(f, { shadowMode: true, reviewerEmail: 'marketing@example.com', senderEmail: 'n8n@example.com', loyaltyOffer: '10% off your next tour with code WELCOMEBACK', metricName: 'Welcome Back', llmModel: 'gpt-4o-mini', approvalHours: 24, historyYears: 5 }, [220, 0]);
	peekBookings(f, 'Guest history', { searchBy: 'purchaseDate', start: `={{ $now.minus({ years: ${C}.historyYears }).toISO() }}`, end: '={{ $now.toISO() }}', email: `={{ ${TRIGGER}.customer.email }}` }, [440, 0], { executeOnce: true });
	peekCatalogue(f, [660, 0]);
	code(f, 'Scoring input', SCORING_INPUT, [880, 0]);
	ifNode(f, 'Second booking?', '={{ $json.bookingCount }}', 'equals', '2', [1100, 0]);
	scorer(f, 'Complementary tours', 'nextBestActivity', { catalogue: '={{ JSON.stringify($json.catalogue) }}', coBookingHistory: '[]', topK: 2, options: { includeInput: true } }, [1320, -20]);
	code(f, 'Content context', `// What the copy may mention: previous activity and guide, complementary tours, the loyalty offer.
const cfg = $('Config').first().json;
return $input.all().map((item, i) => {
  const j = item.json;
  const prev = j.previousBooking || {};
  const previous_activity = prev.activity ? prev.activity.name : null;
  const previous_guide = prev.guides && prev.guides[0] ? prev.guides[0].name : null;
  const complementary_tours = ((j.ai && j.ai.recommendations) || []).map((r) => r.name);
  const contentContext = [
    previous_activity ? \`Last time they joined \${previous_activity}\${previous_guide ? \` with guide \${previous_guide}\` : ''}.\` : '',
    \`They just booked \${(j.activity && j.activity.name) || 'a new tour'}.\`,
    complementary_tours.length ? \`Complementary tours: \${complementary_tours.join(', ')}.\` : '',
    \`Loyalty offer: \${cfg.loyaltyOffer}.\`,
  ].filter(Boolean).join(' ');
  return { json: { ...j, previous_activity, previous_guide, complementary_tours, loyalty_offer: cfg.loyaltyOffer, contentContext }, pairedItem: { item: i } };
});`, [1540, -20]);
	f.add('Draft email', `${PKG}.aiScorer`, 1.1, {
		resource: 'text',
		operation: 'generateContent',
		flow: 'custom',
		flowDescription: 'Welcome back a returning customer on their second booking: recall their previous activity and guide, suggest the complementary tours and include the loyalty offer.',
		variants: 1,
		backend: 'llm',
		llmModel: `={{ ${C}.llmModel }}`,
		shadowMode: `={{ ${C}.shadowMode }}`,
		options: { includeInput: true },
	}, [1760, -20], { credentials: CREDENTIALS.openai });
	// Shadow mode sends no email at all, approval requests included: the reviewer is asked only when live.
	ifNode(f, 'Live: ask the reviewer?', `={{ ${C}.shadowMode }}`, 'equals', 'false', [1980, -20]);
	code(f, 'Shadow: no approval email', `// Shadow mode: nobody is emailed. The draft continues as if approved, so the Klaviyo node (in shadow
// mode as well) outputs the exact event it would send; the audit row says no reviewer was asked.
return $input.all().map((item, i) => {
  const { audit, templateDecision, ...content } = item.json;
  return { json: { ...content, email_subject: content.ai_subject_line, email_body: content.ai_body, approved: true, shadow: true, templateDecision: { decision: 'welcome_back.approval_skipped', decidedByKind: 'rule', decidedById: 'shadow-mode', bookingId: content.id, result: 'shadow', detail: 'Shadow mode: no approval email was sent', shadow: true } }, pairedItem: { item: i } };
});`, [2200, 200]);
	f.add('Review email', 'n8n-nodes-base.emailSend', 2.1, {
		operation: 'sendAndWait',
		fromEmail: `={{ ${C}.senderEmail }}`,
		toEmail: `={{ ${C}.reviewerEmail }}`,
		subject: '=Review the welcome-back email for booking {{ $json.id }}',
		message: '=Subject: {{ $json.ai_subject_line }}\n\n{{ $json.ai_body }}\n\nPrevious activity: {{ $json.previous_activity }} · Guide: {{ $json.previous_guide }} · Complementary tours: {{ $json.complementary_tours.join(", ") }} · Offer: {{ $json.loyalty_offer }}',
		approvalOptions: { values: { approvalType: 'double' } },
		options: { appendAttribution: false, limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: `={{ ${C}.approvalHours }}`, resumeUnit: 'hours' } } },
	}, [2200, -120], { webhookId: uuid(`${f.id}:approval`), credentials: CREDENTIALS.smtp });
	code(f, 'Approval decision', `// The reviewer's answer, with the content it was given (send-and-wait outputs only the answer).
// The draft's own audit record was stored already; this item records the human decision.
const { audit, templateDecision, ...content } = $('Draft email').first().json;
const approved = Boolean($input.first().json.data && $input.first().json.data.approved);
return [{ json: { ...content, email_subject: content.ai_subject_line, email_body: content.ai_body, approved, templateDecision: { decision: approved ? 'welcome_back.approved' : 'welcome_back.declined', decidedByKind: 'human', decidedById: $('Config').first().json.reviewerEmail.replace(/^[^@]*/, '[reviewer]'), bookingId: content.id, result: approved ? 'decided' : 'skipped' } }, pairedItem: { item: 0 } }];`, [2420, -120]);
	ifNode(f, 'Approved?', '={{ $json.approved }}', 'true', '', [2640, -20]);
	klaviyoEvent(f, 'Welcome back event', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ email_subject: $json.email_subject, email_body: $json.email_body, previous_activity: $json.previous_activity, previous_guide: $json.previous_guide, complementary_tours: $json.complementary_tours, loyalty_offer: $json.loyalty_offer }) }}', [2860, -40], { uniqueId: '={{ $json.id }}:welcome_back' });
	f.chain('Peek Pro Trigger', 'Config', 'Guest history', 'Activity catalogue', 'Scoring input', 'Second booking?');
	f.connect('Second booking?', 'Complementary tours', 0);
	f.chain('Complementary tours', 'Content context', 'Draft email', 'Live: ask the reviewer?');
	f.branches('Live: ask the reviewer?', 'Review email', 'Shadow: no approval email');
	f.chain('Review email', 'Approval decision', 'Approved?');
	f.connect('Shadow: no approval email', 'Approved?');
	f.connect('Approved?', 'Welcome back event', 0);
	audit(f, [3120, 100], ['Complementary tours', 'Draft email', 'Approval decision', 'Shadow: no approval email', 'Welcome back event']);
	return f;
}

function preTrip() {
	const f = new Flow({ id: 'PeekProAiPreT001', file: 'pre-trip-nurturing.json', name: 'PeekPro AI · Pre-trip nurturing', flow: 'pre-trip-nurturing', description: 'hourly → bookings starting within 48 h → weather forecast → packing tips and contingency text → Klaviyo "Pre-Trip Forecast" event' });
	notes(f, {
		about: 'Every hour → Peek Pro bookings whose activity starts within `windowHours` (48) → the forecast for the activity\'s location (**HTTP Request** to a configurable forecast API, Open-Meteo format by default) → packing tips and a contingency note (rules, no LLM needed) → Klaviyo **Pre-Trip Forecast** event. `unique_id` = booking + day, so hourly runs do not repeat it.',
		configure: '- **Config**: `shadowMode`, `windowHours`, `forecastUrl` (any API answering Open-Meteo\'s `daily` shape), `locations` (activity location → latitude/longitude), `defaultLatitude` / `defaultLongitude`, `metricName`, `rainThreshold`, `defaultPhoneCountry` (for guest phones typed without a country code; the booking\'s own country wins).\n- Klaviyo: a flow on the metric using `event.packing_tips` and `event.contingency`.',
	}, [-400, -460]);
	schedule(f, { field: 'hours', hoursInterval: 1 }, [0, 0]);
	config(f, { shadowMode: true, windowHours: 48, forecastUrl: 'https://api.open-meteo.com/v1/forecast', locations: { 'Lake Tahoe': { latitude: 39.0968, longitude: -120.0324 } }, defaultLatitude: 39.0968, defaultLongitude: -120.0324, metricName: 'Pre-Trip Forecast', rainThreshold: 50, defaultPhoneCountry: 'US' }, [220, 0]);
	peekBookings(f, 'Upcoming bookings', { searchBy: 'activityDate', start: '={{ $now.toISO() }}', end: `={{ $now.plus({ hours: ${C}.windowHours }).toISO() }}` }, [440, 0]);
	f.add('Only confirmed', 'n8n-nodes-base.filter', 2.3, {
		conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 3 }, conditions: [{ id: uuid('pretrip:confirmed'), leftValue: '={{ Boolean($json.id && $json.customer && $json.customer.email) && !["cancelled", "expired", "no_show"].includes($json.status) }}', rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }], combinator: 'and' },
		looseTypeValidation: true,
		options: {},
	}, [660, 0]);
	f.add('Weather forecast', 'n8n-nodes-base.httpRequest', 4.5, {
		url: `={{ ${C}.forecastUrl }}`,
		sendQuery: true,
		queryParameters: { parameters: [
			{ name: 'latitude', value: `={{ ((${C}.locations || {})[$json.activity && $json.activity.location] || {}).latitude || ${C}.defaultLatitude }}` },
			{ name: 'longitude', value: `={{ ((${C}.locations || {})[$json.activity && $json.activity.location] || {}).longitude || ${C}.defaultLongitude }}` },
			{ name: 'daily', value: 'temperature_2m_max,temperature_2m_min,precipitation_probability_max,wind_speed_10m_max' },
			{ name: 'start_date', value: '={{ ($json.startsAt || $now.toISO()).slice(0, 10) }}' },
			{ name: 'end_date', value: '={{ ($json.startsAt || $now.toISO()).slice(0, 10) }}' },
			{ name: 'timezone', value: 'auto' },
		] },
		options: {},
	}, [880, 0]);
	code(f, 'Packing tips', `// Rules from the forecast: packing tips and a contingency note the email can show.
const cfg = $('Config').first().json;
const bookings = $('Only confirmed').all();
return $input.all().map((item, i) => {
  const booking = bookings[i].json;
  const d = (item.json && item.json.daily) || {};
  const tMax = d.temperature_2m_max && d.temperature_2m_max[0];
  const tMin = d.temperature_2m_min && d.temperature_2m_min[0];
  const rain = d.precipitation_probability_max && d.precipitation_probability_max[0];
  const wind = d.wind_speed_10m_max && d.wind_speed_10m_max[0];
  const tips = ['Water bottle', 'Comfortable shoes'];
  if (typeof rain === 'number' && rain >= cfg.rainThreshold) tips.push('Waterproof jacket', 'Dry bag for your phone');
  if (typeof tMax === 'number' && tMax >= 25) tips.push('Sunscreen', 'Hat', 'Extra water');
  if (typeof tMin === 'number' && tMin <= 10) tips.push('Warm layers', 'Gloves');
  if (typeof wind === 'number' && wind >= 30) tips.push('Windbreaker');
  const contingency = typeof rain === 'number' && rain >= cfg.rainThreshold
    ? 'Rain is likely. Tours run in light rain; if conditions are unsafe we will contact you to reschedule or refund.'
    : typeof wind === 'number' && wind >= 40 ? 'Strong wind is forecast; on-water tours may move to a sheltered route.' : 'The forecast looks good. See you there!';
  const forecast = { temperature_max: tMax ?? null, temperature_min: tMin ?? null, precipitation_probability: rain ?? null, wind_speed_max: wind ?? null };
  return { json: { ...booking, forecast, packing_tips: tips, contingency, templateDecision: { decision: 'pre_trip.tips', decidedByKind: 'rule', decidedById: 'pre-trip-rules', bookingId: booking.id, summary: { forecast, tips: tips.length } } }, pairedItem: { item: i } };
});`, [1100, 0]);
	klaviyoEvent(f, 'Pre-trip event', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ forecast: $json.forecast, packing_tips: $json.packing_tips, contingency: $json.contingency }) }}', [1320, 0], { uniqueId: '={{ $json.id }}:pre_trip:{{ $now.toISODate() }}', includeAiAttributes: false, phoneCountry: true });
	f.chain('Schedule', 'Config', 'Upcoming bookings', 'Only confirmed', 'Weather forecast', 'Packing tips', 'Pre-trip event');
	audit(f, [1580, 0], ['Packing tips', 'Pre-trip event']);
	return f;
}

function lapsed() {
	const f = new Flow({ id: 'PeekProAiLaps001', file: 'lapsed-customer-reactivation.json', name: 'PeekPro AI · Lapsed customer reactivation', flow: 'lapsed-customer-reactivation', description: 'daily → customers with no booking in 12+ months → most likely activity → Klaviyo list + "We Miss You" event' });
	notes(f, {
		about: 'Daily → Peek Pro bookings over `lookbackMonths` → customers whose last booking is `lapsedMonths` (12) or more ago → **AI Scorer · Next Best Activity** (the activity most likely to bring them back) → added to the Klaviyo reactivation list, and a **We Miss You** event with the recommendation.',
		configure: '- **Config**: `shadowMode`, `lapsedMonths`, `lookbackMonths`, `reactivationListId` (the Klaviyo list id, e.g. from the list\'s URL), `metricName`.\n- Klaviyo: a flow on the metric (or "added to list") using `event.ai_next_best_activity`.',
	}, [-400, -460]);
	schedule(f, { field: 'days', daysInterval: 1, triggerAtHour: 9 }, [0, 0]);
	config(f, { shadowMode: true, lapsedMonths: 12, lookbackMonths: 36, reactivationListId: 'WeMissYou', metricName: 'We Miss You' }, [220, 0]);
	peekCatalogue(f, [440, 0]);
	peekBookings(f, 'Booking history', { searchBy: 'purchaseDate', start: `={{ $now.minus({ months: ${C}.lookbackMonths }).toISO() }}`, end: '={{ $now.toISO() }}' }, [660, 0], { executeOnce: true });
	code(f, 'Lapsed customers', CUSTOMER_HISTORIES('item.monthsSinceLast !== null && item.monthsSinceLast >= Number(cfg.lapsedMonths)'), [880, 0]);
	scorer(f, 'Most likely activity', 'nextBestActivity', { catalogue: '={{ JSON.stringify($json.catalogue) }}', coBookingHistory: '[]', topK: 1, options: { includeInput: true } }, [1100, 0]);
	klaviyoListAdd(f, 'Add to reactivation list', `={{ ${C}.reactivationListId }}`, [1340, -100]);
	klaviyoEvent(f, 'We miss you event', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ months_since_last_booking: $json.monthsSinceLast, last_activity: $json.activity && $json.activity.name }) }}', [1340, 100], { uniqueId: '={{ $json.id }}:we_miss_you' });
	f.chain('Schedule', 'Config', 'Activity catalogue', 'Booking history', 'Lapsed customers', 'Most likely activity');
	f.connect('Most likely activity', 'Add to reactivation list');
	f.connect('Most likely activity', 'We miss you event');
	audit(f, [1600, 0], ['Most likely activity', 'Add to reactivation list', 'We miss you event']);
	return f;
}

function segmentSync() {
	const f = new Flow({ id: 'PeekProAiSegm001', file: 'segment-sync.json', name: 'PeekPro AI · Segment sync', flow: 'segment-sync', description: 'weekly → booking history → segmentation → Klaviyo bulk profile import' });
	notes(f, {
		about: 'Weekly → Peek Pro bookings over `lookbackMonths` grouped per customer → **AI Scorer · Segment** (k-means over spend, frequency, party size, recency; named segments) → Klaviyo **bulk profile import** with `ai_segment`, `ai_segment_traits` (one job for up to 10,000 profiles).',
		configure: '- **Config**: `shadowMode`, `lookbackMonths`, `numberOfSegments`, `defaultPhoneCountry` (for guest phones typed without a country code; the booking\'s own country wins).\n- Klaviyo: build segments on `ai_segment` (profile property).\n- A guest whose phone cannot be read is imported without it (a `warnings` entry on the item); a row Klaviyo cannot take (bad email, no identifier) is left out with its reason and the rest are imported.',
	}, [-400, -460]);
	schedule(f, { field: 'weeks', weeksInterval: 1, triggerAtDay: [1], triggerAtHour: 6 }, [0, 0]);
	config(f, { shadowMode: true, lookbackMonths: 24, numberOfSegments: 4, defaultPhoneCountry: 'US' }, [220, 0]);
	peekBookings(f, 'Booking history', { searchBy: 'purchaseDate', start: `={{ $now.minus({ months: ${C}.lookbackMonths }).toISO() }}`, end: '={{ $now.toISO() }}' }, [440, 0]);
	code(f, 'Customer histories', CUSTOMER_HISTORIES(), [660, 0]);
	scorer(f, 'Segment customers', 'segment', { numberOfSegments: `={{ ${C}.numberOfSegments }}`, options: { includeInput: true } }, [880, 0]);
	f.add('Bulk import profiles', `${PKG}.klaviyo`, 1.1, {
		resource: 'profile',
		operation: 'bulkImport',
		specifyCustomProperties: 'json',
		customProperties: '={{ JSON.stringify({ ai_segment: $json.ai_segment, ai_segment_traits: $json.ai_segment_traits, ai_booking_count: $json.bookingCount }) }}',
		defaultPhoneCountry: `={{ ${C}.defaultPhoneCountry }}`,
		includeAiAttributes: true,
		waitForCompletion: false,
		shadowMode: `={{ ${C}.shadowMode }}`,
		options: {},
	}, [1100, 0], { credentials: CREDENTIALS.klaviyo });
	f.chain('Schedule', 'Config', 'Booking history', 'Customer histories', 'Segment customers', 'Bulk import profiles');
	audit(f, [1360, 0], ['Segment customers', 'Bulk import profiles']);
	return f;
}

function ecommerce() {
	const f = new Flow({ id: 'PeekProAiEcom001', file: 'ecommerce-next-best-action.json', name: 'PeekPro AI · eCommerce next best action', flow: 'ecommerce-next-best-action', description: 'Shopify orders/create + checkouts/update (or the generic eCommerce webhook) → LTV, abandonment, churn → Klaviyo ai_* + event, or Braze users/track' });
	notes(f, {
		about: 'Shopify **orders/create** and **checkouts/update** (n8n\'s Shopify Trigger), or any store posting to the **eCommerce Webhook** (`POST /webhook/peekpro-ai-ecommerce`, body = the Shopify order/checkout JSON, header `x-shopify-topic` or field `topic`) → repeats dropped (**Remove Duplicates**, keyed on the order id, history in n8n\'s database) → **AI Scorer** (reads the Shopify order itself: line items as list or object, money such as `"$298.71"`): lifetime value + churn risk (**Customer Value**) and **Cart Abandonment** → Klaviyo profile `ai_*` properties + **AI Next Best Action** event, and/or **Braze** `POST /users/track` (HTTP Request).\n\nThe Shopify Triggers ship **disabled**: on publish they register with `https://<shop>.myshopify.com`, which needs a real shop. Enable them (and a Shopify credential) when you connect your store; the webhook entry feeds the same path.',
		configure: '- **Config**: `shadowMode`, `sendToKlaviyo`, `sendToBraze`, `brazeRestEndpoint` (e.g. https://rest.iad-01.braze.com), `metricName`, `maxDiscountPercent`, `defaultPhoneCountry`.\n- An order is acted on once: **Skip repeated orders** remembers the last 10,000 order ids (clear it with the node\'s *Clear Deduplication History* operation). Orders seen in shadow mode count as seen.\n- Credentials: Shopify (on the two triggers), **Braze REST API key** (Header Auth: `Authorization: Bearer <key>`).',
	}, [-400, -620]);
	f.add('Shopify order created', 'n8n-nodes-base.shopifyTrigger', 1, { topic: 'orders/create', authentication: 'accessToken' }, [0, -220], { webhookId: uuid(`${f.id}:shopify-orders`), disabled: true, credentials: { shopifyAccessTokenApi: { id: 'PeekProAiShop001', name: 'Shopify account' } } });
	f.add('Shopify checkout updated', 'n8n-nodes-base.shopifyTrigger', 1, { topic: 'checkouts/update', authentication: 'accessToken' }, [0, 0], { webhookId: uuid(`${f.id}:shopify-checkouts`), disabled: true, credentials: { shopifyAccessTokenApi: { id: 'PeekProAiShop001', name: 'Shopify account' } } });
	f.add('eCommerce Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: 'peekpro-ai-ecommerce', responseMode: 'onReceived', options: {} }, [0, 220], { webhookId: uuid(`${f.id}:webhook`) });
	config(f, { shadowMode: true, sendToKlaviyo: true, sendToBraze: false, brazeRestEndpoint: 'https://rest.iad-01.braze.com', metricName: 'AI Next Best Action', maxDiscountPercent: 15, averageBookingValue: 120, defaultPhoneCountry: 'US' }, [240, 0]);
	// Shopify delivers an order more than once (retries, a relay, a replayed webhook). n8n's Remove
	// Duplicates keeps its history in the database, so the order is acted on once even across
	// restarts and queue-mode workers: one Klaviyo event path and at most one Braze call per order.
	// Checkouts are keyed on their update time too, so a checkout that changes is looked at again.
	f.add('Skip repeated orders', 'n8n-nodes-base.removeDuplicates', 2, {
		operation: 'removeItemsSeenInPreviousExecutions',
		logic: 'removeItemsWithAlreadySeenKeyValues',
		dedupeValue: "={{ (($json.body || $json).abandoned_checkout_url !== undefined || String(($json.body || $json).topic || ($json.headers || {})['x-shopify-topic'] || '').startsWith('checkouts')) ? 'checkout:' + (($json.body || $json).token || ($json.body || $json).id) + ':' + (($json.body || $json).updated_at || '') : 'order:' + ($json.body || $json).id }}",
		options: { scope: 'node', historySize: 10000 },
	}, [460, 0]);
	// The AI Scorer reads the Shopify order itself (Input = Shopify Order): line items as a list or an
	// object, money as "$298.71", through the pack's one number parser — no Code node copy of it.
	scorer(f, 'Lifetime value & churn', 'customerValue', { horizonDays: 365, averageBookingValue: `={{ ${C}.averageBookingValue }}`, options: { includeInput: true, input: 'shopifyOrder' } }, [680, 0]);
	scorer(f, 'Abandonment score', 'cartAbandonment', { maxDiscountPercent: `={{ ${C}.maxDiscountPercent }}`, options: { includeInput: true } }, [900, 0], { onError: 'continueRegularOutput' });
	ifNode(f, 'Send to Klaviyo?', `={{ ${C}.sendToKlaviyo }}`, 'true', '', [1120, -120]);
	ifNode(f, 'Send to Braze?', `={{ ${C}.sendToBraze }}`, 'true', '', [1120, 160]);
	klaviyoProfile(f, 'Profile ai_* properties', '={{ JSON.stringify({}) }}', [1360, -220], { phoneCountry: true });
	klaviyoEvent(f, 'Next best action event', `={{ ${C}.metricName }}`, '={{ JSON.stringify({ topic: $json.topic, kind: $json.kind, recovery_url: $json.recoveryUrl || null }) }}', [1360, -40], { uniqueId: '={{ $json.kind }}:{{ $json.id }}:{{ $json.topic }}', phoneCountry: true });
	code(f, 'Braze request', `// Braze POST /users/track body: ai_* as custom attributes, plus the event (≤ 50 objects per request).
const cfg = $('Config').first().json;
return $input.all().map((item, i) => {
  const { audit, templateDecision, ...j } = item.json;
  const external_id = j.customer && j.customer.id ? String(j.customer.id) : undefined;
  const ident = external_id ? { external_id } : { email: j.customer && j.customer.email };
  const ai = Object.fromEntries(Object.entries(j).filter(([k, v]) => k.startsWith('ai_') && v !== null && typeof v !== 'object'));
  const body = {
    attributes: [{ ...ident, ...ai }],
    events: [{ ...ident, name: cfg.metricName, time: new Date().toISOString(), properties: { topic: j.topic, kind: j.kind, ...ai } }],
  };
  const url = String(cfg.brazeRestEndpoint).replace(/\\/$/, '') + '/users/track';
  const redacted = JSON.parse(JSON.stringify(body).replace(/"email":"[^"]*"/g, '"email":"[EMAIL]"'));
  return { json: { ...j, brazeUrl: url, brazeBody: body, shadow: cfg.shadowMode !== false, templateDecision: { decision: 'braze.users_track', decidedByKind: 'rule', bookingId: j.id, result: cfg.shadowMode !== false ? 'shadow' : 'sent', sent: { vendor: 'braze', operation: 'users/track', request: { method: 'POST', url, body: redacted } }, shadow: cfg.shadowMode !== false } }, pairedItem: { item: i } };
});`, [1360, 160]);
	ifNode(f, 'Braze live?', `={{ ${C}.shadowMode }}`, 'equals', 'false', [1580, 160]);
	f.add('Braze users/track', 'n8n-nodes-base.httpRequest', 4.5, {
		method: 'POST',
		url: '={{ $json.brazeUrl }}',
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify($json.brazeBody) }}',
		options: {},
	}, [1800, 140], { credentials: CREDENTIALS.braze });
	for (const t of ['Shopify order created', 'Shopify checkout updated', 'eCommerce Webhook']) f.connect(t, 'Config');
	f.chain('Config', 'Skip repeated orders', 'Lifetime value & churn', 'Abandonment score');
	f.connect('Abandonment score', 'Send to Klaviyo?');
	f.connect('Abandonment score', 'Send to Braze?');
	f.connect('Send to Klaviyo?', 'Profile ai_* properties', 0);
	f.connect('Send to Klaviyo?', 'Next best action event', 0);
	f.connect('Send to Braze?', 'Braze request', 0);
	f.chain('Braze request', 'Braze live?');
	f.connect('Braze live?', 'Braze users/track', 0);
	audit(f, [2060, 0], ['Lifetime value & churn', 'Abandonment score', 'Profile ai_* properties', 'Next best action event', 'Braze request']);
	return f;
}

function churnWinBack() {
	const f = new Flow({ id: 'PeekProAiChrn001', file: 'churn-risk-win-back.json', name: 'PeekPro AI · Churn-risk win-back', flow: 'churn-risk-win-back', description: 'daily → churn scores → risk above 70 → Klaviyo "Win-back: High Risk" list with a personalized subject line, logged for weekly review' });
	notes(f, {
		about: 'Daily → Peek Pro bookings over `lookbackMonths` grouped per customer → **AI Scorer · Customer Value** (`ai_churn_risk` 0–100) → customers above `churnThreshold` (70) → a personalized subject line (**AI Scorer · Generate Content**, win-back; local rules by default, `subjectBackend: "llm"` for the OpenAI-compatible model) → Klaviyo profile `ai_winback_subject` + `ai_churn_risk`, and membership of the **Win-back: High Risk** list. Every decision lands in the audit Data Table: review it weekly (filter `flow = churn-risk-win-back`).',
		configure: '- **Config**: `shadowMode`, `churnThreshold`, `lookbackMonths`, `winbackListId` (id of your "Win-back: High Risk" list), `offer`, `subjectBackend` (`local` or `llm`).\n- Klaviyo: a flow "added to list Win-back: High Risk" using `person.ai_winback_subject` as the subject.',
	}, [-400, -460]);
	schedule(f, { field: 'days', daysInterval: 1, triggerAtHour: 7 }, [0, 0]);
	config(f, { shadowMode: true, churnThreshold: 70, lookbackMonths: 36, winbackListId: 'WinBackHighRisk', offer: '15% off your next adventure', subjectBackend: 'local', averageBookingValue: 120 }, [220, 0]);
	peekBookings(f, 'Booking history', { searchBy: 'purchaseDate', start: `={{ $now.minus({ months: ${C}.lookbackMonths }).toISO() }}`, end: '={{ $now.toISO() }}' }, [440, 0]);
	code(f, 'Customer histories', CUSTOMER_HISTORIES(), [660, 0]);
	scorer(f, 'Churn risk', 'customerValue', { horizonDays: 365, averageBookingValue: `={{ ${C}.averageBookingValue }}`, options: { includeInput: true } }, [880, 0]);
	f.add('Above threshold', 'n8n-nodes-base.filter', 2.3, {
		conditions: { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 3 }, conditions: [{ id: uuid('churn:gt'), leftValue: '={{ $json.ai_churn_risk }}', rightValue: `={{ ${C}.churnThreshold }}`, operator: { type: 'number', operation: 'gt' } }], combinator: 'and' },
		looseTypeValidation: true,
		options: {},
	}, [1100, 0]);
	f.add('Subject line', `${PKG}.aiScorer`, 1.1, {
		resource: 'text',
		operation: 'generateContent',
		flow: 'winBack',
		flowDescription: `={{ 'Offer: ' + ${C}.offer }}`,
		variants: 1,
		backend: `={{ ${C}.subjectBackend }}`,
		guardrails: { subjectMaxLength: 60 },
		llmModel: 'gpt-4o-mini',
		shadowMode: `={{ ${C}.shadowMode }}`,
		options: { includeInput: true },
	}, [1320, 0], { credentials: CREDENTIALS.openai });
	klaviyoProfile(f, 'Profile win-back properties', '={{ JSON.stringify({ ai_winback_subject: $json.ai_subject_line, ai_churn_risk: $json.ai_churn_risk }) }}', [1560, -100]);
	klaviyoListAdd(f, 'Add to Win-back: High Risk', `={{ ${C}.winbackListId }}`, [1560, 100]);
	f.chain('Schedule', 'Config', 'Booking history', 'Customer histories', 'Churn risk', 'Above threshold', 'Subject line');
	f.connect('Subject line', 'Profile win-back properties');
	f.connect('Subject line', 'Add to Win-back: High Risk');
	audit(f, [1820, 0], ['Churn risk', 'Profile win-back properties', 'Add to Win-back: High Risk']);
	return f;
}

function reconciliation() {
	const f = new Flow({ id: 'PeekProAiRecon01', file: 'peek-reconciliation.json', name: 'PeekPro AI · Reconciliation', flow: 'peek-reconciliation', description: 'schedule → Peek bookings changed since the last run → Remove Duplicates (booking id + revision) → each change forwarded once to the flows\' Peek Pro Trigger URLs' });
	notes(f, {
		about: 'Peek sends each webhook **once** and never redelivers, so a delivery lost on the way (n8n down, a network fault, Peek down during verification with the execution failing) is caught here. Every **30 minutes**: the bookings changed since the last run (Peek Pro **Booking → Get Changed Since**: purchased since the watermark, plus those with an activity from 1 day ago to 30 days ahead) → n8n\'s **Remove Duplicates** keyed on booking id + revision (Peek\'s `updatedAt`, or a hash of the fields that matter), so each change passes once → one delivery per change and flow, posted to the flows\' own **Peek Pro Trigger** URLs, which verify it against Peek like any delivery.\n\nThe watermark is kept in this workflow\'s static data and advanced only after Peek answered, with a 10-minute overlap. The first run only records what exists (nothing is forwarded).',
		configure: '- **Config**: `shadowMode` (on: nothing is forwarded, the would-be deliveries are audited), `flowWebhookUrls` (comma-separated production URLs of the flows\' Peek Pro Triggers: `<N8N_WEBHOOK_URL>/webhook/<webhook id>/webhook`), `overlapMinutes`, `firstRunHours`.\n- Flows whose trigger requires HMAC or a shared secret need the signature or token added to **Forward to flows**.\n- The trigger drops a forwarded change it already handled within its duplicate window; older repeats are filtered by Remove Duplicates here.',
	}, [-400, -460]);
	schedule(f, { field: 'minutes', minutesInterval: 30 }, [0, 0]);
	config(f, { shadowMode: true, flowWebhookUrls: '', overlapMinutes: 10, firstRunHours: 2 }, [220, 0]);
	code(f, 'Window', `// Since when to read: the last successful run (workflow static data) minus an overlap, so a booking
// changed while the last run was reading is read again (Remove Duplicates drops it if unchanged).
const cfg = $('Config').first().json;
const data = $getWorkflowStaticData('global');
const now = Date.now();
const overlap = (Number(cfg.overlapMinutes) || 10) * 60000;
const firstRun = !data.lastRun;
const sinceMs = firstRun ? now - (Number(cfg.firstRunHours) || 2) * 3600000 : Date.parse(data.lastRun) - overlap;
return [{ json: { since: new Date(sinceMs).toISOString(), until: new Date(now).toISOString(), firstRun }, pairedItem: { item: 0 } }];`, [440, 0]);
	f.add('Bookings changed since', `${PKG}.peekPro`, 1.1, { resource: 'booking', operation: 'getChanged', since: '={{ $json.since }}', changedOptions: {} }, [660, 0], { credentials: CREDENTIALS.peek, alwaysOutputData: true, retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 });
	f.add('Each change once', 'n8n-nodes-base.removeDuplicates', 2, {
		operation: 'removeItemsSeenInPreviousExecutions',
		logic: 'removeItemsWithAlreadySeenKeyValues',
		dedupeValue: "={{ $json.changeKey || 'no-change' }}",
		options: { scope: 'workflow', historySize: 10000 },
	}, [880, -100]);
	code(f, 'Deliveries', `// One delivery per changed booking and flow: the event Peek's record stands for and the booking id.
// The flows' triggers re-read the booking from Peek, so nothing here needs to be trusted.
const cfg = $('Config').first().json;
const { firstRun } = $('Window').first().json;
const urls = String(cfg.flowWebhookUrls || '').split(',').map((u) => u.trim()).filter(Boolean);
const out = [];
$input.all().forEach((item, i) => {
  const b = item.json;
  if (!b || !b.id || !b.changeKey) return;
  // First run: Remove Duplicates has now recorded what exists; forwarding it would replay history.
  if (firstRun) return;
  for (const url of urls) {
    out.push({ json: {
      url,
      body: { event: b.event, eventId: 'recon:' + b.changeKey, booking: { id: b.id }, reconciled: true },
      shadow: cfg.shadowMode !== false,
      templateDecision: { decision: 'reconcile.' + b.event, decidedByKind: 'rule', decidedById: 'peek-reconciliation', bookingId: b.id, summary: { event: b.event, revision: b.revision, foundBy: b.foundBy }, sent: { vendor: 'n8n', operation: 'forward', request: { url } }, result: cfg.shadowMode !== false ? 'shadow' : 'decided' },
    }, pairedItem: { item: i } });
  }
});
return out;`, [1100, -100]);
	ifNode(f, 'Live?', "={{ $('Config').first().json.shadowMode === false }}", 'true', '', [1320, -100]);
	f.add('Forward to flows', 'n8n-nodes-base.httpRequest', 4.5, {
		method: 'POST',
		url: '={{ $json.url }}',
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify($json.body) }}',
		options: {},
	}, [1540, -180], { retryOnFail: true, maxTries: 3, waitBetweenTries: 2000 });
	code(f, 'Advance watermark', `// Peek answered: the next run reads from here (minus the overlap). Not advanced when the read failed,
// so a failed run is read again next time.
const data = $getWorkflowStaticData('global');
data.lastRun = $('Window').first().json.until;
return [{ json: { lastRun: data.lastRun }, pairedItem: { item: 0 } }];`, [880, 140], { executeOnce: true });
	f.chain('Schedule', 'Config', 'Window', 'Bookings changed since');
	f.connect('Bookings changed since', 'Each change once');
	f.connect('Bookings changed since', 'Advance watermark');
	f.chain('Each change once', 'Deliveries', 'Live?');
	f.connect('Live?', 'Forward to flows', 0);
	audit(f, [1760, 0], ['Deliveries']);
	return f;
}

function errorHandler() {
	const f = new Flow({ id: ERROR_WORKFLOW_ID, file: 'error-handler.json', name: 'PeekPro AI · Error handler', flow: 'error-handler', description: 'Error Trigger → audit row with result "failed" and the reason' });
	f.sticky('About this flow', '## PeekPro AI · Error handler\nEvery template names this workflow as its **error workflow** (Settings → Error workflow). When an execution fails, the failure is written to the audit Data Table `peekpro_ai_audit` with `result = failed`, the failing node and the error message (redacted: emails, phones and names become tokens), so the weekly review sees failures next to decisions.\n\n**Publish this workflow**: n8n runs an error workflow only when it is published. Imported with `n8n import:workflow`, its id `PeekProAiErrHndl` is kept and every template finds it; imported through the editor, it gets a new id: pick it again in each template (Settings → Error workflow).\n\nAdd a Slack / email node after **Audit row** to be paged.', [-400, -360], 520, 300, 5);
	f.add('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, {}, [0, 0]);
	// The failure's message is redacted (emails, phones, names) and capped; the payload's stack and
	// context, which can quote a whole item, are not stored.
	f.add('Audit row', `${PKG}.auditRow`, 1, { operation: 'fromFailure', flow: 'error-handler' }, [220, 0]);
	f.connect('Error Trigger', 'Audit row');
	auditTail(f, 'Audit row', [440, 0]);
	return f;
}

// Shared with the flow modules under scripts/templates/.
export { Flow, uuid, config, setFields, code, ifNode, audit, auditTail, peekTrigger, schedule, peekBookings, scorer, notes, PKG, C, AUDIT_TABLE };

// Builders in scripts/templates/ may also take the shared pieces as an argument (campaign attribution does).

export const BUILDERS = [postBookingUpsell, abandonedCart, postTrip, welcomeBack, preTrip, lapsed, segmentSync, ecommerce, churnWinBack, reconciliation, waitlistSpotFill, noShowRiskScan, guideCalendarSync, guideAvailabilityBackSync, campaignAttribution, errorHandler, recoverCrashedExecutions];

/**
 * Why each remaining Code node is one: n8n's own nodes do the rest. A flow module can say why with
 * `code(f, name, js, position, { why: '...' })`; these are the shipped templates' reasons.
 */
const WHY_CODE = {
	'Scoring input': 'joins the booking (Config) with the items of two other nodes (guest history, catalogue) into one item with derived arrays (bookings, booked activity ids, previous booking); a Merge + Aggregate + Edit Fields chain would take four nodes and still not derive the previous booking.',
	'Holdout split': 'the A/B split needs a stable hash of the email (FNV-1a), so the same guest always lands in the same group; n8n expressions have no hash function.',
	'Customer histories': 'groups bookings per customer and builds, per group, a sorted history array with sums and months since the last booking; Summarize can count and sum per group but not build the sorted arrays the scorers read.',
	'Lapsed customers': 'groups bookings per customer and keeps those whose last booking is older than Config.lapsedMonths, with the sorted history the scorer reads; Summarize cannot build the arrays.',
	'Packing tips': 'rules over the forecast response (rain, wind, temperature bands per activity type) producing lists of tips; as If/Switch nodes the rule table would be a dozen nodes.',
	'Braze request': 'builds the Braze users/track body (attributes and events arrays from every ai_* field) and its redacted copy for the audit; Edit Fields cannot iterate over field names.',
	'Content context': 'writes the copy context as one sentence list from optional parts (previous activity and guide, complementary tours, offer).',
	'Shadow: no approval email': 'shapes the shadow-mode item like the approval path\'s (content + approved = false) so both paths meet at one If.',
	'Approval decision': 'joins the reviewer\'s answer (send-and-wait outputs only the answer) with the draft it answered, read from an earlier node.',
	Window: 'reads the watermark from workflow static data ($getWorkflowStaticData), which only a Code node can reach.',
	Deliveries: 'one delivery per changed booking and configured flow URL (a cross product) and nothing on the first run, read from Window.',
	'Advance watermark': 'writes the watermark to workflow static data, which only a Code node can reach.',
};

function explainCodeNodes(f) {
	const codeNodes = f.nodes.filter((n) => n.type === 'n8n-nodes-base.code');
	if (!codeNodes.length) return;
	const lines = codeNodes.map((n) => `- **${n.name}**: ${f.codeWhy?.[n.name] ?? WHY_CODE[n.name] ?? 'no reason recorded (scripts/generate-templates.mjs WHY_CODE).'}`);
	f.sticky('Why Code nodes', `## Why ${codeNodes.length === 1 ? 'a Code node' : 'Code nodes'}\nEverything else is n8n's own nodes.\n${lines.join('\n')}`, [1220, -460], 520, 340, 7);
}

export function buildAll() {
	return BUILDERS.map((b) => {
		const f = b();
		explainCodeNodes(f);
		const webhookStarted = f.nodes.some((n) => n.webhookId && !n.disabled && /peekProTrigger|webhook$/.test(n.type));
		// n8n runs an error workflow only when it is published.
		const wf = f.toJSON({ publishInDemo: webhookStarted || f.id === ERROR_WORKFLOW_ID });
		if (f.id === ERROR_WORKFLOW_ID) delete wf.settings.errorWorkflow;
		return { file: f.file, workflow: wf };
	});
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	mkdirSync(outDir, { recursive: true });
	for (const { file, workflow } of buildAll()) {
		writeFileSync(join(outDir, file), `${JSON.stringify(workflow, null, '\t')}\n`);
		process.stdout.write(`wrote workflows/${file} (${workflow.nodes.length} nodes)\n`);
	}
}
