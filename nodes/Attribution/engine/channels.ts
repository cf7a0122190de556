/**
 * GA4's default channel grouping, applied to messy marketing data.
 *
 * Rules and their order follow Google's published definition ("[GA4] Default channel group",
 * support.google.com/analytics/answer/9756891): the first rule that matches decides. Evaluation order
 * as GA4 lists the channels in its channel-group editor: Direct, Cross-network, Paid Shopping, Paid
 * Search, Paid Social, Paid Video, Display, Paid Other, Organic Shopping, Organic Social, Organic
 * Video, Organic Search, Email, Affiliates, Referral, Audio, SMS, Mobile Push Notifications, then
 * Unassigned. The source lists are the core of Google's downloadable "source categories" list (the
 * search engines, social networks, video and shopping sites that carry nearly all tour-operator
 * traffic); a source outside them falls to the medium rules, exactly as in GA4.
 *
 * Before the rules run, sources and mediums are cleaned (the messy cases real bookings carry):
 * case and whitespace, `(none)` / `(not set)` / empty, URLs instead of host names, link-shim hosts
 * (`l.facebook.com`, `lm.facebook.com`, `l.instagram.com`, `instagram.com/link`), mobile hosts
 * (`m.youtube.com`, `m.facebook.com`), Android app referrers (`android-app://com.google.android.gm`,
 * `com.google.android.gm`) and trailing junk (`facebook.com/`, `google,`, `Google Ads)`).
 *
 * Every function here walks strings by hand or with anchored, non-nested patterns, so it runs in
 * linear time on any input.
 */

export const GA4_CHANNELS = [
	'Direct',
	'Cross-network',
	'Paid Shopping',
	'Paid Search',
	'Paid Social',
	'Paid Video',
	'Display',
	'Paid Other',
	'Organic Shopping',
	'Organic Social',
	'Organic Video',
	'Organic Search',
	'Email',
	'Affiliates',
	'Referral',
	'Audio',
	'SMS',
	'Mobile Push Notifications',
	'Unassigned',
] as const;
export type Ga4Channel = (typeof GA4_CHANNELS)[number];

export const CLASSIFIER_ID = 'ga4-default-channel-grouping';
export const CLASSIFIER_VERSION = '2024-08';

/** Site → the host names and aliases it appears as in utm_source and referrers. */
const SEARCH = [
	'google', 'bing', 'yahoo', 'baidu', 'yandex', 'duckduckgo', 'ecosia', 'naver', 'ask', 'aol', 'seznam', 'sogou', 'qwant',
	'startpage', 'so.com', 'daum', 'coccoc', 'msn', 'brave', 'search.brave.com', 'perplexity', 'perplexity.ai', 'chatgpt.com', 'yandex.ru',
	'search.yahoo.com', 'googlequicksearchbox', 'onet', 'rambler', 'mail.ru', 'avg', 'dogpile', 'lycos', 'kvasir', 'biglobe', 'goo.ne',
];
const SOCIAL = [
	'facebook', 'fb', 'instagram', 'ig', 'twitter', 't.co', 'x', 'x.com', 'linkedin', 'lnkd.in', 'pinterest', 'reddit', 'tiktok', 'snapchat',
	'tumblr', 'vk', 'weibo', 'whatsapp', 'messenger', 'quora', 'threads', 'threads.net', 'meta', 'tripadvisor', 'yelp', 'discord', 'telegram',
	'wechat', 'line', 'kakao', 'mastodon', 'bsky', 'bluesky', 'nextdoor', 'meetup', 'flickr', 'slack', 'wordpress', 'blogger', 'medium',
	'pin.it', 'fb.me', 'm.me', 'ig.me', 'lemon8', 'xiaohongshu', 'douyin',
];
const VIDEO = ['youtube', 'youtu.be', 'vimeo', 'twitch', 'dailymotion', 'wistia', 'netflix', 'disneyplus', 'hulu', 'bilibili', 'rumble', 'ted', 'crackle', 'curiositystream'];
const SHOPPING = [
	'amazon', 'ebay', 'etsy', 'shopify', 'walmart', 'alibaba', 'aliexpress', 'target', 'igshopping', 'google shopping', 'shopping.google', 'shopzilla',
	'mercadolibre', 'rakuten', 'zalando', 'wish', 'groupon', 'stripe', 'checkout.shopify',
];

