// A loopback SMTP sink: just enough of RFC 5321 for nodemailer (n8n's Send Email node) to deliver
// one message per transaction, which it records decoded (quoted-printable / base64 bodies), so a
// test can read the approval email and follow its links.
import { createServer } from 'node:net';

function decodeQuotedPrintable(text) {
	// Escapes are UTF-8 bytes: decode to bytes first, then to text.
	const latin1 = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Headers and a readable body from a raw RFC 5322 message (single part or the parts of a multipart). */
function parseMessage(raw) {
	const split = raw.indexOf('\r\n\r\n');
	const head = split >= 0 ? raw.slice(0, split) : raw;
	const bodyRaw = split >= 0 ? raw.slice(split + 4) : '';
	const headers = {};
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const i = line.indexOf(':');
		if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	const type = headers['content-type'] ?? 'text/plain';
	const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
	if (boundary) {
		const parts = bodyRaw
			.split(`--${boundary}`)
			.slice(1)
			.filter((p) => !p.startsWith('--'))
			.map((p) => parseMessage(p.replace(/^\r\n/, '')));
		return { headers, body: parts.map((p) => p.body).join('\n'), parts };
	}
	const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
	let body = bodyRaw;
	if (encoding === 'quoted-printable') body = decodeQuotedPrintable(bodyRaw);
	else if (encoding === 'base64') body = Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64').toString('utf8');
	return { headers, body };
}

function decodeSubject(value = '') {
	// RFC 2047 encoded words, as nodemailer writes non-ASCII subjects.
	return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc, text) =>
		enc.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
	);
}

export async function startSmtpFake({ port = 0 } = {}) {
	const messages = [];
	const waiters = [];
	const sockets = new Set();
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.setEncoding('utf8');
		let buffer = '';
		let inData = false;
		let envelope = { from: undefined, to: [] };
		const reply = (line) => socket.write(`${line}\r\n`);
		reply('220 peekpro-ai-smtp-fake ESMTP ready');
		socket.on('data', (chunk) => {
			buffer += chunk;
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					const raw = buffer.slice(0, end).replace(/^\.\./gm, '.');
					buffer = buffer.slice(end + 5);
					inData = false;
					const parsed = parseMessage(raw);
					const message = {
						from: envelope.from,
						to: envelope.to,
						subject: decodeSubject(parsed.headers.subject),
						headers: parsed.headers,
						body: parsed.body,
						parts: parsed.parts,
						links: [...parsed.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&')),
						raw,
						at: Date.now(),
					};
					messages.push(message);
					for (const w of [...waiters]) {
						if (w.predicate(message)) {
							waiters.splice(waiters.indexOf(w), 1);
							w.resolve(message);
						}
					}
					envelope = { from: undefined, to: [] };
					reply('250 2.0.0 queued');
					continue;
				}
				const nl = buffer.indexOf('\r\n');
				if (nl < 0) return;
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') {
					socket.write('250-peekpro-ai-smtp-fake\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
				} else if (verb === 'HELO') reply('250 peekpro-ai-smtp-fake');
				else if (verb === 'MAIL') {
					envelope.from = /<([^>]*)>/.exec(line)?.[1];
					reply('250 2.1.0 ok');
				} else if (verb === 'RCPT') {
					envelope.to.push(/<([^>]*)>/.exec(line)?.[1]);
					reply('250 2.1.5 ok');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 end data with <CR><LF>.<CR><LF>');
				} else if (verb === 'RSET') {
					envelope = { from: undefined, to: [] };
					reply('250 ok');
				} else if (verb === 'NOOP') reply('250 ok');
				else if (verb === 'QUIT') {
					reply('221 bye');
					socket.end();
					return;
				} else reply('502 5.5.2 command not implemented');
			}
		});
		socket.on('error', () => {});
	});
	await new Promise((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolveListen);
	});
	const actualPort = server.address().port;
	return {
		url: `smtp://127.0.0.1:${actualPort}`,
		host: '127.0.0.1',
		port: actualPort,
		messages,
		/** Same shape as the HTTP fakes' records, so generic helpers can list them. */
		get requests() {
			return messages.map((m) => ({ method: 'SMTP', path: m.to.join(','), query: {}, headers: m.headers, body: m.body }));
		},
		reset() {
			messages.length = 0;
		},
		/** Resolves with the first message (past or future) matching `predicate`. */
		waitFor(predicate = () => true, timeoutMs = 20_000) {
			const found = messages.find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise((resolveWait, reject) => {
				const waiter = { predicate, resolve: resolveWait };
				waiters.push(waiter);
				setTimeout(() => {
					const i = waiters.indexOf(waiter);
					if (i >= 0) {
						waiters.splice(i, 1);
						reject(new Error(`no matching email within ${timeoutMs} ms; saw ${messages.length}`));
					}
				}, timeoutMs).unref();
			});
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise((r) => server.close(r));
		},
	};
}

