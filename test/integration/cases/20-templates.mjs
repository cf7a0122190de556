// The marketing templates (workflows/*.json) in the real n8n: each one imported, run end to end
// (webhook-started ones through their production URL with a Peek-shaped delivery, scheduled ones
// through the editor's "Execute workflow"), with Peek Pro, Klaviyo, the LLM, SMTP, weather and Braze
// on loopback fakes. Each test asserts what the template sent where; with shadowMode on (as shipped)
// that nothing reached Klaviyo and the output holds the would-be request. Every Klaviyo request the
// fake recorded is validated against the official OpenAPI spec in test/contracts/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

import { projectRoot } from '../../harness/n8n.mjs';
import { samplePeekBooking, sampleDelivery } from '../../fakes/peek.mjs';

const require = createRequire(join(projectRoot, 'package.json'));
const { parse: parseFlatted } = require('flatted');

const PKG = 'n8n-nodes-peekpro-ai';
const ERROR_WORKFLOW_ID = 'PeekProAiErrHndl';
const ID = {
	upsell: 'PeekProAiUpsel01',
	cart: 'PeekProAiCart001',
	trip: 'PeekProAiTrip001',
	welcome: 'PeekProAiWelc001',
	preTrip: 'PeekProAiPreT001',
	lapsed: 'PeekProAiLaps001',
	segment: 'PeekProAiSegm001',
	ecommerce: 'PeekProAiEcom001',
	churn: 'PeekProAiChrn001',
};
const PINNED = {
	'n8n-nodes-base.webhook': [2, 2.1],
	'n8n-nodes-base.scheduleTrigger': [1.2, 1.4],
	'n8n-nodes-base.set': [3.4, 3.5],
	'n8n-nodes-base.code': [2],
	'n8n-nodes-base.if': [2.2, 2.3],
	'n8n-nodes-base.switch': [3.2, 3.4],
	'n8n-nodes-base.filter': [2.2, 2.3],
	'n8n-nodes-base.httpRequest': [4.2, 4.5],
	'n8n-nodes-base.wait': [1.1],
	'n8n-nodes-base.dataTable': [1.1],
	'n8n-nodes-base.merge': [3.2],
	'n8n-nodes-base.emailSend': [2.1],
	'n8n-nodes-base.errorTrigger': [1],
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.shopifyTrigger': [1],
};
const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();

// ---------------------------------------------------------------- Klaviyo contract validation

let klaviyoValidators;
/** Ajv validators for every request body in the spec subset, keyed "METHOD /path" (CONTRACTS README recipe). */
export function klaviyoValidator() {
	if (klaviyoValidators) return klaviyoValidators;
	const Ajv = require('ajv');
	const addFormats = require('ajv-formats');
	const specFile = join(projectRoot, 'test', 'contracts', 'klaviyo-openapi-subset.json');
	const spec = JSON.parse(readFileSync(specFile, 'utf8'));
	const fix = (node) => {
		if (Array.isArray(node)) return node.map(fix);
		if (!node || typeof node !== 'object') return node;
		const out = {};
		for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'nullable') out[k] = fix(v);
		if (node.nullable === true) {
			if (typeof out.type === 'string') out.type = [out.type, 'null'];
			else return { anyOf: [out, { type: 'null' }] };
		}
		return out;
	};
	const components = fix(spec.components);
	const ajv = new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addSchema({ $id: 'klaviyo', components });
	klaviyoValidators = [];
	for (const [path, ops] of Object.entries(spec.paths)) {
		for (const [method, op] of Object.entries(ops)) {
			const schema = op?.requestBody?.content?.['application/vnd.api+json']?.schema;
			if (!schema) continue;
			const rewritten = JSON.parse(JSON.stringify(fix(schema)).replaceAll('"#/components/', '"klaviyo#/components/'));
			const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
			klaviyoValidators.push({ method: method.toUpperCase(), re, path, validate: ajv.compile(rewritten) });
		}
	}
	return klaviyoValidators;
}

function assertKlaviyoRequestsValid(requests) {
	for (const r of requests) {
		assert.notEqual(r.valid, false, `the Klaviyo fake found ${r.method} ${r.path} invalid: ${JSON.stringify(r.errors)}`);
		if (r.method === 'GET' || r.method === 'DELETE' && !r.body) continue;
		const path = r.path.split('?')[0];
		const v = klaviyoValidator().find((x) => x.method === r.method && x.re.test(path));
		assert.ok(v, `Klaviyo fake recorded ${r.method} ${path}, which is not an operation of the spec subset`);
		const ok = v.validate(r.body);
		assert.ok(ok, `${r.method} ${path} body is not valid against Klaviyo's spec: ${JSON.stringify(v.validate.errors?.slice(0, 3))}\n${JSON.stringify(r.body).slice(0, 800)}`);
		assert.match(String(r.headers?.revision ?? ''), /^\d{4}-\d{2}-\d{2}/, `${r.method} ${path} has no revision header`);
	}
}

// ---------------------------------------------------------------- helpers

function eventsFor(requests, metric) {
	return requests.filter((r) => r.method === 'POST' && /\/api\/events\/?$/.test(r.path) && r.body?.data?.attributes?.metric?.data?.attributes?.name === metric);
}