const SEARCH_SET = new Set(SEARCH);
const SOCIAL_SET = new Set(SOCIAL);
const VIDEO_SET = new Set(VIDEO);
const SHOPPING_SET = new Set(SHOPPING);

/** Android package names as they appear as referrers (`android-app://…`). */
const ANDROID_APPS: Record<string, { source: string; medium?: string }> = {
	'com.google.android.gm': { source: 'gmail', medium: 'email' },
	'com.google.android.googlequicksearchbox': { source: 'google', medium: 'organic' },
	'com.google.android.apps.searchlite': { source: 'google', medium: 'organic' },
	'com.facebook.katana': { source: 'facebook' },
	'com.facebook.orca': { source: 'messenger' },
	'com.instagram.android': { source: 'instagram' },
	'com.twitter.android': { source: 'twitter' },
	'com.linkedin.android': { source: 'linkedin' },
	'com.pinterest': { source: 'pinterest' },
	'com.reddit.frontpage': { source: 'reddit' },
	'com.zhiliaoapp.musically': { source: 'tiktok' },
	'com.google.android.youtube': { source: 'youtube' },
	'com.microsoft.office.outlook': { source: 'outlook', medium: 'email' },
	'com.yahoo.mobile.client.android.mail': { source: 'yahoo mail', medium: 'email' },
	'com.whatsapp': { source: 'whatsapp' },
};

/** Web mail hosts: a referral from one of them is an email click (GA4 reads these as referral). */
const WEBMAIL = new Set(['mail.google.com', 'outlook.live.com', 'outlook.office.com', 'outlook.office365.com', 'mail.yahoo.com', 'gmail', 'outlook', 'yahoo mail', 'mail.aol.com']);

const SHOP_CAMPAIGN = /(?:^|[^a-df-z])shop|shopping/;
// After cleaning, "(direct)" and "(none)" have lost their brackets: both spellings are listed.
const EMPTY = new Set(['', '(none)', '(not set)', 'none', 'not set', 'null', 'undefined', '(direct)', 'direct', 'n/a', '-']);

/** Lower case, trimmed, inner whitespace collapsed, quotes and trailing punctuation removed. */
export function clean(value: unknown): string {
	if (typeof value !== 'string' && typeof value !== 'number') return '';
	let s = String(value).slice(0, 500).toLowerCase();
	let out = '';
	let space = false;
	for (const ch of s) {
		if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u00a0' || ch === '+') {
			space = out.length > 0;
			continue;
		}
		if (space) out += ' ';
		space = false;
		out += ch;
	}
	s = out;
	// Trailing junk: punctuation, slashes, quotes, brackets ("facebook.com/", "google,", "ads)").
	let end = s.length;
	while (end > 0 && ',;:/\\.!?)]}"\'>|#&='.includes(s[end - 1])) end--;
	let start = 0;
	while (start < end && '"\'([{<'.includes(s[start])) start++;
	return s.slice(start, end);
}

function isEmpty(value: string): boolean {
	return EMPTY.has(value);
}

/**
 * A referrer or source as a site key: host without protocol, `www.`, `m.`, `l.`, `lm.`, `mobile.`,
 * port, path or query; `instagram.com/link` → `instagram`; Android app ids → the app's site.
 */
