// The Peek-started templates act only on verified fields: no node reads the trigger's `unverified`
// part, the raw delivery, or UTM/consent fields (which, with verify-by-fetch, exist on the booking
// only when Peek's record has them). Checked on the generated JSON the user imports.
import cart from '../../../workflows/abandoned-cart-recovery.json';
import upsell from '../../../workflows/post-booking-upsell.json';
import trip from '../../../workflows/post-trip-repeat-booking.json';
import welcome from '../../../workflows/welcome-back.json';

interface Wf {
	nodes: Array<{ name: string; type: string; parameters: unknown }>;
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}
const peekStarted = Object.entries({ 'abandoned-cart-recovery.json': cart, 'post-booking-upsell.json': upsell, 'post-trip-repeat-booking.json': trip, 'welcome-back.json': welcome }).map(
	([file, wf]) => ({ file, wf: wf as unknown as Wf }),
);

describe('Peek-started templates and the trust boundary', () => {
	it('each template checked is Peek-started', () => {
		for (const { wf } of peekStarted) expect(wf.nodes.some((n) => n.type.endsWith('.peekProTrigger'))).toBe(true);
	});

	it.each(peekStarted.map((t) => [t.file, t.wf] as const))('%s reads no unverified, raw, UTM or consent field', (_file, wf) => {
		for (const node of wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')) {
			const text = JSON.stringify(node.parameters);
			expect({ node: node.name, match: text.match(/unverified|\$json\.raw|\.raw\b|utm|consent|optin/i)?.[0] ?? null }).toEqual({ node: node.name, match: null });
		}
	});

	it.each(peekStarted.map((t) => [t.file, t.wf] as const))('%s sends Verify Later through a re-check before Config', (_file, wf) => {
		const trigger = wf.nodes.find((n) => n.type.endsWith('.peekProTrigger'))!;
		const outs = wf.connections[trigger.name].main;
		expect(outs[0].map((c) => c.node)).toEqual(['Config']);
		expect(outs[1].map((c) => c.node)).toEqual(['Wait to re-verify']);
		expect(wf.connections['Wait to re-verify'].main[0].map((c) => c.node)).toEqual(['Re-verify booking']);
		const recheck = wf.nodes.find((n) => n.name === 'Re-verify booking')!;
		expect(recheck.parameters).toMatchObject({ resource: 'booking', operation: 'get', options: { claimedEvent: '={{ $json.claimedEvent }}' } });
	});
});
