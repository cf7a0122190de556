import { z } from 'zod';

/**
 * The one canonical shape every node in this pack reads and writes.
 *
 * Vendors disagree on everything (Peek's automation API, Peek's app platform, OCTO, the write-ups'
 * flat and nested examples, Shopify orders): adapters at the edge turn each into these shapes, and
 * every node after the edge depends only on them. Field names are camelCase; money is a decimal
 * amount plus ISO currency; times are ISO-8601 strings with offset. Unknown vendor fields are kept
 * in `extra`/`raw` rather than dropped.
 */

export const SCHEMA_VERSION = 'peekpro-ai/canonical@1';

const isoDateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO-8601 date-time' });

export const MoneySchema = z.object({
	amount: z.number().finite(),
	currency: z.string().length(3).optional(),
});
export type Money = z.infer<typeof MoneySchema>;

export const CustomerSchema = z
	.object({
		id: z.string().optional(),
		email: z.string().optional(),
		phone: z.string().optional(),
		firstName: z.string().optional(),
		lastName: z.string().optional(),
		fullName: z.string().optional(),
		postalCode: z.string().optional(),
		country: z.string().optional(),
		locale: z.string().optional(),
		/** Explicit consent only: undefined means "not known", never "yes". */
		emailMarketingConsent: z.boolean().optional(),
		smsMarketingConsent: z.boolean().optional(),
	})
	.passthrough();
export type Customer = z.infer<typeof CustomerSchema>;

export const ActivitySchema = z
	.object({
		id: z.string().optional(),
		name: z.string().optional(),
		/** e.g. kayaking, food-tour, snorkel. */
		type: z.string().optional(),
		location: z.string().optional(),
		tags: z.array(z.string()).default([]),
		price: MoneySchema.optional(),
		durationMinutes: z.number().nonnegative().optional(),
	})
	.passthrough();
export type Activity = z.infer<typeof ActivitySchema>;

export const GuideSchema = z
	.object({
		id: z.string().optional(),
		name: z.string().optional(),
		email: z.string().optional(),
		phone: z.string().optional(),
		/** IANA zone of the guide's calendar, e.g. America/Denver. */
		timeZone: z.string().optional(),
		skills: z.array(z.string()).default([]),
	})
	.passthrough();
export type Guide = z.infer<typeof GuideSchema>;

export const BOOKING_STATUSES = [
	'pending',
	'confirmed',
	'cancelled',
	'checked_in',
	'checked_out',
	'no_show',
	'expired',
	'unknown',
] as const;
export const BookingStatusSchema = z.enum(BOOKING_STATUSES);
export type BookingStatus = z.infer<typeof BookingStatusSchema>;

export const MarketingSchema = z
	.object({
		utmSource: z.string().optional(),
		utmMedium: z.string().optional(),
		utmCampaign: z.string().optional(),
		utmContent: z.string().optional(),
		utmTerm: z.string().optional(),
		affiliateId: z.string().optional(),
		referralUrl: z.string().optional(),
		promoCodes: z.array(z.string()).default([]),
		/** Sales channel as the booking system names it (website, reseller, walk-in, ...). */
		channel: z.string().optional(),
	})
	.passthrough();
export type Marketing = z.infer<typeof MarketingSchema>;

/** Where a canonical booking was read from, so downstream nodes can explain themselves. */
export const BOOKING_SOURCES = [
	'peek_automation_api',
	'peek_app_platform',
	'octo',
	'seed_flat',
	'seed_nested',
	'seed_slot',
	'shopify',
	'manual',
] as const;

