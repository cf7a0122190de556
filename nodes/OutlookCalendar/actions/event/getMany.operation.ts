import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { graphRequest, mailboxPath, type GraphRequest } from '../../transport';

/** Event → Get Many: the mailbox's calendar view between two times, following `@odata.nextLink`. */
export async function execute(ctx: IExecuteFunctions, i: number): Promise<IDataObject[]> {
	const mailbox = ctx.getNodeParameter('mailbox', i) as string;
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', i, 50) as number);
	const qs: IDataObject = {
		startDateTime: ctx.getNodeParameter('from', i) as string,
		endDateTime: ctx.getNodeParameter('to', i) as string,
		$top: Math.min(100, limit),
	};
	const events: IDataObject[] = [];
	let path: string | undefined = `${mailboxPath(mailbox)}/calendarView`;
	while (path && events.length < limit) {
		const res: { body: IDataObject } = await graphRequest.call<IExecuteFunctions, [GraphRequest], Promise<{ body: IDataObject }>>(ctx, {
			method: 'GET',
			path,
			qs: path.startsWith('http') ? undefined : qs,
			itemIndex: i,
		});
		events.push(...(((res.body.value as IDataObject[] | undefined) ?? []) as IDataObject[]));
		path = typeof res.body['@odata.nextLink'] === 'string' ? (res.body['@odata.nextLink'] as string) : undefined;
	}
	return events.slice(0, limit);
}
