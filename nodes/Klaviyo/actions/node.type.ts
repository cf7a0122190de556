import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	event: 'create' | 'createMany';
	profile: 'upsert' | 'getByEmail' | 'bulkImport';
	list: 'getMany' | 'addProfiles' | 'removeProfiles';
	consent: 'subscribe' | 'unsubscribe';
};

export type KlaviyoType = AllEntities<NodeMap>;
