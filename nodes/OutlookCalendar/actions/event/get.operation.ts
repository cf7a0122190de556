import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { graphRequest, mailboxPath, type GraphRequest } from '../../transport';

/** Event → Get: one event by id. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const mailbox = ctx.getNodeParameter('mailbox', i) as string;
	const id = ctx.getNodeParameter('eventId', i) as string;
	const res = await graphRequest.call<IExecuteFunctions, [GraphRequest], Promise<{ body: IDataObject }>>(ctx, {
		method: 'GET',
		path: `${mailboxPath(mailbox)}/events/${encodeURIComponent(id)}`,
		itemIndex: i,
	});
	return [res.body];
}
