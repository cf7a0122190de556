import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	waitlist: 'planOffers' | 'nextOffer';
};

export type WaitlistFillerType = AllEntities<NodeMap>;