const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The HTML part of a recorded message, or its text wrapped in <pre>. */
function htmlOf(message) {
	const parts = message.parts ?? [];
	const html = parts.find((p) => /text\/html/i.test(p.headers['content-type'] ?? ''));
	if (html) return html.body;
	if (/text\/html/i.test(message.headers['content-type'] ?? '')) return message.body;
	return `<pre>${escapeHtml(message.body)}</pre>`;
}

/**
 * A read-only web page, on loopback, listing what the SMTP sandbox received, newest first: each email
 * as a mail client would show it, and its links (the approval email's Approve / Decline buttons open
 * n8n's waiting-webhook URL, which resumes the held execution). The demo has no real mailbox, so
 * without this page the approval email it holds could not be read. `GET /messages.json` gives the
 * same as JSON.
 */
export async function startMailboxViewer({ smtp, port = 0 }) {
	const { createServer: createHttpServer } = await import('node:http');
	const server = createHttpServer((req, res) => {
		const messages = [...smtp.messages].reverse();
		if (req.url === '/messages.json') {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(messages.map(({ from, to, subject, links, at }) => ({ from, to, subject, links, at: new Date(at).toISOString() }))));
			return;
		}
		if (req.url !== '/' && req.url !== '/index.html') {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('not found');
			return;
		}
		const items = messages
			.map((m) => {
				const links = m.links.map((href) => `<li><a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(href)}</a></li>`).join('');
				// The email's own HTML in a sandboxed frame: shown as sent, its scripts never run, links open in a new tab.
				const doc = `<base target="_blank">${htmlOf(m)}`;
				return `<article><h2>${escapeHtml(m.subject || '(no subject)')}</h2>
<p class="meta">${escapeHtml(new Date(m.at).toLocaleString())} · from ${escapeHtml(m.from)} · to ${escapeHtml(m.to.join(', '))}</p>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(doc)}"></iframe>
${links ? `<details><summary>Links in this email (${m.links.length})</summary><ul>${links}</ul></details>` : ''}</article>`;
			})
			.join('\n');
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Demo mailbox (${messages.length})</title>
<style>body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em}article{border:1px solid #ccc;border-radius:6px;padding:0 1em 1em;margin:1em 0}
.meta{color:#555;font-size:.9em}iframe{width:100%;height:420px;border:1px solid #eee}</style></head><body>
<h1>Demo mailbox</h1><p>Emails the demo's SMTP sandbox received (nothing leaves this machine). Reload to see new ones.
An approval email's buttons resume the waiting n8n execution.</p>
${items || '<p><em>No email yet. Run <code>npm run demo:send</code>; the welcome-back flow sends its approval email here.</em></p>'}
</body></html>`);
	});
	await new Promise((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolveListen);
	});
	const actualPort = server.address().port;
	return {
		url: `http://127.0.0.1:${actualPort}`,
		port: actualPort,
		async close() {
			server.closeAllConnections?.();
			await new Promise((r) => server.close(r));
		},
	};
}
