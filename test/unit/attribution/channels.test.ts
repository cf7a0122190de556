import { classify, GA4_CHANNELS } from '../../../nodes/Attribution/engine/channels';
import { cpuMsOf } from '../cpuTime';

describe('GA4 default channel grouping: one case per channel', () => {
	const cases: Array<[string, Parameters<typeof classify>[0], string]> = [
		['Direct', {}, 'direct'],
		['Cross-network', { source: 'google', medium: 'cpc', campaign: 'Cross-network PMax summer' }, 'cross-network'],
		['Paid Shopping', { source: 'google', medium: 'cpc', campaign: 'shopping_tours' }, 'paid-shopping'],
		['Paid Search', { source: 'google', medium: 'cpc', campaign: 'summer_alps' }, 'paid-search'],
		['Paid Social', { source: 'facebook', medium: 'paid_social', campaign: 'Summer Adventures' }, 'paid-social'],
		['Paid Video', { source: 'youtube', medium: 'cpv' }, 'paid-video'],
		['Display', { source: 'gdn', medium: 'display' }, 'display'],
		['Paid Other', { source: 'partner-network', medium: 'ppc' }, 'paid-other'],
		['Organic Shopping', { source: 'etsy', medium: 'referral' }, 'organic-shopping'],
		['Organic Social', { source: 'instagram', medium: 'bio_link' }, 'organic-social'],
		['Organic Video', { source: 'vimeo', medium: 'embed' }, 'organic-video'],
		['Organic Search', { source: 'duckduckgo', medium: 'organic' }, 'organic-search'],
		['Email', { source: 'newsletter', medium: 'email', campaign: 'retargeting' }, 'email'],
		['Affiliates', { source: 'travelblog', medium: 'affiliate' }, 'affiliates'],
		['Referral', { source: 'example.blog', medium: 'referral' }, 'referral'],
		['Audio', { source: 'spotify', medium: 'audio' }, 'audio'],
		['SMS', { source: 'sms', medium: 'text' }, 'sms'],
		['Mobile Push Notifications', { source: 'firebase', medium: 'app-push' }, 'mobile-push'],
		['Unassigned', { source: 'flyer', medium: 'qr' }, 'unassigned'],
	];
	it('covers every channel of the grouping', () => {
		expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(GA4_CHANNELS));
	});
	it.each(cases)('%s', (channel, raw, ruleId) => {
		const c = classify(raw);
		expect(c.channel).toBe(channel);
		expect(c.ruleId).toBe(ruleId);
		expect(c.rule.startsWith(`${channel}:`)).toBe(true);
		expect(c.unresolved).toBe(channel === 'Unassigned');
	});
	it('rule order: a paid social source is Paid Social, not Organic Social; a search site with organic medium is Organic Search', () => {
		expect(classify({ source: 'instagram', medium: 'cpc' }).channel).toBe('Paid Social');
		expect(classify({ source: 'bing', medium: 'organic' }).channel).toBe('Organic Search');
	});
});