function bulkEvents(requests, metric) {
	// The Klaviyo node may batch: count bulk-job events too.
	const out = [];
	for (const r of requests.filter((x) => x.method === 'POST' && /event-bulk-create-jobs/.test(x.path))) {
		for (const entry of r.body?.data?.attributes?.['events-bulk-create']?.data ?? []) {
			for (const e of entry.attributes?.events?.data ?? []) {
				if (e.attributes?.metric?.data?.attributes?.name === metric) out.push({ profile: entry.attributes.profile.data.attributes, attributes: e.attributes });
			}
		}
	}
	return out;
}

/** Every Klaviyo event with `metric`, single or bulk, as {profile, attributes}. */
export function klaviyoEvents(fakes, metric) {
	return [
		...eventsFor(fakes.klaviyo.requests, metric).map((r) => ({ profile: r.body.data.attributes.profile.data.attributes, attributes: r.body.data.attributes })),
		...bulkEvents(fakes.klaviyo.requests, metric),
	];
}

function profileImports(fakes) {
	return fakes.klaviyo.requests.filter((r) => r.method === 'POST' && /\/api\/profile-import\/?$/.test(r.path)).map((r) => r.body.data.attributes);
}

function listAdds(fakes, listId) {
	return fakes.klaviyo.requests.filter((r) => r.method === 'POST' && r.path.includes(`/api/lists/${listId}/relationships/profiles`));
}

export async function workflow(host, id) {
	return await host.rest('GET', `/rest/workflows/${id}`);
}

/** Changes Config values of a stored workflow through the REST API, as an operator edits the Config node. */
export async function setConfig(host, id, values) {
	const wf = await workflow(host, id);
	const config = wf.nodes.find((n) => n.name === 'Config');
	for (const a of config.parameters.assignments.assignments) if (a.name in values) a.value = values[a.name];
	return await host.rest('PATCH', `/rest/workflows/${id}`, { nodes: wf.nodes, connections: wf.connections, versionId: wf.versionId, name: wf.name, settings: wf.settings });
}

/**
 * Publishes the workflow's latest version. n8n swaps webhook registrations just after the REST call
 * returns, so wait until the published version is the latest draft, then a moment for the swap.
 */
export async function publish(host, id) {
	try {
		await host.deactivate(id);
	} catch {
		/* not active */
	}
	await host.activate(id);
	const t0 = Date.now();
	for (;;) {
		const wf = await workflow(host, id);
		if ((wf.active && (wf.activeVersionId === undefined || wf.activeVersionId === wf.versionId)) || Date.now() - t0 > 10_000) break;
		await new Promise((r) => setTimeout(r, 200));
	}
	await new Promise((r) => setTimeout(r, 1000));
}

/** The run used the Config values the test set (not a version published before). */
function assertConfig(run, values) {
	const config = run.nodes.Config?.[0] ?? {};
	for (const [k, v] of Object.entries(values)) assert.deepEqual(config[k], v, `the execution ran with Config.${k} = ${JSON.stringify(config[k])}, not ${JSON.stringify(v)}`);
}

export function webhookUrl(host, wf) {
	const trigger = wf.nodes.find((n) => n.type === `${PKG}.peekProTrigger`);
	return `${host.baseUrl}/webhook/${trigger.webhookId}/webhook`;
}

/**
 * POSTs to a production webhook URL. Publishing registers webhooks just after the REST call returns,
 * so a 404 (which starts nothing) is retried for a few seconds.
 */
export async function postWebhook(url, body, headers = {}) {
	const t0 = Date.now();
	for (;;) {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
		const text = await res.text();
		if (res.status !== 404 || Date.now() - t0 > 15_000) return { status: res.status, text };
		await new Promise((r) => setTimeout(r, 250));
	}
}

export async function deliver(host, wf, body) {
	const { status, text } = await postWebhook(webhookUrl(host, wf), body);
	assert.equal(status, 200, `delivery to ${wf.name} answered ${status}: ${text.slice(0, 300)}`);
	return text;
}

/** Execution run data: node name → array of output items' json (first output, all runs). */
async function runData(host, executionId) {
	const exec = await host.execution(executionId);
	const data = typeof exec.data === 'string' ? parseFlatted(exec.data) : exec.data;
	const out = {};
	for (const [node, runs] of Object.entries(data?.resultData?.runData ?? {})) {
		out[node] = runs.flatMap((r) => (r.data?.main ?? []).flatMap((o) => (o ?? []).map((i) => i.json)));
	}
	return { exec, data, nodes: out, error: data?.resultData?.error };
}

/** Waits for the next finished execution of `id` after `before` executions; asserts it succeeded. */
export async function nextExecution(host, id, before, { timeoutMs = 45_000, status = 'success' } = {}) {
	let finished;
	try {
		finished = await host.waitForExecutions(id, before + 1, { timeoutMs });
	} catch (error) {
		// Say where the unfinished execution stands, not only that it did not finish.
		const all = await host.executions(id);
		const latest = all.sort((a, b) => Number(b.id) - Number(a.id))[0];
		const rd = latest ? await runData(host, latest.id).catch(() => undefined) : undefined;
		const ran = rd ? Object.keys(rd.nodes).join(' → ') : '';
		throw new Error(`${error.message}; latest ${latest?.id} is ${latest?.status}, ran: ${ran}; error: ${rd?.error?.message ?? 'none'}`);
	}
	const latest = finished.sort((a, b) => Number(b.id) - Number(a.id))[0];
	const rd = await runData(host, latest.id);
	if (status) assert.equal(latest.status, status, `execution ${latest.id} of ${id} ended ${latest.status}: ${rd.error?.message ?? ''} ${rd.error?.node?.name ?? ''}`);
	return { ...rd, id: latest.id };
}

