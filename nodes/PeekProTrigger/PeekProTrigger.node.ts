import { createHash } from 'crypto';
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ALL_EVENTS, eventOptions, registrableEvents, selectEvent } from '../PeekPro/shared/events';
import {
	derivedEvents,
	mergeVerified,
	normalizePeekRecord,
	parseDelivery,
	type Delivery,
	type FieldIssue,
} from '../PeekPro/shared/normalize';
import { decideEvent, revisionOf, splitVerified, type EventCheck } from '../PeekPro/shared/verify';
import { PEEK_CREDENTIAL, peekRequest, seg, toNodeError } from '../PeekPro/shared/transport';
import type { Booking, Verification } from '../shared/model/canonical';
import { claimDelivery, claimHandled, dedupeNow, handledKey, noteBookingSeen } from './dedupe';
import { headerValue, matchHmac, matchSharedSecret, screenHmac, screenSharedSecret, type HeaderBag, type ScreenedHmac } from './signature';

interface TriggerOptions {
	routeInvalid?: boolean;
	dedupeWindowSeconds?: number;
	acceptUnverifiable?: boolean;
	fetchTimeoutSeconds?: number;
}

/** Headers a sender (Peek, a signing proxy) may use to name one delivery. */
const DELIVERY_ID_HEADERS = ['x-peek-delivery-id', 'x-peek-delivery', 'x-delivery-id', 'idempotency-key'];
const EVENT_HEADERS = ['x-peek-event', 'x-event-type'];
const MAX_RAW_BODY_KEPT = 64 * 1024;

/** Lifecycle events a Peek record fetched during verification can reveal. */
const STATUS_DERIVED = new Set(['booking.cancelled', 'booking.no_show', 'booking.checked_in', 'booking.checked_out', 'cart.abandoned']);

type RejectStatus = 400 | 401 | 502;

type Show = NonNullable<INodeProperties['displayOptions']>['show'];

/** The HMAC settings, shown under version 1's Signature Check or 1.1's Authentication. */
function hmacFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			default: 'x-peek-signature',
			displayOptions: { show },
			description: 'Header holding the signature: hex or base64, with or without a "sha256=" prefix',
		},
		{
			displayName: 'Signature Encoding',
			name: 'signatureEncoding',
			type: 'options',
			options: [
				{ name: 'Auto (Hex or Base64)', value: 'auto' },
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			default: 'auto',
			displayOptions: { show },
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: '',
			placeholder: 'e.g. x-peek-timestamp',
			displayOptions: { show },
			description: 'Optional. When set, the signature must cover the timestamp, a dot, then the body.',
			hint: 'When set, the timestamp must also be within the replay window',
		},
		{
			displayName: 'Replay Window (Seconds)',
			name: 'replayWindowSeconds',
			type: 'number',
			default: 300,
			typeOptions: { minValue: 1 },
			displayOptions: { show },
		},
	];
}

/** The header / query parameter that carries the shared secret. */
function secretNameFields(header: Show, query: Show): INodeProperties[] {
	return [
		{ displayName: 'Secret Header Name', name: 'authHeaderName', type: 'string', default: 'x-peek-token', displayOptions: { show: header } },
		{ displayName: 'Secret Query Parameter', name: 'authQueryParameterName', type: 'string', default: 'token', displayOptions: { show: query } },
	];
}

/**
 * The checks a delivery must pass, in version 1's terms (two selectors). Version 1.1's single
 * Authentication maps onto them, so the webhook has one code path for both.
 */
export function authenticationChecks(ctx: IWebhookFunctions): { signature: 'none' | 'hmac'; sharedSecret: 'none' | 'header' | 'query' } {
	if (ctx.getNode().typeVersion >= 1.1) {
		const auth = ctx.getNodeParameter('authentication', 'none') as string;
		return {
			signature: auth === 'hmac' ? 'hmac' : 'none',
			sharedSecret: auth === 'headerSecret' ? 'header' : auth === 'querySecret' ? 'query' : 'none',
		};
	}
	return {
		signature: (ctx.getNodeParameter('signature', 'none') as string) === 'hmac' ? 'hmac' : 'none',
		sharedSecret: ctx.getNodeParameter('sharedSecret', 'none') as 'none' | 'header' | 'query',
	};
}

