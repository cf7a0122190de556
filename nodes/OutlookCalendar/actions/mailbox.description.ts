import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MailboxRules } from '../helpers/booking';

const BOOKING_OPS = ['sync', 'checkConflicts', 'suggestAlternatives'];

/** Guide → mailbox, shared by every operation that starts from a booking or a guide. */
export const mailboxProperties: INodeProperties[] = [
	{
		displayName: 'Guide Mailbox From',
		name: 'mailboxSource',
		type: 'options',
		options: [
			{ name: 'Guide Email', value: 'guideEmail', description: 'The assigned guide\'s email is their Outlook mailbox' },
			{ name: 'Mapping Table', value: 'mapping', description: 'Rows mapping a guide ID, name or email to a mailbox (e.g. from an n8n Data Table)' },
		],
		default: 'guideEmail',
		displayOptions: { show: { resource: ['booking', 'availability'] } },
	},
	{
		displayName: 'Mapping Rows',
		name: 'mailboxMapping',
		type: 'json',
		default: '[]',
		placeholder: '={{ $(\'Guide Mailboxes\').all().map(i => i.json) }}',
		hint: 'Each row: "guide" (ID, name or email as Peek Pro has it) and "mailbox". Keep the table in an n8n Data Table and read it with a Data Table node before this one.',
		displayOptions: { show: { resource: ['booking', 'availability'], mailboxSource: ['mapping'] } },
	},
	{
		displayName: 'When a Guide Has No Mailbox',
		name: 'noMailbox',
		type: 'options',
		options: [
			{ name: 'Error Item', value: 'error', description: 'The booking goes to the error output naming the guide, for a human to map' },
			{ name: 'Skip', value: 'skip', description: 'Output the booking with action "skipped" and the reason; write nothing' },
			{ name: 'Use Fallback Mailbox', value: 'fallback', description: 'Write to a shared calendar, e.g. the dispatcher\'s' },
		],
		default: 'error',
		displayOptions: { show: { resource: ['booking', 'availability'] } },
	},
	{
		displayName: 'Fallback Mailbox',
		name: 'fallbackMailbox',
		type: 'string',
		default: '',
		placeholder: 'e.g. dispatch@example.com',
		displayOptions: { show: { resource: ['booking', 'availability'], noMailbox: ['fallback'] } },
	},
];

export function mailboxRules(ctx: IExecuteFunctions, itemIndex: number): MailboxRules {
	const source = ctx.getNodeParameter('mailboxSource', itemIndex, 'guideEmail') as MailboxRules['source'];
	let mapping: IDataObject[] = [];
	if (source === 'mapping') {
		const raw = ctx.getNodeParameter('mailboxMapping', itemIndex, []) as unknown;
		let parsed: unknown = raw;
		if (typeof raw === 'string') {
			try {
				parsed = raw.trim() ? JSON.parse(raw) : [];
			} catch (error) {
				throw new NodeOperationError(ctx.getNode(), `Mapping Rows is not valid JSON: ${(error as Error).message}`, {
					itemIndex,
					description: 'Give an array of rows such as [{"guide": "gd_1", "mailbox": "sam@example.com"}], or an expression returning one.',
				});
			}
		}
		mapping = Array.isArray(parsed) ? (parsed as IDataObject[]) : parsed && typeof parsed === 'object' ? Object.entries(parsed as IDataObject).map(([guide, mailbox]) => ({ guide, mailbox })) : [];
	}
	return {
		source,
		mapping,
		noMailbox: ctx.getNodeParameter('noMailbox', itemIndex, 'error') as MailboxRules['noMailbox'],
		fallbackMailbox: ctx.getNodeParameter('fallbackMailbox', itemIndex, '') as string,
	};
}

export { BOOKING_OPS };