export async function finishedCount(host, id) {
	const list = await host.executions(id);
	return list.filter((e) => e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status)).length;
}

/** Runs a scheduled template the way the editor's "Execute workflow" does, and waits for it. */
export async function runScheduled(host, id) {
	const before = await finishedCount(host, id);
	// As the editor's "Execute workflow" button: n8n 2.x needs the trigger to start from.
	const wf = await workflow(host, id);
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
	const started = await host.rest('POST', `/rest/workflows/${id}/run`, { workflowData: wf, triggerToStartFrom: { name: trigger.name } });
	const executionId = started?.executionId ?? started?.data?.executionId;
	if (executionId) {
		const t0 = Date.now();
		for (;;) {
			const exec = await host.execution(executionId).catch(() => undefined);
			if (exec && (exec.finished || ['success', 'error', 'crashed', 'canceled'].includes(exec.status))) break;
			if (Date.now() - t0 > 60_000) throw new Error(`manual run ${executionId} of ${id} did not finish`);
			await new Promise((r) => setTimeout(r, 250));
		}
		const rd = await runData(host, executionId);
		assert.equal(rd.exec.status, 'success', `manual run of ${id} ended ${rd.exec.status}: ${rd.error?.message ?? ''} (node ${rd.error?.node?.name ?? '?'})`);
		return { ...rd, id: executionId };
	}
	return await nextExecution(host, id, before);
}

async function auditRows(host, flow, executionId) {
	const rows = await host.dataTableRows('peekpro_ai_audit');
	return rows.filter((r) => r.flow === flow && (!executionId || String(r.executionId) === String(executionId)));
}

export function stringify(v) {
	return JSON.stringify(v ?? null);
}

// ---------------------------------------------------------------- Peek seed data

const PRODUCTS = [
	{ id: 'p_kayak', name: 'Sunset Kayak Tour', type: 'kayaking', location: 'Lake Tahoe', tags: ['water', 'sunset', 'paddle'], price: { amount: 120, currency: 'USD' } },
	{ id: 'p_sup', name: 'Paddleboard Yoga', type: 'paddleboarding', location: 'Lake Tahoe', tags: ['water', 'paddle', 'wellness'], price: { amount: 80, currency: 'USD' } },
	{ id: 'p_hike', name: 'Ridge Hike', type: 'hiking', location: 'Lake Tahoe', tags: ['mountain', 'views'], price: { amount: 60, currency: 'USD' } },
	{ id: 'p_ebike', name: 'E-Bike Wine Tour', type: 'cycling', location: 'Napa', tags: ['wine', 'bike'], price: { amount: 150, currency: 'USD' } },
];

function booking(id, { email, first = 'Ada', last = 'Lovelace', product = PRODUCTS[0], purchasedAt, startTime, status = 'confirmed', checkedIn = false, extra = {} }) {
	return samplePeekBooking({
		id,
		displayId: `BKG-${id}`,
		status,
		checkedIn,
		purchaser: { name: `${first} ${last}`, email, phone: '+15555550100', optinMarketing: true, optinSms: false },
		product: { id: product.id, name: product.name, type: product.type },
		startTime,
		endTime: startTime,
		purchasedAt,
		...extra,
	});
}

function seedPeek(peek) {
	const now = Date.now();
	for (const p of PRODUCTS) peek.products.set(p.id, p);
	const add = (b) => peek.bookings.set(b.id, b);
	// A guest with one earlier booking (welcome back) and lapsed/churning customers for the schedules.
	add(booking('tpl_wb_prev', { email: 'grace@example.com', first: 'Grace', last: 'Hopper', product: PRODUCTS[2], purchasedAt: iso(now - 200 * DAY), startTime: iso(now - 190 * DAY), extra: { guides: [{ id: 'gd_1', name: 'Sam Guide' }] } }));
	add(booking('tpl_lapsed_1', { email: 'old.friend@example.com', first: 'Olive', last: 'Friend', product: PRODUCTS[0], purchasedAt: iso(now - 500 * DAY), startTime: iso(now - 490 * DAY) }));
	add(booking('tpl_lapsed_2', { email: 'older.friend@example.com', first: 'Otto', last: 'Older', product: PRODUCTS[2], purchasedAt: iso(now - 700 * DAY), startTime: iso(now - 690 * DAY) }));
	add(booking('tpl_recent_1', { email: 'regular@example.com', first: 'Rita', last: 'Regular', product: PRODUCTS[1], purchasedAt: iso(now - 20 * DAY), startTime: iso(now - 10 * DAY) }));
	add(booking('tpl_recent_2', { email: 'regular@example.com', first: 'Rita', last: 'Regular', product: PRODUCTS[0], purchasedAt: iso(now - 90 * DAY), startTime: iso(now - 80 * DAY) }));
	// Booked often, then went quiet after a bad trip: the churn-risk template's high-risk customer.
	for (let k = 0; k < 4; k++) {
		add(booking(`tpl_quiet_${k}`, { email: 'gone.quiet@example.com', first: 'Quinn', last: 'Quiet', product: PRODUCTS[k % 3], purchasedAt: iso(now - (1000 - k * 20) * DAY), startTime: iso(now - (995 - k * 20) * DAY), extra: k === 3 ? { surveyScore: 1, reviewText: 'Terrible, rude guide, cold and wet, never again' } : {} }));
	}
	add(booking('tpl_soon_1', { email: 'soon@example.com', first: 'Sunny', last: 'Soon', product: PRODUCTS[0], purchasedAt: iso(now - 5 * DAY), startTime: iso(now + 24 * 3600_000) }));
}