export function siteOf(value: string): { site: string; host: string; app?: { source: string; medium?: string } } {
	let s = value;
	const app = s.startsWith('android-app://') ? s.slice('android-app://'.length) : s;
	const appId = app.split('/')[0];
	if (ANDROID_APPS[appId]) return { site: ANDROID_APPS[appId].source, host: appId, app: ANDROID_APPS[appId] };
	const proto = s.indexOf('://');
	if (proto >= 0 && proto < 12) s = s.slice(proto + 3);
	let cut = s.length;
	for (const sep of ['/', '?', '#', ':']) {
		const at = s.indexOf(sep);
		if (at >= 0 && at < cut) cut = at;
	}
	let host = s.slice(0, cut);
	for (;;) {
		const dot = host.indexOf('.');
		const label = dot > 0 ? host.slice(0, dot) : '';
		if (dot > 0 && host.indexOf('.', dot + 1) > 0 && (label === 'www' || label === 'm' || label === 'l' || label === 'lm' || label === 'mobile' || label === 'web' || label === 'touch' || label === 'amp')) {
			host = host.slice(dot + 1);
			continue;
		}
		break;
	}
	if (WEBMAIL.has(host)) return { site: host, host };
	// The registrable name: "google.co.uk" → "google", "news.ycombinator.com" stays whole (not listed).
	const labels = host.split('.');
	const known = (name: string): boolean => SEARCH_SET.has(name) || SOCIAL_SET.has(name) || VIDEO_SET.has(name) || SHOPPING_SET.has(name);
	if (known(host)) return { site: host, host };
	for (let i = 0; i < labels.length - 1; i++) {
		if (known(labels[i]) && (i === labels.length - 2 || labels.length - i <= 3)) return { site: labels[i], host };
	}
	if (labels.length === 1) return { site: host, host };
	return { site: host, host };
}

export interface RawTouch {
	source?: unknown;
	medium?: unknown;
	campaign?: unknown;
	referrer?: unknown;
	clickIds?: Record<string, unknown>;
	affiliateId?: unknown;
	promoCode?: unknown;
	/** The promo code is one the operator listed as an influencer's (Normalize → Influencer Codes). */
	influencerCode?: boolean;
}

export interface Classified {
	channel: Ga4Channel;
	source: string;
	medium: string;
	campaign?: string;
	/** The rule that decided, e.g. "Paid Search: source google is a search site and medium cpc matches the paid pattern". */
	rule: string;
	ruleId: string;
	/** What the cleaning step changed, so a reviewer sees why `l.facebook.com/` became facebook. */
	cleaned: string[];
	/** Nothing but the fallback matched: a candidate for the AI Scorer's text classifier. */
	unresolved: boolean;
}

/** Click ids → the source/medium their ad platform's auto-tagging stands for. */
const CLICK_IDS: Record<string, { source: string; medium: string; why: string }> = {
	gclid: { source: 'google', medium: 'cpc', why: 'gclid is set only by Google Ads auto-tagging' },
	gbraid: { source: 'google', medium: 'cpc', why: 'gbraid is set only by Google Ads (iOS app campaigns)' },
	wbraid: { source: 'google', medium: 'cpc', why: 'wbraid is set only by Google Ads (iOS web-to-app)' },
	msclkid: { source: 'bing', medium: 'cpc', why: 'msclkid is set only by Microsoft Advertising auto-tagging' },
	ttclid: { source: 'tiktok', medium: 'paid', why: 'ttclid is set only by TikTok Ads' },
	li_fat_id: { source: 'linkedin', medium: 'paid', why: 'li_fat_id is set only by LinkedIn Ads' },
	// fbclid is appended to every outbound Facebook/Instagram link, organic posts included, so on its own
	// it says "came from Meta", not "paid": the source is set, the medium is left to the UTM data.
	fbclid: { source: 'facebook', medium: '', why: 'fbclid marks any click out of Facebook or Instagram, organic or paid' },
};

function hasEmail(v: string): boolean {
	return v === 'email' || v === 'e-mail' || v === 'e_mail' || v === 'e mail' || v === 'newsletter' || v === 'gmail' || WEBMAIL.has(v);
}

