// PeekPro AI · Campaign attribution (issue 15, flow 1). Built from the generator's shared pieces
// (Config, Peek Pro Trigger with its Verify Later path, audit rows, sticky notes) so it stays like the
// other templates; imported by scripts/generate-templates.mjs into BUILDERS.
import { audit, C, config, CREDENTIALS, Flow, ifNode, notes, peekBookings, peekTrigger, PKG, schedule } from '../generate-templates.mjs';

export function campaignAttribution() {
	const f = new Flow({
		id: 'PeekProAiAttr001',
		file: 'campaign-attribution.json',
		name: 'PeekPro AI · Campaign attribution',
		flow: 'campaign-attribution',
		description: 'booking.created → touchpoints in GA4 channels → multi-touch credit in cents → written back to the booking; daily report with cost per booking, ROAS and anomalies by email',
	});
	notes(f, {
		about: 'Two entry points, one **Config**.\n\n**Per booking**: `booking.created` → **Attribution · Normalize** (UTM, click ids, affiliate id, promo codes and referrer into GA4\'s default channels; each touch says which rule decided and how far its data can be trusted) → **Attribution · Attribute** (position-based 40/20/40 by default; credits in whole cents that add up to the booking value, a plain-English summary, an audit record) → **Peek Pro · Write Back** puts the credit in the booking note\'s `[peekpro-ai]` block (`attribution.model`, `attribution.channel`, `attribution.campaign`, `attribution.credits`).\n\n**Daily** (7:00): bookings of the last `reportDays` from Peek Pro, each counted with the credit written into its note (Peek keeps no UTM data to re-attribute from; bookings decided in shadow mode have none and are counted as unattributed) → **Aggregate** per campaign (credit, bookings, revenue; with spend rows, cost per booking and ROAS) and per campaign and day → **Find Anomalies** (spend spikes without bookings, drops of high-ROAS campaigns; baseline: median and MAD of the previous days) → one report email.',
		configure: '- **Config**: `shadowMode` (on: nothing is written to Peek; the write-back outputs the request it would send), `useUnverifiedUtm` (Peek does not store UTM data, so it arrives only in the delivery and cannot be verified by re-reading the booking: leave `false` and sign deliveries with HMAC on the trigger, or set `true` to accept it; every touch says which), `reportDays`, `reportTo`, `reportFrom`, `spendUrl` (optional: a URL returning ad-spend rows as JSON `[{date, campaign, channel, spend}]`, e.g. your ads export; empty: the report has no cost per booking or ROAS).\n- **Attribute booking**: the model (first, last, last non-direct, linear, time decay, position-based) and its parameters. For the Markov and Shapley models over your path history, use the Attribution node\'s Journey operations (see README).\n- **Daily report email**: credential **Approvals SMTP**. The report goes to your own address and changes nothing, so it is sent in shadow mode too.',
		// Two entry points take more words than the 340 px the other templates' About note has.
		aboutHeight: 460,
		configureHeight: 460,
		credentials: ['Peek Pro account', 'Approvals SMTP'],
		shadow: 'nothing is written to Peek Pro: the write-back outputs the request it *would* send (the daily report email still goes out: it changes nothing)',
	}, [-400, -520]);

	peekTrigger(f, ['booking.created'], [0, 0]);
	schedule(f, { field: 'days', daysInterval: 1, triggerAtHour: 7 }, [0, 700]);
	config(f, { shadowMode: true, useUnverifiedUtm: false, reportDays: 28, reportTo: 'marketing@example.com', reportFrom: 'n8n@example.com', spendUrl: '' }, [220, 0]);
	f.connect('Peek Pro Trigger', 'Config');
	f.connect('Schedule', 'Config');
	ifNode(f, 'A booking?', '={{ !!$json.id && !!$json.event }}', 'true', '', [440, 0]);
	f.connect('Config', 'A booking?');

	const normalize = (name, position) =>
		f.add(name, `${PKG}.attribution`, 1, {
			resource: 'touchpoint',
			operation: 'normalize',
			unverifiedData: `={{ ${C}.useUnverifiedUtm === true ? 'use' : 'ignore' }}`,
			history: '',
			normalizeOptions: {},
		}, position);
	const attribute = (name, position, extra = {}) =>
		f.add(name, `${PKG}.attribution`, 1, {
			resource: 'booking',
			operation: 'attribute',
			model: 'positionBased',
			firstShare: 0.4,
			lastShare: 0.4,
			bookingValue: '',
			attributeOptions: {},
		}, position, { onError: 'continueErrorOutput', ...extra });

	// Per booking.
	normalize('Normalize touchpoints', [680, -100]);
	attribute('Attribute booking', [900, -100]);
	f.add('Write credit to booking', `${PKG}.peekPro`, 1.1, {
		resource: 'booking',
		operation: 'writeBack',
		bookingId: '={{ $json.id }}',
		specifyValues: 'json',
		values: '={{ JSON.stringify($json.attribution.writeBack) }}',
		replaceBlock: false,
		shadowMode: `={{ ${C}.shadowMode }}`,
	}, [1160, -160], { credentials: CREDENTIALS.peek, retryOnFail: true, maxTries: 3, waitBetweenTries: 2000 });
	f.connect('A booking?', 'Normalize touchpoints', 0);
	f.chain('Normalize touchpoints', 'Attribute booking', 'Write credit to booking');

	// Daily report.
	ifNode(f, 'Spend URL set?', `={{ !!${C}.spendUrl }}`, 'true', '', [680, 500]);
	f.add('Ad spend', 'n8n-nodes-base.httpRequest', 4.5, { method: 'GET', url: `={{ ${C}.spendUrl }}`, options: {} }, [900, 420], { retryOnFail: true, maxTries: 3, waitBetweenTries: 5000 });
	peekBookings(f, 'Bookings of the period', { searchBy: 'purchaseDate', start: `={{ $now.minus({ days: ${C}.reportDays }).toISO() }}`, end: '={{ $now.toISO() }}' }, [1120, 500], { executeOnce: true });
	const spendRows = "={{ $('Ad spend').isExecuted ? JSON.stringify($('Ad spend').all().map((i) => i.json)) : '[]' }}";
	f.add('Report per campaign', `${PKG}.attribution`, 1, { resource: 'report', operation: 'aggregate', groupBy: 'campaign', spendRows }, [1380, 400], { alwaysOutputData: true });
	f.add('Campaigns per day', `${PKG}.attribution`, 1, { resource: 'report', operation: 'aggregate', groupBy: 'campaignPerDay', spendRows }, [1380, 600]);
	f.add('Find anomalies', `${PKG}.attribution`, 1, { resource: 'report', operation: 'anomalies', anomalyOptions: {} }, [1600, 600], { alwaysOutputData: true });
	f.add('Daily report email', 'n8n-nodes-base.emailSend', 2.1, {
		fromEmail: `={{ ${C}.reportFrom }}`,
		toEmail: `={{ ${C}.reportTo }}`,
		subject: `=Attribution report, last {{ ${C}.reportDays }} days: {{ $('Find anomalies').all().filter((i) => i.json.type).length }} anomalies`,
		emailFormat: 'html',
		html: "=<h2>Per campaign</h2><table border=\"1\" cellpadding=\"4\"><tr><th>Campaign</th><th>Bookings</th><th>Revenue</th><th>Spend</th><th>Cost per booking</th><th>ROAS</th></tr>{{ $('Report per campaign').all().filter((i) => i.json.key !== undefined).map((i) => '<tr><td>' + i.json.key + '</td><td>' + i.json.bookings + '</td><td>' + i.json.revenue + '</td><td>' + i.json.spend + '</td><td>' + (i.json.costPerBooking ?? '–') + '</td><td>' + (i.json.roas ?? '–') + '</td></tr>').join('') }}</table><h2>Anomalies</h2><ul>{{ $('Find anomalies').all().filter((i) => i.json.type).map((i) => '<li>' + i.json.message + '</li>').join('') || '<li>none</li>' }}</ul><p>Baseline: median and median absolute deviation of the previous days. Model: position-based 40/20/40.</p>",
		options: { appendAttribution: false },
	}, [1840, 500], { credentials: CREDENTIALS.smtp, executeOnce: true });
	f.connect('A booking?', 'Spend URL set?', 1);
	f.branches('Spend URL set?', 'Ad spend', 'Bookings of the period');
	f.connect('Ad spend', 'Bookings of the period');
	f.connect('Bookings of the period', 'Report per campaign');
	f.connect('Bookings of the period', 'Campaigns per day');
	f.chain('Campaigns per day', 'Find anomalies', 'Daily report email');

	f.sticky('Trust of UTM data', '## Trust of UTM data\nPeek Pro keeps no UTM parameters, so the trigger\'s re-read of the booking cannot confirm them: they stay under `unverified` and **Normalize touchpoints** ignores them unless `useUnverifiedUtm` is `true` or the delivery was **HMAC**-signed (trigger → Signature). Each touch carries `trust` (`peek`, `hmac`, `optIn`) and `marketingTrust.detail` says which fields were ignored.', [1220, -520], 420, 340, 3);
	f.sticky('Running average', '## Shift review\n**Attribute booking** flags a run whose channel shares differ from the model\'s running average by more than its *Shift Threshold* (20 points). The node keeps no memory: pass the previous `attribution.runningAverage` back in its *Running Average* option (e.g. from a Data Table row) to turn this on. Unreadable bookings leave on the node\'s error output with the field named.', [1660, -520], 420, 340, 3);
	audit(f, [1420, -100], ['Attribute booking']);
	return f;
}
