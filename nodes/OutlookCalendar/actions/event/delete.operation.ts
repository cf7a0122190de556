import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { writesNothing } from '../../helpers/output';
import { graphRequest, mailboxPath } from '../../transport';

/** Event → Delete (the read-only phase outputs the request instead). */
export async function execute(ctx: IExecuteFunctions, i: number, json: IDataObject): Promise<IDataObject[]> {
	const mailbox = ctx.getNodeParameter('mailbox', i) as string;
	const id = ctx.getNodeParameter('eventId', i) as string;
	const path = `${mailboxPath(mailbox)}/events/${encodeURIComponent(id)}`;
	if (writesNothing(ctx, json))
		return [
			{
				eventId: id,
				deleted: false,
				shadow: true,
				request: { method: 'DELETE', url: path, body: null },
			},
		];
	await graphRequest.call(ctx, { method: 'DELETE', path, itemIndex: i });
	return [{ eventId: id, deleted: true }];
}
