import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	touchpoint: 'normalize';
	booking: 'attribute';
	journeys: 'markov' | 'shapley';
	report: 'aggregate' | 'anomalies';
};

export type AttributionType = AllEntities<NodeMap>;