export const BookingSchema = z
	.object({
		schema: z.literal(SCHEMA_VERSION).default(SCHEMA_VERSION),
		id: z.string().min(1),
		displayId: z.string().optional(),
		source: z.enum(BOOKING_SOURCES),
		status: BookingStatusSchema,
		/** The event that produced this record, when it came from a webhook. */
		event: z.string().optional(),
		customer: CustomerSchema.default({}),
		activity: ActivitySchema.default({ tags: [] }),
		guides: z.array(GuideSchema).default([]),
		timeslotId: z.string().optional(),
		startsAt: isoDateTime.optional(),
		endsAt: isoDateTime.optional(),
		purchasedAt: isoDateTime.optional(),
		updatedAt: isoDateTime.optional(),
		partySize: z.number().int().nonnegative().optional(),
		total: MoneySchema.optional(),
		balance: MoneySchema.optional(),
		marketing: MarketingSchema.default({ promoCodes: [] }),
		checkedIn: z.boolean().optional(),
		notes: z.string().optional(),
		/** Vendor fields with no canonical home, kept verbatim. */
		extra: z.record(z.unknown()).default({}),
	})
	.passthrough();
export type Booking = z.infer<typeof BookingSchema>;

/**
 * How far a webhook-delivered record can be trusted; sits beside the booking on the Peek Pro
 * Trigger's output (`verification`), never inside it.
 * - `fetched`: every booking field is Peek's record, read by id; the delivery's other fields are in
 *   the item's `unverified` object, apart from the booking.
 * - `hmac`: the delivered bytes carry a valid HMAC made with the credential's secret, so the
 *   delivery's own fields are trusted (`deliveryTrusted: true`, no `unverified` object); with
 *   verify-by-fetch too, Peek's record still wins and `deliveryFields` lists what the delivery added.
 * - `sharedSecret`: the sender knew a static token; the booking is the delivery's, not trusted.
 * - `none`: nothing was checked.
 */
export const VERIFICATION_METHODS = ['fetched', 'hmac', 'sharedSecret', 'none'] as const;
export const VerificationSchema = z.object({
	method: z.enum(VERIFICATION_METHODS),
	/** Every check that passed: `hmac`, `sharedSecret`, `fetch`. */
	methods: z.array(z.string()),
	/** Where the booking's fields came from: Peek's record, the delivery, or nowhere (Verify Later). */
	bookingFrom: z.enum(['peek', 'delivery', 'none']),
	/** Whether the fields only the delivery carries may be acted on (HMAC only). */
	deliveryTrusted: z.boolean(),
	/** Whether any check passed for what the item presents as the booking. */
	verified: z.boolean(),
	unverifiedFields: z.array(z.string()).optional(),
	deliveryFields: z.array(z.string()).optional(),
});
export type Verification = z.infer<typeof VerificationSchema>;

export const WaitlistEntrySchema = z
	.object({
		id: z.string().min(1),
		activityId: z.string().min(1),
		timeslotId: z.string().optional(),
		startsAt: isoDateTime.optional(),
		partySize: z.number().int().positive(),
		createdAt: isoDateTime,
		customer: CustomerSchema,
		notes: z.string().optional(),
		/** Operator-set priority; higher goes first among equals. */
		priority: z.number().optional(),
		status: z.enum(['waiting', 'offered', 'accepted', 'expired', 'removed']).default('waiting'),
	})
	.passthrough();
export type WaitlistEntry = z.infer<typeof WaitlistEntrySchema>;

/** One marketing contact with a customer, for attribution. */
export const TouchpointSchema = z
	.object({
		id: z.string().optional(),
		/** Stable key of the customer (pseudonymous id or hashed email), never raw PII. */
		customerKey: z.string().min(1),
		occurredAt: isoDateTime,
		channel: z.string().min(1),
		source: z.string().optional(),
		medium: z.string().optional(),
		campaign: z.string().optional(),
		/** e.g. email_open, click, ad_view, booking. */
		kind: z.string().default('visit'),
		bookingId: z.string().optional(),
		value: MoneySchema.optional(),
	})
	.passthrough();
export type Touchpoint = z.infer<typeof TouchpointSchema>;

/** zod issues as `path: message` lines an operator can act on. */
export function formatIssues(error: z.ZodError): string[] {
	return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}
