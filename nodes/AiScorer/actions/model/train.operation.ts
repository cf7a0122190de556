import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { createAuditRecord } from '../../../shared/audit';
import { itemIsShadow } from '../../../shared/governance';
import { TASKS, type TaskId } from '../../models/features';
import { trainOnItems, type ItemTrainConfig, type ItemTrainResult } from '../../models/itemTraining';
import type { TrainOptions } from '../../models/model';
import { TrainingDataError } from '../../models/tabular';
import { satisfactionScaleOf, satisfactionScaleProperty } from '../score/common';

const show = { resource: ['model'], operation: ['train'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Model To Train',
		name: 'task',
		type: 'options',
		default: 'noShow',
		options: [
			{ name: 'No-Show', value: 'noShow', description: 'Label: 1 when the booking was a no-show or late cancellation' },
			{ name: 'Cart Conversion', value: 'cartAbandonment', description: 'Label: 1 when the abandoned cart later converted' },
			{ name: 'Rebook', value: 'rebook', description: 'Label: 1 when the customer booked again within the horizon' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Label Field',
		name: 'labelField',
		type: 'string',
		default: '',
		placeholder: 'e.g. noShow',
		description: 'Field holding the outcome (true/false or 1/0). Empty uses the default: noShow, converted or rebooked.',
		displayOptions: { show },
	},
	{
		displayName: 'Features',
		name: 'features',
		type: 'options',
		default: 'builtIn',
		options: [
			{ name: 'Built-In Booking Features', value: 'builtIn', description: 'The documented inputs of the chosen model (lead time, party size, channel…; see MODELS.md)' },
			{ name: 'All Other Fields', value: 'all', description: 'Learn from every top-level field except the label: numbers, categories, yes/no and dates are recognised' },
			{ name: 'Chosen Fields', value: 'fields', description: 'Learn from the fields you list' },
		],
		description: 'What the model learns from. Learned fields are stored in the model, and Score reads the same fields.',
		displayOptions: { show },
	},
	{
		displayName: 'Feature Fields',
		name: 'featureFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. country, market_segment, deposit_type, customer.visits',
		description: 'Comma-separated field names (dot paths for nested fields)',
		displayOptions: { show: { ...show, features: ['fields'] } },
	},
	{
		displayName: 'Fields To Ignore',
		name: 'excludeFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. email, status, refund_reason',
		description: 'Comma-separated fields to leave out: identifiers, and anything only known after the outcome (it would leak the answer)',
		displayOptions: { show: { ...show, features: ['all'] } },
	},
	satisfactionScaleProperty({ ...show, task: ['rebook'], features: ['builtIn'] }),
	{
		displayName: 'Algorithm',
		name: 'algorithm',
		type: 'options',
		default: 'gbdt',
		options: [
			{ name: 'Gradient-Boosted Trees', value: 'gbdt', description: 'Captures interactions; best with a few thousand rows or more' },
			{ name: 'Logistic Regression', value: 'logistic', description: 'Simple and robust on small data' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Calibration',
				name: 'calibration',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Auto', value: 'auto', description: 'None, Platt or isotonic: whichever has the lowest log loss on held-out rows' },
					{ name: 'Isotonic', value: 'isotonic' },
					{ name: 'None', value: 'none' },
					{ name: 'Platt', value: 'platt' },
				],
			},
			{
				displayName: 'Final Fit on All Rows',
				name: 'refit',
				type: 'boolean',
				default: true,
				description: 'Whether to fit the output model again on every row once the held-out figures are measured (the latest bookings say most about the next ones). Off: the output model is the one measured.',
			},
			{
				displayName: 'Held-Out Fraction',
				name: 'holdoutFraction',
				type: 'number',
				default: 0.2,
				typeOptions: { minValue: 0.05, maxValue: 0.5, numberPrecision: 2 },
				description: 'Share of rows kept aside to measure AUC, log loss and calibration (the latest ones when there is a time field)',
			},
			{
				displayName: 'Lead Time From',
				name: 'leadFrom',
				type: 'string',
				default: '',
				placeholder: 'e.g. purchasedAt',
				description: 'Date field when the booking was made: every other date field also gets its lead time in days from it. Also the default Time Field.',
				displayOptions: { hide: { '/features': ['builtIn'] } },
			},
			{ displayName: 'Learning Rate', name: 'learningRate', type: 'number', default: 0.1, typeOptions: { minValue: 0.001, maxValue: 1, numberPrecision: 3 } },
			{
				displayName: 'Max Categories',
				name: 'maxCategories',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 2, maxValue: 254 },
				description: 'Most frequent values kept per category field; rarer and unseen values share one "other" bucket',
				displayOptions: { hide: { '/features': ['builtIn'] } },
			},
			{
				displayName: 'Max Iterations',
				name: 'maxIterations',
				type: 'number',
				default: 100,
				typeOptions: { minValue: 1, maxValue: 2000 },
				description: 'Most trees (gradient-boosted trees only). Training stops earlier when 10 more trees have not improved the log loss on held-out earlier rows.',
			},
			{ displayName: 'Max Leaf Nodes', name: 'maxLeafNodes', type: 'number', default: 31, typeOptions: { minValue: 2, maxValue: 255 } },
			{
				displayName: 'Put Model in Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: '',
				placeholder: 'e.g. model',
				description: 'Also attach the model as a JSON file in this binary field (for Write File or a variable)',
			},
			{ displayName: 'Seed', name: 'seed', type: 'number', default: 42, description: 'Seed for the random folds; the same data and seed give the same model' },
			{
				displayName: 'Time Field',
				name: 'timeField',
				type: 'string',
				default: '',
				placeholder: 'e.g. purchasedAt',
				description: 'Date field that orders the rows for the forward-in-time test. Empty: Lead Time From, else the first date field (built-in features: purchasedAt or createdAt).',
			},
			{
				displayName: 'Validation',
				name: 'split',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Auto', value: 'auto', description: 'Forward in time when the rows have a time field, random otherwise' },
					{ name: 'Forward in Time', value: 'time', description: 'Test on the latest rows: what the model will do on future bookings' },
					{ name: 'Random', value: 'random', description: 'Test on a random slice; optimistic when behaviour changes over time' },
				],
				description: 'How the held-out rows are chosen',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const list = (value: string) =>
	value
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);

/** Trains on all input items at once and outputs one item with the model JSON and its metrics. */
export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const task = this.getNodeParameter('task', 0) as TaskId;
	const spec = TASKS[task];
	const labelField = (this.getNodeParameter('labelField', 0, '') as string) || spec.defaultLabelField;
	const features = this.getNodeParameter('features', 0, 'builtIn') as ItemTrainConfig['features'];
	const now = Date.now();
	const trainOptions: TrainOptions = {
		algorithm: this.getNodeParameter('algorithm', 0, 'gbdt') as 'gbdt' | 'logistic',
		holdoutFraction: this.getNodeParameter('options.holdoutFraction', 0, 0.2) as number,
		calibration: this.getNodeParameter('options.calibration', 0, 'auto') as TrainOptions['calibration'],
		seed: this.getNodeParameter('options.seed', 0, 42) as number,
		split: this.getNodeParameter('options.split', 0, 'auto') as TrainOptions['split'],
		refit: this.getNodeParameter('options.refit', 0, true) as boolean,
		gbdt: {
			maxIter: this.getNodeParameter('options.maxIterations', 0, 100) as number,
			learningRate: this.getNodeParameter('options.learningRate', 0, 0.1) as number,
			maxLeafNodes: this.getNodeParameter('options.maxLeafNodes', 0, 31) as number,
		},
	};
	let result: ItemTrainResult;
	try {
		result = trainOnItems(
			items.map((i) => i.json),
			{
				task,
				labelField,
				features,
				fields: features === 'fields' ? list(this.getNodeParameter('featureFields', 0, '') as string) : undefined,
				exclude: features === 'all' ? list(this.getNodeParameter('excludeFields', 0, '') as string) : undefined,
				timeField: (this.getNodeParameter('options.timeField', 0, '') as string).trim() || undefined,
				leadFrom: features === 'builtIn' ? undefined : (this.getNodeParameter('options.leadFrom', 0, '') as string).trim() || undefined,
				maxCategories: features === 'builtIn' ? undefined : (this.getNodeParameter('options.maxCategories', 0, 100) as number),
				extract: features === 'builtIn' ? { satisfactionScale: satisfactionScaleOf(this, 0) } : undefined,
				train: trainOptions,
				now,
			},
		);
	} catch (error) {
		if (error instanceof TrainingDataError) throw new NodeOperationError(this.getNode(), error.message, { description: error.hint });
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const { model, metrics } = result;
	const kept = result.labelledRows;
	const skipped = result.skippedRows;
	model.trainedAt = new Date(now).toISOString();
	const shadow = (this.getNodeParameter('shadowMode', 0, false) as boolean) || items.some((i) => itemIsShadow(i.json));
	const audit = createAuditRecord(this, {
		decision: `trained ${model.id} ${model.version}`,
		decidedBy: { kind: 'model', id: model.id, version: model.version },
		input: { rows: kept, labelField, task },
		summary: { auc: metrics.auc, logLoss: metrics.logLoss, rows: kept },
		result: 'decided',
		shadow,
	});
	const json: IDataObject = {
		model: model as unknown as IDataObject,
		metrics: metrics as unknown as IDataObject,
		skippedRows: skipped,
		labelField,
		...(model.schema?.skipped?.length ? { skippedFields: model.schema.skipped as unknown as IDataObject[] } : {}),
		warnings: metrics.warnings,
		ai_model_id: model.id,
		ai_model_version: model.version,
		audit: audit as unknown as IDataObject,
	};
	if (shadow) json.shadow = true;
	const out: INodeExecutionData = { json, pairedItem: items.map((_, i) => ({ item: i })) };
	const binaryName = this.getNodeParameter('options.binaryPropertyName', 0, '') as string;
	if (binaryName) {
		const data = await this.helpers.prepareBinaryData(Buffer.from(JSON.stringify(model)), `${model.id}-${model.version}.json`, 'application/json');
		out.binary = { [binaryName]: data };
	}
	return [out];
}