describe('messy real-world values', () => {
	it('instagram.com/link as referrer is Organic Social from instagram', () => {
		const c = classify({ referrer: 'https://instagram.com/link?u=https%3A%2F%2Ftours.example' });
		expect(c).toMatchObject({ channel: 'Organic Social', source: 'instagram' });
	});
	it('l.facebook.com (the link shim) is facebook', () => {
		expect(classify({ referrer: 'https://l.facebook.com/l.php?u=x' })).toMatchObject({ channel: 'Organic Social', source: 'facebook' });
	});
	it('lm.facebook.com (the mobile link shim) is facebook', () => {
		expect(classify({ referrer: 'http://lm.facebook.com/' })).toMatchObject({ channel: 'Organic Social', source: 'facebook' });
	});
	it('m.youtube.com is youtube: Organic Video, Paid Video with a paid medium', () => {
		expect(classify({ referrer: 'https://m.youtube.com/watch?v=abc' })).toMatchObject({ channel: 'Organic Video', source: 'youtube' });
		expect(classify({ source: 'm.youtube.com', medium: 'cpv' })).toMatchObject({ channel: 'Paid Video', source: 'youtube' });
	});
	it('com.google.android.gm (the Gmail app) is Email', () => {
		expect(classify({ referrer: 'android-app://com.google.android.gm' })).toMatchObject({ channel: 'Email', source: 'gmail', medium: 'email' });
		expect(classify({ source: 'com.google.android.gm' })).toMatchObject({ channel: 'Email' });
	});
	it('mixed case and stray spaces', () => {
		expect(classify({ source: '  FaceBook ', medium: 'CPC' })).toMatchObject({ channel: 'Paid Social', source: 'facebook', medium: 'cpc' });
	});
	it('(none) and (not set) are empty: a booking with only those is Direct', () => {
		expect(classify({ source: '(direct)', medium: '(none)' }).channel).toBe('Direct');
		expect(classify({ source: '(not set)', medium: '(not set)' }).channel).toBe('Direct');
	});
	it('trailing junk: "facebook.com/", "google," and "Google Ads)"', () => {
		expect(classify({ source: 'facebook.com/', medium: 'social' })).toMatchObject({ channel: 'Organic Social', source: 'facebook' });
		expect(classify({ source: 'google,', medium: 'cpc' })).toMatchObject({ channel: 'Paid Search', source: 'google' });
		expect(classify({ source: 'www.google.co.uk/?q=kayak', medium: 'organic' })).toMatchObject({ channel: 'Organic Search', source: 'google' });
		expect(classify({ source: 'Email"', medium: '' }).channel).toBe('Email');
	});
	it('records what cleaning changed, so a reviewer sees why', () => {
		expect(classify({ source: 'L.Facebook.com/', medium: 'social' }).cleaned).toContain('source: "L.Facebook.com/" → "facebook"');
	});
});

describe('click ids, affiliates and promo codes', () => {
	it('gclid alone is Paid Search (Google Ads auto-tagging), and says it decided', () => {
		const c = classify({ clickIds: { gclid: 'Cj0KCQ' } });
		expect(c).toMatchObject({ channel: 'Paid Search', source: 'google', medium: 'cpc' });
		expect(c.rule).toContain('gclid');
	});
	it('gbraid, wbraid and msclkid are paid search too', () => {
		expect(classify({ clickIds: { gbraid: 'x' } }).channel).toBe('Paid Search');
		expect(classify({ clickIds: { wbraid: 'x' } }).channel).toBe('Paid Search');
		expect(classify({ clickIds: { msclkid: 'x' } })).toMatchObject({ channel: 'Paid Search', source: 'bing' });
	});
	it('ttclid and li_fat_id are paid social', () => {
		expect(classify({ clickIds: { ttclid: 'x' } })).toMatchObject({ channel: 'Paid Social', source: 'tiktok' });
		expect(classify({ clickIds: { li_fat_id: 'x' } })).toMatchObject({ channel: 'Paid Social', source: 'linkedin' });
	});
	it('fbclid alone is Organic Social (Meta adds it to organic clicks too); with a paid medium it is Paid Social', () => {
		expect(classify({ clickIds: { fbclid: 'x' } })).toMatchObject({ channel: 'Organic Social', source: 'facebook' });
		expect(classify({ medium: 'paid', clickIds: { fbclid: 'x' } })).toMatchObject({ channel: 'Paid Social', source: 'facebook' });
	});
	it('an explicit UTM source wins over a click id', () => {
		expect(classify({ source: 'newsletter', medium: 'email', clickIds: { gclid: 'x' } }).channel).toBe('Email');
	});
	it('affiliate id without UTM is Affiliates; an influencer code alone is Affiliates too; another promo code names no channel', () => {
		expect(classify({ affiliateId: 'AFF-55432' })).toMatchObject({ channel: 'Affiliates', medium: 'affiliate' });
		expect(classify({ promoCode: 'JESS10', influencerCode: true })).toMatchObject({ channel: 'Affiliates', source: 'jess10', medium: 'influencer' });
		expect(classify({ promoCode: 'SUMMER10' }).channel).toBe('Direct');
	});
	it('a referrer from an unknown site is Referral', () => {
		expect(classify({ referrer: 'https://example.blog/alps-tour-review' })).toMatchObject({ channel: 'Referral', source: 'example.blog' });
	});
	it('stays linear on a long adversarial value', () => {
		const long = `${'cp'.repeat(50_000)}x`;
		const ms = cpuMsOf(() => classify({ source: `${'a.'.repeat(50_000)}google`, medium: long, campaign: 'shop'.repeat(20_000), referrer: '/'.repeat(100_000) }));
		expect(ms).toBeLessThan(500);
	});
});
