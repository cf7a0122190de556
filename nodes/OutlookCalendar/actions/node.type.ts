import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	booking: 'sync' | 'checkConflicts' | 'suggestAlternatives';
	availability: 'read';
	event: 'get' | 'getMany' | 'delete';
};

export type OutlookCalendarType = AllEntities<NodeMap>;
