import { lexiconSentiment } from '../models/features';

/**
 * Keyword rules: the classifier used when no LLM is configured and the fallback when the LLM fails.
 * Each rule set maps to the same fixed labels the LLM must choose from.
 */
export type ClassifyTask = 'referralSource' | 'abandonmentReason' | 'reviewSentiment' | 'custom';

export const LABELS: Record<Exclude<ClassifyTask, 'custom'>, string[]> = {
	referralSource: ['search_engine', 'social_media', 'friend_or_family', 'travel_site', 'hotel_or_concierge', 'returning_customer', 'email', 'other'],
	abandonmentReason: ['price', 'timing_or_availability', 'group_coordination', 'weather', 'trust_or_reviews', 'technical_issue', 'just_browsing', 'other'],
	reviewSentiment: ['positive', 'neutral', 'negative'],
};

const KEYWORDS: Record<string, Record<string, RegExp>> = {
	referralSource: {
		search_engine: /\b(google|bing|search(ed)?|duckduckgo|yahoo)\b/i,
		social_media: /\b(instagram|insta|facebook|fb|tiktok|youtube|twitter|pinterest|influencer|social media|reel)\b/i,
		friend_or_family: /\b(friends?|family|sister|brother|mom|dad|wife|husband|colleague|coworker|word of mouth|recommended by|told us|referred)\b/i,
		travel_site: /\b(tripadvisor|viator|getyourguide|expedia|yelp|airbnb|booking\.com|klook|lonely planet|travel blog)\b/i,
		hotel_or_concierge: /\b(hotel|concierge|front desk|resort|hostel|lodge|b&b)\b/i,
		returning_customer: /\b(again|before|last (year|time|summer)|returning|been here|came back)\b/i,
		email: /\b(email|newsletter|e-mail)\b/i,
	},
	abandonmentReason: {
		price: /\b(price|expensive|cost|cheaper|afford|budget|fees?|too much|discount)\b/i,
		timing_or_availability: /\b(date|time|sold out|availability|available|schedule|slot|full|later|next (week|month))\b/i,
		group_coordination: /\b(group|friends|family|partner|check with|confirm with|waiting on|kids)\b/i,
		weather: /\b(weather|rain|storm|forecast|wind|cold|hot|snow)\b/i,
		trust_or_reviews: /\b(reviews?|trust|safe|safety|legit|scam|refund policy|cancellation policy)\b/i,
		technical_issue: /\b(error|bug|crash(ed)?|payment failed|card (was )?declined|page|website|app|loading|broken)\b/i,
		just_browsing: /\b(browsing|just looking|comparing|research(ing)?|curious)\b/i,
	},
};

export interface RuleResult {
	label: string;
	confidence: number;
	matched: string[];
}

export function classifyByRules(task: ClassifyTask, text: string, labels: string[]): RuleResult {
	if (task === 'reviewSentiment') {
		const s = lexiconSentiment(text);
		return { label: s > 0.2 ? 'positive' : s < -0.2 ? 'negative' : 'neutral', confidence: Math.round((0.5 + Math.abs(s) / 2) * 100) / 100, matched: [] };
	}
	const table: Record<string, RegExp> =
		task === 'custom'
			? Object.fromEntries(labels.map((l) => [l, new RegExp(`\\b(${l.split(/[_\s-]+/).filter((w) => w.length > 2).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '$^'})\\b`, 'i')]))
			: KEYWORDS[task];
	const hits: Array<[string, number]> = [];
	for (const label of labels) {
		const re = table[label];
		if (!re) continue;
		const m = text.match(new RegExp(re.source, 'gi'));
		if (m) hits.push([label, m.length]);
	}
	hits.sort((a, b) => b[1] - a[1] || labels.indexOf(a[0]) - labels.indexOf(b[0]));
	if (!hits.length) {
		return { label: labels.includes('other') ? 'other' : labels[labels.length - 1], confidence: 0.2, matched: [] };
	}
	const total = hits.reduce((s, [, c]) => s + c, 0);
	return { label: hits[0][0], confidence: Math.round(Math.min(0.9, 0.4 + (0.5 * hits[0][1]) / total) * 100) / 100, matched: hits.map(([l]) => l) };
}