/**
 * Classifies one touch. Precedence of evidence: explicit UTM source/medium, then click ids (which
 * fill what UTM leaves empty), then an affiliate id, then the referrer, then a promo code; nothing at all
 * is Direct. The rule string names every fact it used.
 */
export function classify(raw: RawTouch): Classified {
	const cleaned: string[] = [];
	const note = (field: string, from: unknown, to: string): void => {
		if (typeof from === 'string' && from !== to && from.trim() !== '') cleaned.push(`${field}: "${from.slice(0, 80)}" → "${to}"`);
	};
	let source = clean(raw.source);
	let medium = clean(raw.medium);
	const campaign = clean(raw.campaign);
	if (isEmpty(source)) source = '';
	if (isEmpty(medium)) medium = '';
	let evidence = source || medium ? 'utm' : '';

	if (source) {
		const site = siteOf(source);
		if (site.app) {
			source = site.app.source;
			if (!medium && site.app.medium) medium = site.app.medium;
		} else if (site.site !== source && (source.includes('.') || source.includes('/'))) {
			source = site.site;
		}
	}
	for (const [key, meaning] of Object.entries(CLICK_IDS)) {
		const v = raw.clickIds?.[key];
		if (v === undefined || v === null || v === '') continue;
		if (!source) source = meaning.source;
		if (!medium && meaning.medium && (source === meaning.source)) medium = meaning.medium;
		evidence = evidence ? `${evidence}+${key}` : key;
		cleaned.push(`${key}: ${meaning.why}`);
		break;
	}
	const referrer = clean(raw.referrer);
	const refSite = referrer && !isEmpty(referrer) ? siteOf(referrer) : undefined;
	const affiliate = clean(raw.affiliateId);
	// An affiliate id is the affiliate programme's own evidence: it outranks a referrer (the affiliate's
	// blog would otherwise read as Referral), never explicit UTM data.
	if (affiliate && !isEmpty(affiliate) && !medium) {
		medium = 'affiliate';
		if (!source) source = refSite?.site ?? affiliate;
		evidence = evidence ? `${evidence}+affiliate_id` : 'affiliate_id';
	}
	if (!source && refSite) {
		source = refSite.site;
		if (refSite.app?.medium && !medium) medium = refSite.app.medium;
		else if (!medium) medium = WEBMAIL.has(refSite.site) ? 'email' : SEARCH_SET.has(refSite.site) ? 'organic' : 'referral';
		evidence = evidence ? `${evidence}+referrer` : 'referrer';
	}
	const promo = clean(raw.promoCode);
	if (!source && !medium && promo && !isEmpty(promo) && raw.influencerCode) {
		// An influencer's code without any click data: the guest typed the code the influencer gave them.
		// Other promo codes (SUMMER10) travel through email, ads and word of mouth alike, so they name
		// no channel: the touch stays Direct, with the code kept on it.
		source = promo;
		medium = 'influencer';
		evidence = 'influencer_code';
	}
	note('source', raw.source, source);
	note('medium', raw.medium, medium);

	const result = (channel: Ga4Channel, ruleId: string, rule: string): Classified => ({
		channel,
		source: source || '(direct)',
		medium: medium || '(none)',
		...(campaign && !isEmpty(campaign) ? { campaign } : {}),
		rule: `${rule}${evidence ? ` [from ${evidence}]` : ''}`,
		ruleId,
		cleaned,
		unresolved: channel === 'Unassigned',
	});
	const srcSite = source ? siteOf(source).site : '';
	const isSearch = SEARCH_SET.has(srcSite);
	const isSocial = SOCIAL_SET.has(srcSite);
	const isVideo = VIDEO_SET.has(srcSite);
	const isShopping = SHOPPING_SET.has(srcSite) || SHOP_CAMPAIGN.test(campaign);
	// GA4's paid pattern ^(.*cp.*|ppc|retargeting|paid.*)$, written as string tests.
	const paid = medium.includes('cp') || medium === 'ppc' || medium === 'retargeting' || medium.startsWith('paid');

	if (!source && !medium) return result('Direct', 'direct', 'Direct: no source, medium, click id or referrer');
	if (campaign.includes('cross-network')) return result('Cross-network', 'cross-network', `Cross-network: campaign "${campaign}" contains cross-network`);
	if (isShopping && paid) return result('Paid Shopping', 'paid-shopping', `Paid Shopping: ${SHOPPING_SET.has(srcSite) ? `source ${srcSite} is a shopping site` : `campaign "${campaign}" names shopping`} and medium ${medium} is paid`);
	if (isSearch && paid) return result('Paid Search', 'paid-search', `Paid Search: source ${srcSite} is a search site and medium ${medium} matches the paid pattern`);
	if (isSocial && paid) return result('Paid Social', 'paid-social', `Paid Social: source ${srcSite} is a social site and medium ${medium} matches the paid pattern`);
	if (isVideo && paid) return result('Paid Video', 'paid-video', `Paid Video: source ${srcSite} is a video site and medium ${medium} matches the paid pattern`);
	if (['display', 'banner', 'expandable', 'interstitial', 'cpm'].includes(medium)) return result('Display', 'display', `Display: medium ${medium} is a display medium`);
	if (paid) return result('Paid Other', 'paid-other', `Paid Other: medium ${medium} matches the paid pattern, source ${source || '(none)'} is in no paid list`);
	if (isShopping) return result('Organic Shopping', 'organic-shopping', `Organic Shopping: ${SHOPPING_SET.has(srcSite) ? `source ${srcSite} is a shopping site` : `campaign "${campaign}" names shopping`}`);
	if (isSocial || ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'].includes(medium)) {
		return result('Organic Social', 'organic-social', isSocial ? `Organic Social: source ${srcSite} is a social site` : `Organic Social: medium ${medium} is a social medium`);
	}
	if (isVideo || medium.includes('video')) return result('Organic Video', 'organic-video', isVideo ? `Organic Video: source ${srcSite} is a video site` : `Organic Video: medium ${medium} contains video`);
	if (isSearch || medium === 'organic') return result('Organic Search', 'organic-search', isSearch ? `Organic Search: source ${srcSite} is a search site` : 'Organic Search: medium is organic');
	if (hasEmail(source) || hasEmail(medium)) return result('Email', 'email', `Email: ${hasEmail(medium) ? `medium ${medium}` : `source ${source}`} is email`);
	if (medium === 'affiliate' || medium === 'affiliates' || medium === 'partner' || medium === 'influencer') return result('Affiliates', 'affiliates', `Affiliates: medium ${medium}`);
	if (['referral', 'app', 'link'].includes(medium)) return result('Referral', 'referral', `Referral: medium ${medium}`);
	if (medium === 'audio' || medium === 'podcast') return result('Audio', 'audio', `Audio: medium ${medium}`);
	if (source === 'sms' || medium === 'sms' || medium === 'text') return result('SMS', 'sms', `SMS: ${medium === 'sms' || medium === 'text' ? `medium ${medium}` : 'source sms'}`);
	if (medium.endsWith('push') || medium.includes('mobile') || medium.includes('notification') || source === 'firebase') {
		return result('Mobile Push Notifications', 'mobile-push', `Mobile Push Notifications: ${source === 'firebase' ? 'source firebase' : `medium ${medium}`}`);
	}
	return result('Unassigned', 'unassigned', `Unassigned: source ${source || '(none)'} / medium ${medium || '(none)'} match no GA4 rule`);
}

/** A channel label from free text (the AI Scorer's classifier answer, an operator's override). */
export function toGa4Channel(label: unknown): Ga4Channel | undefined {
	const c = clean(label);
	return GA4_CHANNELS.find((ch) => ch.toLowerCase() === c);
}
