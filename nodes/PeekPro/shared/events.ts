import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The event catalogue shared by the trigger (selection, registration) and the normalizers.
 *
 * Two kinds of event:
 * - Peek's own, registrable with `POST /webhooks` (PEEK.md §1).
 * - Life-cycle events the flows need. Peek does not publish them as event types; the trigger emits
 *   them when a delivered payload carries them (a `booking.updated` whose booking is a no-show is
 *   also a `booking.no_show`), or when a proxy/future Peek version sends them by name.
 */
export const PEEK_EVENTS = [
	'booking.created',
	'booking.updated',
	'booking.cancelled',
	'booking.checked_in',
	'booking.rescheduled',
	'waiver.signed',
] as const;

export const LIFECYCLE_EVENTS = [
	'booking.no_show',
	'booking.checked_out',
	'cart.abandoned',
	'waitlist_entry.created',
	'resource.assigned',
	'resource.availability_changed',
	'customer.created',
	'customer.updated',
] as const;

export type PeekEvent = (typeof PEEK_EVENTS)[number];
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];
export type KnownEvent = PeekEvent | LifecycleEvent;

export const ALL_EVENTS = '*';

export const KNOWN_EVENTS: readonly string[] = [...PEEK_EVENTS, ...LIFECYCLE_EVENTS];

/** Peek event whose deliveries carry each life-cycle event, for registration. */
const CARRIER: Partial<Record<LifecycleEvent, PeekEvent>> = {
	'booking.no_show': 'booking.updated',
	'booking.checked_out': 'booking.updated',
	'cart.abandoned': 'booking.updated',
};

const LABELS: Record<KnownEvent, [string, string]> = {
	'booking.created': ['Booking Created', 'A booking was created'],
	'booking.updated': ['Booking Updated', 'Any change to a booking (Peek also sends this on creation)'],
	'booking.cancelled': ['Booking Cancelled', 'A booking was cancelled ("canceled" is accepted too)'],
	'booking.checked_in': ['Booking Checked In', 'A guest was checked in'],
	'booking.rescheduled': ['Booking Rescheduled', 'A booking moved to another timeslot'],
	'waiver.signed': ['Waiver Signed', 'A guest signed a waiver'],
	'booking.no_show': ['Booking No-Show', 'A booking was marked no-show (carried by Booking Updated)'],
	'booking.checked_out': ['Booking Checked Out', 'A booking was checked out (carried by Booking Updated)'],
	'cart.abandoned': ['Cart Abandoned', 'A booking was left pending (carried by Booking Updated)'],
	'waitlist_entry.created': ['Waitlist Entry Created (Proxy Only)', 'A guest joined a waitlist: Peek does not send this today, a proxy can'],
	'resource.assigned': ['Resource Assigned (Proxy Only)', 'A guide or resource was assigned: Peek does not send this today, a proxy can'],
	'resource.availability_changed': [
		'Resource Availability Changed (Proxy Only)',
		'Spots opened or closed on a slot: Peek does not send this today, a proxy can',
	],
	'customer.created': ['Customer Created (Proxy Only)', 'A customer record was created: Peek does not send this today, a proxy can'],
	'customer.updated': ['Customer Updated (Proxy Only)', 'A customer record changed: Peek does not send this today, a proxy can'],
};

export const eventOptions: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every event below' },
	...KNOWN_EVENTS.map((value) => ({ name: LABELS[value as KnownEvent][0], value, description: LABELS[value as KnownEvent][1] })),
];

/** Vendor spellings folded into the catalogue's names. */
const ALIASES: Record<string, string> = {
	'booking.canceled': 'booking.cancelled',
	'booking.cancel': 'booking.cancelled',
	'booking.checkedin': 'booking.checked_in',
	'booking.check_in': 'booking.checked_in',
	'booking.noshow': 'booking.no_show',
	'booking.checkedout': 'booking.checked_out',
	'agreement_signature_created': 'waiver.signed',
	'waiver.created': 'waiver.signed',
	'customer.added': 'customer.created',
	'waitlist.entry_created': 'waitlist_entry.created',
	'waitlist_entry.added': 'waitlist_entry.created',
	'slot.opened': 'resource.availability_changed',
	'spot.opened': 'resource.availability_changed',
};

/** Lower-cases, folds `booking_created`/`booking-created` into `booking.created`, and applies aliases. */
export function normalizeEventName(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	let name = value.trim().toLowerCase();
	if (!name || name.length > 100) return undefined;
	if (!name.includes('.')) {
		const m = /^(booking|waiver|cart|customer|resource|waitlist_entry)[_-](.+)$/.exec(name);
		if (m) name = `${m[1]}.${m[2]}`;
	}
	name = name.replace(/-/g, '_');
	return ALIASES[name] ?? name;
}

/** Event types to register with Peek for a selection (Peek rejects names it does not know). */
export function registrableEvents(selected: string[]): PeekEvent[] {
	if (selected.includes(ALL_EVENTS)) return [...PEEK_EVENTS];
	const out = new Set<PeekEvent>();
	for (const raw of selected) {
		const name = normalizeEventName(raw);
		if ((PEEK_EVENTS as readonly string[]).includes(name ?? '')) out.add(name as PeekEvent);
		const carrier = CARRIER[name as LifecycleEvent];
		if (carrier) out.add(carrier);
	}
	return [...out].sort();
}

/**
 * The event to emit for a delivery, or undefined when the selection does not want it. A derived
 * life-cycle event wins over the delivered one when both are selected: a workflow listening for
 * no-shows wants to see `booking.no_show`, not the carrier.
 */
export function selectEvent(selected: string[], delivered: string, derived: string[]): string | undefined {
	const all = selected.includes(ALL_EVENTS);
	const wanted = new Set(selected.map((s) => normalizeEventName(s) ?? s));
	for (const d of derived) if (all || wanted.has(d)) return d;
	if (all || wanted.has(delivered)) return delivered;
	return undefined;
}
