import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	score: 'noShow' | 'cartAbandonment' | 'customerValue' | 'nextBestActivity' | 'segment';
	text: 'classify' | 'generateContent';
	model: 'train';
};

export type AiScorerType = AllEntities<NodeMap>;