function addBooking(peek, id, opts) {
	const b = booking(id, { purchasedAt: iso(Date.now() - 60_000), startTime: iso(Date.now() + 10 * DAY), ...opts });
	peek.bookings.set(id, b);
	return b;
}

// ---------------------------------------------------------------- tests

export async function register(getEnv) {
	const ready = () => {
		const env = getEnv();
		for (const name of ['peek', 'klaviyo']) assert.ok(env.fakes[name], `the ${name} fake (test/fakes/${name}.mjs) is missing: templates cannot run end to end without it`);
		return env;
	};

	test('templates: every shipped template follows the template decisions', async () => {
		const { templates, host } = getEnv();
		const shipped = templates.filter((t) => t.isTemplate);
		assert.ok(shipped.length >= 10, `expected 9 templates and the error handler, found ${shipped.length}`);
		assert.ok(shipped.some((t) => t.id === ERROR_WORKFLOW_ID), 'workflows/error-handler.json is missing');
		for (const { workflow: wf, file } of shipped) {
			assert.match(wf.id, /^[A-Za-z0-9]{16}$/, `${file}: id must be 16 characters`);
			assert.equal(wf.settings.executionOrder, 'v1', `${file}: executionOrder`);
			const dataTables = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable');
			assert.ok(dataTables.some((d) => d.parameters.operation === 'insert' && d.parameters.dataTableId?.value === 'peekpro_ai_audit'), `${file}: no Data Table insert for the audit`);
			// Importable as it is: the first run creates the audit table (Table → Create, reusing an existing one).
			assert.ok(dataTables.some((d) => d.parameters.resource === 'table' && d.parameters.tableName === 'peekpro_ai_audit' && d.parameters.options?.createIfNotExists === true), `${file}: the first run must create the audit table`);
			for (const d of dataTables) if (d.parameters.resource !== 'table') assert.equal(d.parameters.dataTableId?.mode, 'name', `${file}: ${d.name} names its table (ids differ per instance)`);
			assert.ok(wf.nodes.some((n) => n.type === `${PKG}.auditRow`), `${file}: the audit row is the pack's Audit Row node (one definition)`);
			for (const n of wf.nodes) {
				if (PINNED[n.type]) assert.ok(PINNED[n.type].includes(n.typeVersion), `${file}: ${n.name} ${n.type}@${n.typeVersion} is not a pinned version`);
				for (const [type, ref] of Object.entries(n.credentials ?? {})) assert.ok(ref.id && ref.name, `${file}: ${n.name} credential ${type} needs a stable id and name`);
				if (/peekProTrigger$|\.webhook$|shopifyTrigger$/.test(n.type)) assert.match(n.webhookId ?? '', /^[0-9a-f-]{36}$/, `${file}: ${n.name} needs a stable webhookId`);
			}
			if (wf.id === ERROR_WORKFLOW_ID) continue;
			assert.equal(wf.settings.errorWorkflow, ERROR_WORKFLOW_ID, `${file}: errorWorkflow`);
			const config = wf.nodes.find((n) => n.name === 'Config');
			assert.ok(config, `${file}: no Config node`);
			const shadow = config.parameters.assignments.assignments.find((a) => a.name === 'shadowMode');
			assert.equal(shadow?.value, true, `${file}: shadowMode must default to true`);
			const triggers = wf.nodes.filter((n) => /trigger|webhook/i.test(n.type) && !n.disabled);
			for (const t of triggers) assert.ok(wf.connections[t.name]?.main?.[0]?.some((c) => c.node === 'Config'), `${file}: Config must come right after ${t.name}`);
			const notes = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => n.parameters.content).join('\n');
			assert.match(notes, /shadow/i);
			assert.match(notes, /assisted/i);
			assert.match(notes, /autonomous/i);
			assert.match(notes, /configure/i);
			assert.ok(wf.nodes.some((n) => n.type.startsWith(`${PKG}.`)), `${file}: uses none of the pack's nodes`);
			const stored = await workflow(host, wf.id);
			assert.equal(stored.nodes.length, wf.nodes.length, `${file}: stored workflow differs from the file`);
		}
	});

	test('templates: seed the Peek sandbox', async () => {
		const { fakes } = ready();
		seedPeek(fakes.peek);
	});

	test('template post-booking upsell: shadow sends nothing, live sends ai_* profile and "Activity Booked" with recommendations; holdout gets the generic event', { timeout: 180_000 }, async () => {
		const { host, fakes } = ready();
		const wf = await workflow(host, ID.upsell);
		await publish(host, ID.upsell);
		// Shadow (as shipped).
		addBooking(fakes.peek, 'tpl_up_1', { email: 'ada.upsell@example.com', product: PRODUCTS[0] });
		let before = await finishedCount(host, ID.upsell);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_up_1', event: 'booking.created' }));
		let run = await nextExecution(host, ID.upsell, before);
		const sentInShadow = fakes.klaviyo.requests.filter((r) => r.method !== 'GET');
		assert.equal(sentInShadow.length, 0, `shadow mode sent to Klaviyo: ${sentInShadow.map((r) => r.path).join(', ')}`);
		const wouldSend = [...(run.nodes['Event with recommendations'] ?? []), ...(run.nodes['Generic event (holdout)'] ?? [])];
		assert.ok(wouldSend.length >= 1, 'no Klaviyo node ran in shadow mode');
		assert.match(stringify(wouldSend), /Activity Booked/, 'the shadow output does not hold the would-be event request');
		assert.ok((run.nodes['Next best activity'] ?? [])[0]?.ai_next_best_activity, 'no next best activity was scored');
		const shadowRows = await auditRows(host, 'post-booking-upsell', run.id);
		assert.ok(shadowRows.length >= 2, `expected audit rows for the decision and the would-be send, got ${shadowRows.length}`);
		assert.ok(shadowRows.every((r) => r.shadow === true || r.shadow === 1), 'shadow audit rows must say shadow');

		// Live, treatment group (holdout share 0).
		await setConfig(host, ID.upsell, { shadowMode: false, holdoutShare: 0 });
		await publish(host, ID.upsell);
		addBooking(fakes.peek, 'tpl_up_2', { email: 'ada.live@example.com', product: PRODUCTS[0] });
		before = await finishedCount(host, ID.upsell);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_up_2', event: 'booking.created' }));
		run = await nextExecution(host, ID.upsell, before);
		assertConfig(run, { shadowMode: false, holdoutShare: 0 });
		const events = klaviyoEvents(fakes, 'Activity Booked').filter((e) => e.profile.email === 'ada.live@example.com');
		assert.equal(events.length, 1, 'one "Activity Booked" event for the booking');
		const props = events[0].attributes.properties;
		assert.equal(props.ab_group, 'treatment');
		assert.ok(Array.isArray(props.recommendations) && props.recommendations.length >= 1, 'the event carries the recommendations');
		assert.ok(props.ai_next_best_activity, 'the event carries ai_next_best_activity');
		assert.ok(events[0].attributes.unique_id, 'the event has a unique_id');
		const profiles = profileImports(fakes).filter((p) => p.email === 'ada.live@example.com');
		assert.ok(profiles.length >= 1, 'no profile import for the guest');
		assert.ok(Object.keys(profiles[0].properties ?? {}).some((k) => k.startsWith('ai_')), 'profile import carries ai_* properties');

		// Holdout group (share 1): generic event flagged for the A/B reading, no recommendations.
		await setConfig(host, ID.upsell, { shadowMode: false, holdoutShare: 1 });
		await publish(host, ID.upsell);
		addBooking(fakes.peek, 'tpl_up_3', { email: 'ada.holdout@example.com', product: PRODUCTS[0] });
		before = await finishedCount(host, ID.upsell);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_up_3', event: 'booking.created' }));
		assertConfig(await nextExecution(host, ID.upsell, before), { holdoutShare: 1 });
		const held = klaviyoEvents(fakes, 'Activity Booked').filter((e) => e.profile.email === 'ada.holdout@example.com');
		assert.equal(held.length, 1);
		assert.equal(held[0].attributes.properties.ab_group, 'holdout');
		assert.equal(held[0].attributes.properties.ai_holdout, true);
		assert.equal(held[0].attributes.properties.recommendations, undefined);
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
		await host.deactivate(ID.upsell);
	});

	test('template abandoned cart: pending booking waits, is re-read, scored with a capped incentive and sent; completion sends the success event', { timeout: 180_000 }, async () => {
		const { host, fakes } = ready();
		const wf = await workflow(host, ID.cart);
		await setConfig(host, ID.cart, { shadowMode: false, waitMinutes: 0.05, maxDiscountPercent: 10 });
		await publish(host, ID.cart);
		addBooking(fakes.peek, 'tpl_cart_1', { email: 'linus.cart@example.com', status: 'pending', product: PRODUCTS[1] });
		let before = await finishedCount(host, ID.cart);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_cart_1', event: 'booking.updated' }));
		const run = await nextExecution(host, ID.cart, before, { timeoutMs: 60_000 });
		assert.ok(run.nodes['Re-read booking']?.length, 'the booking was not re-read after the wait');
		const rereads = fakes.peek.requests.filter((r) => r.path === '/bookings/tpl_cart_1' && r.method === 'GET');
		assert.ok(rereads.length >= 2, 'the booking is fetched by the trigger and again after the wait');
		const recovery = klaviyoEvents(fakes, 'Cart Abandoned').filter((e) => e.profile.email === 'linus.cart@example.com');
		assert.equal(recovery.length, 1, 'one recovery event');
		const p = recovery[0].attributes.properties;
		const discount = Number(p.ai_recovery_discount_percent ?? p.ai_discount_percent ?? 0);
		assert.ok(discount <= 10, `discount ${discount} exceeds the configured cap`);
		assert.ok(Object.keys(p).some((k) => /abandon/.test(k) && k.startsWith('ai_')), 'the event carries the abandonment score');
		// The booking completes: the success event closes the loop.
		fakes.peek.bookings.get('tpl_cart_1').status = 'confirmed';
		before = await finishedCount(host, ID.cart);
		await deliver(host, wf, { ...sampleDelivery('peek_automation_api', { id: 'tpl_cart_1', event: 'booking.updated' }), id: 'evt_tpl_cart_1_completed' });
		await nextExecution(host, ID.cart, before);
		const success = klaviyoEvents(fakes, 'Cart Recovered').filter((e) => e.profile.email === 'linus.cart@example.com');
		assert.equal(success.length, 1, 'one success event');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
		await host.deactivate(ID.cart);
	});

	test('template post-trip: check-in with a survey score sends rebook ai_* properties and "Likely to Rebook"', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		const wf = await workflow(host, ID.trip);
		await setConfig(host, ID.trip, { shadowMode: false, rebookThreshold: 0.01 });
		await publish(host, ID.trip);
		addBooking(fakes.peek, 'tpl_trip_1', { email: 'rita.trip@example.com', checkedIn: true, purchasedAt: iso(Date.now() - 30 * DAY), startTime: iso(Date.now() - DAY), extra: { surveyScore: 10, reviewText: 'Amazing tour, great guide, loved it' } });
		const before = await finishedCount(host, ID.trip);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_trip_1', event: 'booking.checked_in' }));
		await nextExecution(host, ID.trip, before);
		const profiles = profileImports(fakes).filter((p) => p.email === 'rita.trip@example.com');
		assert.ok(profiles.length >= 1, 'no profile update');
		const props = profiles[0].properties ?? {};
		assert.ok('ai_rebook_probability' in props && 'ai_rebook_segment' in props, `profile lacks rebook properties: ${Object.keys(props).join(', ')}`);
		const events = klaviyoEvents(fakes, 'Likely to Rebook').filter((e) => e.profile.email === 'rita.trip@example.com');
		assert.equal(events.length, 1, 'one "Likely to Rebook" event');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
		await host.deactivate(ID.trip);
	});

	test('template welcome back: second booking → LLM draft → approval email → approve link → Klaviyo "Welcome Back"', { timeout: 180_000 }, async () => {
		const { host, fakes } = ready();
		const wf = await workflow(host, ID.welcome);
		await setConfig(host, ID.welcome, { shadowMode: false, reviewerEmail: 'reviewer@tours.test' });
		await publish(host, ID.welcome);
		addBooking(fakes.peek, 'tpl_wb_new', { email: 'grace@example.com', first: 'Grace', last: 'Hopper', product: PRODUCTS[0] });
		const before = await finishedCount(host, ID.welcome);
		fakes.smtp.reset();
		const llmSeen = fakes.openai.requests.length;
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_wb_new', event: 'booking.created' }));
		const mail = await fakes.smtp.waitFor((m) => m.to.includes('reviewer@tours.test'), 45_000);
		assert.match(mail.subject, /tpl_wb_new/, 'the approval email names the booking');
		assert.match(mail.body, /Ridge Hike/, 'the approval email shows the previous activity');
		assert.equal(klaviyoEvents(fakes, 'Welcome Back').length, 0, 'nothing goes to Klaviyo before approval');
		// The draft is one chat completion, made by the node itself through n8n's request helper: the
		// credential's bearer key, a JSON-schema response format, and no guest PII in the prompt.
		const drafts = fakes.openai.requests.slice(llmSeen).filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
		assert.equal(drafts.length, 1, 'one chat completion for the draft');
		assert.match(String(drafts[0].headers.authorization), /^Bearer \S+$/, 'the credential authenticates the call');
		assert.equal(drafts[0].body.response_format?.type, 'json_schema');
		assert.doesNotMatch(JSON.stringify(drafts[0].body.messages), /grace@example\.com|Hopper/, 'no guest PII in the prompt');
		const approve = mail.links.find((l) => /approved=true/.test(l));
		assert.ok(approve, `no approve link in the email: ${mail.links.join(', ')}`);
		// The email leaves before the execution is stored as waiting; the link answers 409 until then.
		let res;
		for (const t0 = Date.now(); ; ) {
			// A browser's user agent: n8n ignores approval clicks from bots and link previewers (Node's fetch counts as one).
			res = await fetch(approve.replace(/^https?:\/\/[^/]+/, host.baseUrl), { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' } });
			if (res.status !== 409 || Date.now() - t0 > 15_000) break;
			await new Promise((r) => setTimeout(r, 300));
		}
		assert.ok(res.status < 400, `approve link answered ${res.status}`);
		await nextExecution(host, ID.welcome, before, { timeoutMs: 45_000 });
		const events = klaviyoEvents(fakes, 'Welcome Back').filter((e) => e.profile.email === 'grace@example.com');
		assert.equal(events.length, 1, 'one "Welcome Back" event after approval');
		const p = events[0].attributes.properties;
		assert.ok(p.email_subject && p.email_body, 'the event carries the approved content');
		// The LLM fake's draft, not the template fallback: its answer was parsed and used.
		assert.equal(p.email_subject, 'A day to remember', 'the approved subject is the LLM draft');
		assert.equal(p.previous_activity, 'Ridge Hike');
		const rows = await auditRows(host, 'welcome-back');
		assert.ok(rows.some((r) => r.decidedByKind === 'human' && /approved/.test(r.decision)), 'the approval is in the audit table');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
		await host.deactivate(ID.welcome);
	});

	test('template pre-trip: bookings within 48 h get the forecast, packing tips and a "Pre-Trip Forecast" event', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		// Shadow first: the forecast is read, nothing reaches Klaviyo.
		const sentBefore = fakes.klaviyo.requests.length;
		let run = await runScheduled(host, ID.preTrip);
		assert.ok(fakes.weather.requests.some((r) => r.path === '/v1/forecast' && r.query.latitude), 'the forecast API was not called with coordinates');
		assert.equal(fakes.klaviyo.requests.length, sentBefore, 'shadow mode sent to Klaviyo');
		assert.match(stringify(run.nodes['Pre-trip event']), /Pre-Trip Forecast/);
		await setConfig(host, ID.preTrip, { shadowMode: false });
		run = await runScheduled(host, ID.preTrip);
		const events = klaviyoEvents(fakes, 'Pre-Trip Forecast').filter((e) => e.profile.email === 'soon@example.com');
		assert.equal(events.length, 1, 'one pre-trip event for the booking starting tomorrow');
		const p = events[0].attributes.properties;
		assert.ok(p.packing_tips.includes('Waterproof jacket'), 'rain in the forecast means a rain jacket');
		assert.match(p.contingency, /rain/i);
		assert.equal(p.forecast.precipitation_probability, 80);
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
	});

	test('template lapsed customers: 12+ months without a booking → reactivation list and "We Miss You"', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		await setConfig(host, ID.lapsed, { shadowMode: false, reactivationListId: 'WeMissYou' });
		await runScheduled(host, ID.lapsed);
		const events = klaviyoEvents(fakes, 'We Miss You');
		const emails = events.map((e) => e.profile.email);
		assert.ok(emails.includes('old.friend@example.com') && emails.includes('older.friend@example.com'), `lapsed customers missing: ${emails.join(', ')}`);
		assert.ok(!emails.includes('regular@example.com'), 'a recent customer was treated as lapsed');
		assert.ok(events.every((e) => e.attributes.properties.ai_next_best_activity), 'each event carries the most likely activity');
		assert.ok(listAdds(fakes, 'WeMissYou').length >= 1, 'nobody was added to the reactivation list');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
	});

	test('template segment sync: booking history → segments → one Klaviyo bulk profile import', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		await setConfig(host, ID.segment, { shadowMode: false, numberOfSegments: 2 });
		await runScheduled(host, ID.segment);
		const jobs = fakes.klaviyo.requests.filter((r) => r.method === 'POST' && /profile-bulk-import-jobs\/?$/.test(r.path));
		assert.ok(jobs.length >= 1, 'no bulk import job');
		const profiles = jobs.flatMap((j) => j.body.data.attributes.profiles.data);
		assert.ok(profiles.length >= 3, `expected the seeded customers, got ${profiles.length}`);
		assert.ok(profiles.every((p) => p.attributes.properties?.ai_segment), 'every imported profile carries ai_segment');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
	});

	test('template eCommerce next best action: webhook entry → scores → Klaviyo ai_* + event, and Braze users/track', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		// Shadow (as shipped, Braze on): the Braze body is built and audited, nothing is sent anywhere.
		await setConfig(host, ID.ecommerce, { sendToBraze: true });
		await publish(host, ID.ecommerce);
		const shadowOrder = { id: 1001, email: 'shadow.shopper@example.com', created_at: iso(Date.now()), currency: 'USD', total_price: '50.00', customer: { id: 42, email: 'shadow.shopper@example.com', orders_count: 1, total_spent: '50.00' }, line_items: [{ product_id: 1, title: 'Ridge Hike', quantity: 1, price: '50.00' }] };
		let before = await finishedCount(host, ID.ecommerce);
		assert.equal((await postWebhook(`${host.baseUrl}/webhook/peekpro-ai-ecommerce`, shadowOrder, { 'x-shopify-topic': 'orders/create' })).status, 200);
		const shadowRun = await nextExecution(host, ID.ecommerce, before);
		assert.equal(fakes.braze.requests.length, 0, 'shadow mode called Braze');
		assert.equal(klaviyoEvents(fakes, 'AI Next Best Action').filter((e) => e.profile.email === 'shadow.shopper@example.com').length, 0, 'shadow mode sent to Klaviyo');
		assert.equal(shadowRun.nodes['Braze users/track'], undefined, 'the Braze HTTP node ran in shadow mode');
		assert.match(stringify(shadowRun.nodes['Braze request']), /users\/track/, 'the would-be Braze request is in the output');
		assert.match(stringify(shadowRun.nodes['Next best action event']), /AI Next Best Action/, 'the would-be Klaviyo event is in the output');

		await setConfig(host, ID.ecommerce, { shadowMode: false, sendToKlaviyo: true, sendToBraze: true });
		await publish(host, ID.ecommerce);
		const order = {
			id: 820982911946154500, name: '#1001', email: 'shopper@example.com', created_at: iso(Date.now() - 3600_000), currency: 'USD', total_price: '199.00',
			customer: { id: 115310627314723950, email: 'shopper@example.com', first_name: 'Sho', last_name: 'Pper', orders_count: 3, total_spent: '420.00' },
			line_items: [{ product_id: 632910392, title: 'Sunset Kayak Tour', quantity: 2, price: '99.50', properties: [{ name: 'Tour date', value: iso(Date.now() + 5 * DAY) }] }],
		};
		before = await finishedCount(host, ID.ecommerce);
		const res = await postWebhook(`${host.baseUrl}/webhook/peekpro-ai-ecommerce`, order, { 'x-shopify-topic': 'orders/create' });
		assert.equal(res.status, 200, res.text);
		const liveRun = await nextExecution(host, ID.ecommerce, before);
		assertConfig(liveRun, { shadowMode: false, sendToBraze: true });
		const events = klaviyoEvents(fakes, 'AI Next Best Action').filter((e) => e.profile.email === 'shopper@example.com');
		assert.equal(events.length, 1, `one Klaviyo event; the node output: ${stringify(liveRun.nodes['Next best action event']).slice(0, 800)}`);
		assert.ok(Object.keys(events[0].attributes.properties).some((k) => k === 'ai_predicted_ltv' || k === 'ai_churn_risk'), 'the event carries LTV / churn');
		const profiles = profileImports(fakes).filter((p) => p.email === 'shopper@example.com');
		assert.ok(profiles.length >= 1 && 'ai_churn_risk' in (profiles[0].properties ?? {}), 'profile carries ai_churn_risk');
		const braze = fakes.braze.requests.filter((r) => r.method === 'POST' && r.path === '/users/track');
		assert.equal(braze.length, 1, 'one Braze users/track call');
		assert.equal(braze[0].headers.authorization, 'Bearer braze-test-key');
		assert.equal(braze[0].body.events[0].name, 'AI Next Best Action');
		assert.ok(braze[0].body.events[0].external_id || braze[0].body.events[0].email, 'the Braze event names the user');
		assert.ok(Object.keys(braze[0].body.attributes[0]).some((k) => k.startsWith('ai_')), 'Braze attributes carry ai_*');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
		await host.deactivate(ID.ecommerce);
	});

	test('template churn win-back: risk above 70 → "Win-back: High Risk" list with a personalized subject, logged', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		// Shadow (as shipped): scored and logged, nobody joins the list.
		const shadowRun = await runScheduled(host, ID.churn);
		assert.equal(listAdds(fakes, 'WinBackHighRisk').length, 0, 'shadow mode added profiles to the list');
		assert.ok((shadowRun.nodes['Add to Win-back: High Risk'] ?? []).length >= 1, 'the list node did not run in shadow mode');
		assert.match(stringify(shadowRun.nodes['Add to Win-back: High Risk']), /WinBackHighRisk/, 'the would-be list request is in the output');
		await setConfig(host, ID.churn, { shadowMode: false, winbackListId: 'WinBackHighRisk' });
		const run = await runScheduled(host, ID.churn);
		const scored = run.nodes['Churn risk'] ?? [];
		assert.ok(scored.length >= 3, 'customers were scored');
		const high = scored.filter((s) => s.ai_churn_risk > 70).map((s) => s.customer.email);
		assert.ok(high.length >= 1, `no customer above 70: ${scored.map((s) => `${s.customer.email}=${s.ai_churn_risk}`).join(', ')}`);
		const adds = listAdds(fakes, 'WinBackHighRisk');
		assert.ok(adds.length >= 1, 'nobody was added to the win-back list');
		const profiles = profileImports(fakes).filter((p) => high.includes(p.email) && p.properties?.ai_winback_subject);
		assert.equal(new Set(profiles.map((p) => p.email)).size, high.length, 'each high-risk customer gets a subject line');
		for (const p of profiles) assert.ok(p.properties.ai_churn_risk > 70);
		const rows = await auditRows(host, 'churn-risk-win-back', run.id);
		assert.ok(rows.length >= high.length, 'decisions are logged for the weekly review');
		assertKlaviyoRequestsValid(fakes.klaviyo.requests);
	});

	test('templates: a failing template execution lands in the audit table through the error workflow', { timeout: 120_000 }, async () => {
		const { host, fakes } = ready();
		// n8n runs only a published error workflow.
		await publish(host, ERROR_WORKFLOW_ID);
		const wf = await workflow(host, ID.upsell);
		await publish(host, ID.upsell);
		// Peek rejects the catalogue read: the execution fails at "Activity catalogue".
		addBooking(fakes.peek, 'tpl_err_1', { email: 'err.case@example.com' });
		fakes.peek.failNext('/products', 400, 20);
		const before = await finishedCount(host, ID.upsell);
		await deliver(host, wf, sampleDelivery('peek_automation_api', { id: 'tpl_err_1', event: 'booking.created' }));
		const failed = await nextExecution(host, ID.upsell, before, { status: 'error' });
		fakes.peek.failNext('/products', 400, 0);
		let rows = [];
		for (const t0 = Date.now(); Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 500))) {
			rows = (await host.dataTableRows('peekpro_ai_audit')).filter((r) => r.flow === 'error-handler' && String(r.executionId) === String(failed.id));
			if (rows.length) break;
		}
		assert.equal(rows.length, 1, 'the error workflow wrote no audit row for the failed execution');
		assert.equal(rows[0].result, 'failed');
		assert.equal(rows[0].workflowId, ID.upsell);
		assert.equal(rows[0].node, 'Activity catalogue');
		assert.ok(rows[0].detail, 'the row says why');
		await host.deactivate(ID.upsell);
		const readme = readFileSync(join(projectRoot, 'workflows', 'README.md'), 'utf8');
		for (const id of Object.values(ID)) assert.ok(readme.includes(id), `workflows/README.md does not list ${id}`);
	});
}