export class PeekProTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Peek Pro Trigger',
		name: 'peekProTrigger',
		icon: { light: 'file:peekProTrigger.svg', dark: 'file:peekProTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1: one Authentication selector (as n8n's Webhook node) replaces Signature Check + Shared
		// Secret. Version 1 keeps both selectors, so saved workflows run and display unchanged.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow on Peek Pro booking, waiver and life-cycle events, verified and normalized',
		defaults: { name: 'Peek Pro Trigger' },
		inputs: [],
		// Booking always; Invalid with Route Invalid; Verify Later with verify-by-fetch and its option on
		// (last, so adding it never moves an existing connection). Mirrors outputs() in webhook().
		outputs: `={{ [{ type: "main", displayName: "Booking" }].concat($parameter.options && $parameter.options.routeInvalid ? [{ type: "main", displayName: "Invalid" }] : []).concat($parameter.verifyByFetch !== false && $parameter.verifyLater !== false ? [{ type: "main", displayName: "Verify Later" }] : []) }}`,
		credentials: [{ name: PEEK_CREDENTIAL, required: true }],
		// responseData 'noData': n8n 2.41 otherwise answers accepted deliveries with the literal text
		// "firstEntryJson" (its fallback for webhooks that name no responseData). Peek only needs a 2xx.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		properties: [
			{
				displayName: 'Peek Pro must reach this n8n over the internet: set N8N_WEBHOOK_URL to a public HTTPS address before publishing',
				name: 'reachabilityNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'None', value: 'none', description: 'Rely on Verify by Fetching From Peek (Peek signs no webhooks today)' },
					{ name: 'HMAC Signature', value: 'hmac', description: 'An HMAC-SHA256 of the body made with the credential\'s webhook secret (a signing proxy)' },
					{ name: 'Secret in a Header', value: 'headerSecret', description: 'The credential\'s webhook secret as a header value' },
					{ name: 'Secret in a Query Parameter', value: 'querySecret', description: 'The credential\'s webhook secret as a query parameter' },
				],
				default: 'none',
				displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventOptions,
				default: ['booking.created'],
				required: true,
				description: 'Events that start the workflow; others are acknowledged with 200 and ignored',
				hint: 'No-show, checked out and abandoned cart are read from Booking Updated deliveries. Events marked Proxy Only are never sent by Peek itself.',
			},
			{
				displayName: 'Verify by Fetching From Peek',
				name: 'verifyByFetch',
				type: 'boolean',
				default: true,
				description:
					'Whether to re-read the booking from Peek by its ID before starting the workflow. Peek signs no booking webhooks, so the booking emitted is Peek\'s record; fields only the delivery carries (UTM, consent, waiver, custom fields) are kept apart under "unverified".',
			},
			{
				// Short enough not to be cut in the panel ("Verify Later When Peek Is Unreacha…").
				displayName: 'Verify Later If Peek Is Down',
				name: 'verifyLater',
				type: 'boolean',
				default: true,
				displayOptions: { show: { verifyByFetch: [true] } },
				description:
					'Whether a delivery that cannot be verified because Peek Pro is unreachable is accepted (200) and sent to a "Verify Later" output (booking ID, claimed event, the raw delivery under "unverified") so the workflow re-checks it after a wait. Peek sends each webhook once: without this, such a delivery is answered 502 and lost.',
			},
			// Version 1's two selectors, kept for its saved workflows.
			{
				displayName: 'Signature Check',
				name: 'signature',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'HMAC-SHA256 of the Body', value: 'hmac', description: 'For a signing proxy or future Peek support' },
				],
				default: 'none',
				description: 'Whether deliveries must carry an HMAC signature made with the credential\'s webhook secret',
				displayOptions: { show: { '@version': [1] } },
			},
			...hmacFields({ '@version': [1], signature: ['hmac'] }),
			...hmacFields({ '@version': [{ _cnd: { gte: 1.1 } }], authentication: ['hmac'] }),
			{
				displayName: 'Shared Secret',
				name: 'sharedSecret',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'In a Header', value: 'header' },
					{ name: 'In a Query Parameter', value: 'query' },
				],
				default: 'none',
				description: 'Whether deliveries must present the credential\'s webhook secret as a token',
				displayOptions: { show: { '@version': [1] } },
			},
			...secretNameFields({ '@version': [1], sharedSecret: ['header'] }, { '@version': [1], sharedSecret: ['query'] }),
			...secretNameFields(
				{ '@version': [{ _cnd: { gte: 1.1 } }], authentication: ['headerSecret'] },
				{ '@version': [{ _cnd: { gte: 1.1 } }], authentication: ['querySecret'] },
			),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Accept Unverifiable Events',
						name: 'acceptUnverifiable',
						type: 'boolean',
						default: false,
						description:
							'Whether to accept events with no booking ID (waitlist, slot, customer, resource) when verify-by-fetch is the only check. They are marked "verification.methods: []".',
					},
					{
						displayName: 'Duplicate Window (Seconds)',
						name: 'dedupeWindowSeconds',
						type: 'number',
						default: 600,
						typeOptions: { minValue: 0 },
						description:
							'Deliveries with the same delivery ID, event ID or body within this window start one execution. 0 turns the guard off.',
					},
					{
						displayName: 'Fetch Timeout (Seconds)',
						name: 'fetchTimeoutSeconds',
						type: 'number',
						default: 10,
						typeOptions: { minValue: 1 },
						description: 'Time allowed for the verify-by-fetch call to Peek',
					},
					{
						displayName: 'Route Invalid Requests to a Second Output',
						name: 'routeInvalid',
						type: 'boolean',
						default: false,
						description:
							'Whether malformed requests (not JSON, no event type, no booking ID) start the workflow on an "Invalid" output with the raw body and the errors, instead of a 400 answer',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const wanted = registrableEvents(this.getNodeParameter('events', []) as string[]);
				if (!wanted.length) return true;
				if (data.webhookId === undefined) return false;
				try {
					const res = await peekRequest.call(this, { method: 'GET', path: `/webhooks/${seg(String(data.webhookId))}` });
					const hook = (res.body ?? {}) as IDataObject;
					const registered = Array.isArray(hook.eventTypes) ? (hook.eventTypes as string[]).slice().sort() : (data.webhookEvents as string[]);
					const sameUrl = typeof hook.url !== 'string' || hook.url === this.getNodeWebhookUrl('default');
					const sameEvents = JSON.stringify(registered ?? []) === JSON.stringify(wanted);
					if (hook.active === true && sameUrl && sameEvents) return true;
					this.logger.info('Peek Pro webhook registration is inactive or outdated; it will be registered again', {
						webhookId: data.webhookId,
					});
					return false;
				} catch (error) {
					if ((error as NodeApiError).httpCode === '404') {
						this.logger.info('Peek Pro webhook registration no longer exists; it will be registered again', { webhookId: data.webhookId });
						delete data.webhookId;
						delete data.webhookEvents;
						return false;
					}
					throw toNodeError(this.getNode(), error);
				}
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const url = this.getNodeWebhookUrl('default') as string;
				const eventTypes = registrableEvents(this.getNodeParameter('events', []) as string[]);
				if (!eventTypes.length) {
					this.logger.info('No Peek-registrable event selected; waiting for deliveries from a proxy');
					return true;
				}
				if (/^https?:\/\/(localhost|127\.|\[::1\])/i.test(url)) {
					this.logger.warn('The webhook URL is a loopback address; Peek Pro cannot reach it unless N8N_WEBHOOK_URL is set to a public address');
				}
				const body = { url, eventTypes, active: true, description: `n8n-nodes-peekpro-ai: ${this.getWorkflow().name ?? 'workflow'}` };
				try {
					const res = await peekRequest.call(this, { method: 'POST', path: '/webhooks', body });
					const id = (res.body as IDataObject | undefined)?.id;
					if (typeof id !== 'string' && typeof id !== 'number') {
						throw new NodeOperationError(this.getNode(), 'Peek Pro registered the webhook but returned no ID', {
							description: 'Check the Base URL in the Peek Pro credential: it must point at the automation API.',
						});
					}
					data.webhookId = String(id);
					data.webhookEvents = eventTypes;
					return true;
				} catch (error) {
					if ((error as NodeApiError).httpCode !== '409') throw toNodeError(this.getNode(), error);
				}
				// 409: this URL is already registered (an earlier activation, a restart). Adopt or replace it.
				const existing = await findRegistration.call(this, url);
				if (!existing) {
					throw new NodeOperationError(this.getNode(), 'Peek Pro already has a webhook for this workflow\'s URL', {
						description: 'Remove the existing webhook in the Peek Pro n8n app, then publish the workflow again.',
					});
				}
				const current = Array.isArray(existing.eventTypes) ? (existing.eventTypes as string[]).slice().sort() : [];
				if (existing.active === true && JSON.stringify(current) === JSON.stringify(eventTypes)) {
					data.webhookId = String(existing.id);
					data.webhookEvents = eventTypes;
					return true;
				}
				await peekRequest.call(this, { method: 'DELETE', path: `/webhooks/${seg(String(existing.id))}` });
				const res = await peekRequest.call(this, { method: 'POST', path: '/webhooks', body });
				data.webhookId = String((res.body as IDataObject).id);
				data.webhookEvents = eventTypes;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				if (data.webhookId === undefined) return true;
				try {
					await peekRequest.call(this, { method: 'DELETE', path: `/webhooks/${seg(String(data.webhookId))}` });
				} catch (error) {
					if ((error as NodeApiError).httpCode !== '404') {
						this.logger.warn('Could not delete the Peek Pro webhook registration', {
							webhookId: data.webhookId,
							message: (error as Error).message,
						});
						return false;
					}
					this.logger.info('Peek Pro webhook registration was already gone', { webhookId: data.webhookId });
				}
				delete data.webhookId;
				delete data.webhookEvents;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const headers = req.headers as HeaderBag;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const receivedAt = new Date(dedupeNow()).toISOString();

		const reject = (status: RejectStatus, message: string, issues: FieldIssue[] = []): IWebhookResponseData => {
			const res = this.getResponseObject();
			res.status(status).json({ status: status === 401 ? 'unauthorized' : 'rejected', message, issues });
			return { noWebhookResponse: true };
		};

		let rawBody = req.rawBody as Buffer | undefined;
		if (!rawBody && typeof req.readRawBody === 'function') {
			await req.readRawBody();
			rawBody = req.rawBody as Buffer | undefined;
		}

		// 1. Authenticity checks that need only the request. What needs no secret (a signature that
		// decodes, a fresh timestamp, a shared secret at all) is checked before the credential is read:
		// reading it is most of what a rejected request costs n8n (README, "Bad input at volume").
		const { signature, sharedSecret } = authenticationChecks(this);
		const methods: string[] = [];
		let screened: ScreenedHmac | undefined;
		if (signature === 'hmac') {
			const screen = screenHmac(rawBody, headers, {
				header: (this.getNodeParameter('signatureHeader', 'x-peek-signature') as string).toLowerCase(),
				encoding: this.getNodeParameter('signatureEncoding', 'auto') as 'auto' | 'hex' | 'base64',
				timestampHeader: ((this.getNodeParameter('timestampHeader', '') as string) || undefined)?.toLowerCase(),
				toleranceSeconds: this.getNodeParameter('replayWindowSeconds', 300) as number,
				nowMs: dedupeNow(),
			});
			if (!screen.ok) return reject(401, screen.reason);
			screened = screen;
		}
		let presented: { value: string; where: string } | undefined;
		if (sharedSecret !== 'none') {
			const inHeader = sharedSecret === 'header';
			const name = inHeader
				? (this.getNodeParameter('authHeaderName', 'x-peek-token') as string).toLowerCase()
				: (this.getNodeParameter('authQueryParameterName', 'token') as string);
			const query = (req.query ?? {}) as IDataObject;
			const value = inHeader ? headerValue(headers, name) : typeof query[name] === 'string' ? (query[name] as string) : undefined;
			const where = inHeader ? `header ${name}` : `query parameter ${name}`;
			const screen = screenSharedSecret(value, where);
			if (!screen.ok) return reject(401, screen.reason);
			presented = { value: value ?? '', where };
		}
		if (screened || presented) {
			const credentials = await this.getCredentials(PEEK_CREDENTIAL);
			const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '';
			if (screened) {
				const result = matchHmac(secret, rawBody as Buffer, screened);
				if (!result.ok) return reject(401, result.reason);
				methods.push('hmac');
			}
			if (presented) {
				const result = matchSharedSecret(presented.value, secret, presented.where);
				if (!result.ok) return reject(401, result.reason);
				methods.push('sharedSecret');
			}
		}

		// 2. Parse and validate.
		let body: unknown = req.body;
		let issues: FieldIssue[] = [];
		if (rawBody && rawBody.length) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				issues = [{ field: '(body)', message: 'Body is not valid JSON' }];
			}
		} else if (body === undefined || body === null || (typeof body === 'object' && !Object.keys(body as object).length)) {
			issues = [{ field: '(body)', message: 'Body is empty' }];
		}
		let delivery: Delivery | undefined;
		if (!issues.length) {
			const headerEvent = EVENT_HEADERS.map((h) => headerValue(headers, h)).find(Boolean);
			const parsed = parseDelivery(body, headerEvent);
			if (parsed.ok) delivery = parsed.delivery;
			else issues = parsed.issues;
		}
		if (!delivery) {
			const message = `Invalid Peek Pro delivery: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`;
			if (!options.routeInvalid) return reject(400, message, issues);
			const text = rawBody ? rawBody.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body ?? null);
			const invalid: INodeExecutionData = {
				json: {
					valid: false,
					errors: issues as unknown as IDataObject[],
					message,
					rawBody: text.slice(0, MAX_RAW_BODY_KEPT),
					rawBodyTruncated: text.length > MAX_RAW_BODY_KEPT,
					contentType: headerValue(headers, 'content-type') ?? null,
					verification: { method: methods.includes('hmac') ? 'hmac' : methods.includes('sharedSecret') ? 'sharedSecret' : 'none', methods, bookingFrom: 'none', deliveryTrusted: methods.includes('hmac'), verified: false } satisfies Verification,
					receivedAt,
				},
			};
			const verifyLaterOn = (this.getNodeParameter('verifyByFetch', true) as boolean) && (this.getNodeParameter('verifyLater', true) as boolean);
			return { workflowData: verifyLaterOn ? [[], [invalid], []] : [[], [invalid]] };
		}

		// 3. Event selection. The event is only final once Peek's record is known: the record may reveal a
		// selected life-cycle event, contradict a claimed one, or (no event named) decide created vs updated.
		const selected = this.getNodeParameter('events', [ALL_EVENTS]) as string[];
		const verifyByFetch = this.getNodeParameter('verifyByFetch', true) as boolean;
		const verifyLater = verifyByFetch && (this.getNodeParameter('verifyLater', true) as boolean);
		const payloadBooking = delivery.kind === 'booking' ? (delivery.record as Booking) : undefined;
		const canFetch = verifyByFetch && delivery.bookingId !== undefined;
		const early = selectEvent(selected, delivery.event, derivedEvents(delivery.event, payloadBooking));
		const mayDerive =
			canFetch && selected.some((s) => s === ALL_EVENTS || STATUS_DERIVED.has(s) || (delivery!.eventInferred && (s === 'booking.created' || s === 'booking.updated')));
		const mayInfer = !canFetch && delivery.eventInferred && selected.includes('booking.created');
		if (!early && !mayDerive && !mayInfer) return { webhookResponse: { received: true, ignored: `event ${delivery.event} not selected` } };

		if (verifyByFetch && !canFetch && !methods.length && !options.acceptUnverifiable) {
			return reject(
				401,
				`Cannot verify a ${delivery.event} delivery by fetching from Peek: it carries no booking ID. Turn on a signature or shared-secret check, or the option "Accept Unverifiable Events".`,
			);
		}

		// 4. Duplicates: claimed before any await so concurrent repeats are caught too.
		const windowSeconds = options.dedupeWindowSeconds ?? 600;
		const deliveryId = DELIVERY_ID_HEADERS.map((h) => headerValue(headers, h)).find(Boolean) ?? delivery.deliveryId;
		const keys = [
			deliveryId ? `d:${deliveryId}` : undefined,
			delivery.eventId ? `e:${delivery.eventId}` : undefined,
			`h:${createHash('sha256').update(rawBody ?? JSON.stringify(body)).digest('hex')}`,
		].filter((k): k is string => !!k);
		const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		const staticData = this.getWorkflowStaticData('node');
		const claim = claimDelivery(scope, keys, windowSeconds * 1000, staticData);
		if (claim.duplicate) {
			return { webhookResponse: { received: true, duplicate: true } };
		}
		const seenBefore = delivery.bookingId !== undefined && delivery.kind === 'booking' ? noteBookingSeen(scope, delivery.bookingId, staticData) : false;
		const outputs = (main: INodeExecutionData[], invalid: INodeExecutionData[] = [], later: INodeExecutionData[] = []) => {
			const out: INodeExecutionData[][] = [main];
			if (options.routeInvalid) out.push(invalid);
			if (verifyLater) out.push(later);
			return { workflowData: out };
		};
		// HMAC covers the delivered bytes, so what only the delivery says may be trusted. A shared secret
		// does not: it is a static token (often in a URL), replayable with any body.
		const deliveryTrusted = methods.includes('hmac');
		const strongest = (fetched: boolean): VerificationMethod =>
			deliveryTrusted ? 'hmac' : fetched ? 'fetched' : methods.includes('sharedSecret') ? 'sharedSecret' : 'none';
		const envelope = {
			kind: delivery.kind,
			eventId: delivery.eventId,
			deliveryId,
			occurredAt: delivery.occurredAt,
			receivedAt,
			payloadShape: delivery.shape,
		};

		// 5. Verify by fetch: the booking is Peek's record.
		if (canFetch) {
			let fetched: Booking | undefined;
			let failure: string | undefined;
			try {
				const res = await peekRequest.call(this, {
					method: 'GET',
					path: `/bookings/${seg(delivery.bookingId as string)}`,
					maxRetries: 1,
					rateClass: 'verify',
					timeoutMs: (options.fetchTimeoutSeconds ?? 10) * 1000,
				});
				fetched = normalizePeekRecord(res.body);
				if (!fetched) failure = 'Peek Pro answered with something that is not a booking';
			} catch (error) {
				if ((error as NodeApiError).httpCode === '404') {
					claim.release();
					return reject(401, 'The booking named in this delivery does not exist in Peek Pro', [
						{ field: `${delivery.recordPath}.id`, message: 'Unknown booking id' },
					]);
				}
				failure = `Could not reach Peek Pro to verify the delivery: ${(error as Error).message}`;
			}
			if (!fetched) {
				this.logger.warn('Peek Pro verify-by-fetch failed', { message: failure, verifyLater });
				if (!verifyLater) {
					claim.release();
					return reject(502, 'Could not verify the delivery with Peek Pro; try again later');
				}
				// Peek sends each webhook once (PEEK.md §2): a 502 would lose the booking. Accept it and hand
				// it to the Verify Later output, which carries nothing a flow could mistake for a booking.
				const later: IDataObject = {
					verifyLater: true,
					bookingId: delivery.bookingId,
					claimedEvent: delivery.event,
					eventInferred: delivery.eventInferred,
					seenBefore,
					...envelope,
					reason: failure,
					verification: { method: strongest(false), methods, bookingFrom: 'none', deliveryTrusted, verified: false } satisfies Verification,
					unverified: { booking: delivery.record as IDataObject, ...delivery.details, raw: body as IDataObject },
				};
				return outputs([], [], [{ json: compactJson(later) }]);
			}
			methods.push('fetch');
			let booking: Booking = fetched;
			let unverified: IDataObject | undefined;
			let unverifiedFields: string[] = [];
			let deliveryFields: string[] | undefined;
			if (deliveryTrusted) {
				const merged = mergeVerified(fetched, payloadBooking as Booking);
				booking = merged.booking;
				deliveryFields = merged.unverifiedFields;
			} else {
				const split = splitVerified(fetched, payloadBooking);
				unverified = { ...split.unverified, ...delivery.details } as IDataObject;
				unverifiedFields = [...split.unverifiedFields, ...Object.keys(delivery.details)];
			}
			const decision = decideEvent(delivery.event, delivery.eventInferred, booking, { fromRecord: true, seenBefore, nowMs: dedupeNow() });
			if (!decision.event) {
				// A claimed state Peek's record does not have starts nothing (answered 200: Peek does not
				// redeliver, and a forger learns nothing from the answer). With Route Invalid it is visible
				// on the Invalid output, marked as not verified, for an operator to review.
				const reason = decision.reason as string;
				this.logger.warn('Peek Pro delivery contradicts Peek\'s record; nothing started', { bookingId: delivery.bookingId, claimed: delivery.event, status: booking.status });
				if (!options.routeInvalid) return { webhookResponse: { received: true, ignored: 'the event does not match Peek Pro\'s record' } };
				const invalid: IDataObject = {
					valid: false,
					errors: [{ field: 'event', message: reason }],
					message: reason,
					bookingId: delivery.bookingId,
					claimedEvent: delivery.event,
					recordStatus: booking.status,
					...envelope,
					verification: { method: strongest(false), methods: methods.filter((m) => m !== 'fetch'), bookingFrom: 'none', deliveryTrusted, verified: false } satisfies Verification,
					unverified: { raw: body as IDataObject },
				};
				return outputs([], [{ json: compactJson(invalid) }]);
			}
			const event = selectEvent(selected, decision.event, derivedEvents(decision.event, booking));
			if (!event) return { webhookResponse: { received: true, ignored: `event ${decision.event} not selected` } };
			// The same booking event may arrive live, from reconciliation and from a Verify Later re-check:
			// whichever comes first starts the flow.
			const handled = handledKey(booking.id, event, revisionOf(booking));
			if (handled && claimHandled(this.getWorkflow().id ?? '', handled, this.getWorkflowStaticData('global'))) {
				return { webhookResponse: { received: true, duplicate: true, alreadyHandled: event } };
			}
			const json: IDataObject = {
				...(booking as IDataObject),
				...(deliveryTrusted ? delivery.details : {}),
				event,
				deliveredEvent: delivery.event,
				eventInferred: delivery.eventInferred,
				eventCheck: decision.check,
				...envelope,
				verification: compactJson({
					method: strongest(true),
					methods,
					bookingFrom: 'peek',
					deliveryTrusted,
					verified: true,
					unverifiedFields,
					deliveryFields,
				} satisfies Verification),
				unverified: unverified && Object.keys(unverified).length ? unverified : undefined,
				raw: body as IDataObject,
			};
			return outputs([{ json: compactJson(json) }]);
		}

		// 6. No fetch: the record is the delivery, trusted only as far as its authentication goes.
		let event: string | undefined;
		let check: EventCheck = 'unchecked';
		if (payloadBooking) {
			const decision = decideEvent(delivery.event, delivery.eventInferred, payloadBooking, { fromRecord: false, seenBefore, nowMs: dedupeNow() });
			check = decision.check;
			event = selectEvent(selected, decision.event as string, derivedEvents(decision.event as string, payloadBooking));
		} else {
			event = early;
		}
		if (!event) return { webhookResponse: { received: true, ignored: `event ${delivery.event} not selected` } };
		const json: IDataObject = {
			...(delivery.record as IDataObject),
			...delivery.details,
			event,
			deliveredEvent: delivery.event,
			eventInferred: delivery.eventInferred,
			eventCheck: check,
			...envelope,
			verification: { method: strongest(false), methods, bookingFrom: 'delivery', deliveryTrusted, verified: methods.length > 0 } satisfies Verification,
			raw: body as IDataObject,
		};
		return outputs([{ json: compactJson(json) }]);
	}
}

type VerificationMethod = Verification['method'];

function compactJson(o: IDataObject): IDataObject {
	for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
	return o;
}

/** Lists registrations to find the one for `url` (used after a 409 on create). */
async function findRegistration(this: IHookFunctions, url: string): Promise<IDataObject | undefined> {
	try {
		const res = await peekRequest.call(this, { method: 'GET', path: '/webhooks' });
		const list = Array.isArray(res.body) ? res.body : ((res.body as IDataObject)?.data as unknown[]) ?? [];
		return (list as IDataObject[]).find((h) => h && h.url === url);
	} catch (error) {
		this.logger.warn('Could not list Peek Pro webhook registrations', { message: (error as Error).message });
		return undefined;
	}
}
