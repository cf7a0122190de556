import type { INodeProperties } from 'n8n-workflow';

import * as booking from './booking';
import * as journeys from './journeys';
import * as report from './report';
import * as touchpoint from './touchpoint';

/**
 * Every parameter of the node. The resource is the deciding choice (what the incoming items are:
 * one booking, a path data set, report rows); each operation's own parameters follow, its Options
 * collection last. The node writes nothing anywhere, so it has no Shadow Mode switch: items marked
 * shadow upstream stay marked, and their audit records say shadow.
 */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Booking', value: 'booking', description: 'Credit per touchpoint and channel for one booking' },
			{ name: 'Journey', value: 'journeys', description: 'Data-driven models over a path data set' },
			{ name: 'Report', value: 'report', description: 'Totals, cost per booking, ROAS and anomalies' },
			{ name: 'Touchpoint', value: 'touchpoint', description: 'Clean marketing data into GA4 channels' },
		],
		default: 'touchpoint',
	},
	...touchpoint.description,
	...booking.description,
	...journeys.description,
	...report.description,
];
