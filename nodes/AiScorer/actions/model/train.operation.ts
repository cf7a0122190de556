import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { createAuditRecord } from '../../../shared/audit';
import { itemIsShadow } from '../../../shared/governance';
import { get, num } from '../../../shared/fields';
import { TASKS, type TaskId } from '../../models/features';
import { train, type TrainOptions } from '../../models/model';
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
	satisfactionScaleProperty({ ...show, task: ['rebook'] }),
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
					{ name: 'Auto', value: 'auto', description: 'Platt scaling for trees, none for logistic regression' },
					{ name: 'Isotonic', value: 'isotonic' },
					{ name: 'None', value: 'none' },
					{ name: 'Platt', value: 'platt' },
				],
			},
			{
				displayName: 'Held-Out Fraction',
				name: 'holdoutFraction',
				type: 'number',
				default: 0.2,
				typeOptions: { minValue: 0.05, maxValue: 0.5, numberPrecision: 2 },
				description: 'Share of rows kept aside to measure AUC, log loss and calibration',
			},
			{ displayName: 'Learning Rate', name: 'learningRate', type: 'number', default: 0.1, typeOptions: { minValue: 0.001, maxValue: 1, numberPrecision: 3 } },
			{ displayName: 'Max Iterations', name: 'maxIterations', type: 'number', default: 100, typeOptions: { minValue: 1, maxValue: 2000 } },
			{ displayName: 'Max Leaf Nodes', name: 'maxLeafNodes', type: 'number', default: 31, typeOptions: { minValue: 2, maxValue: 255 } },
			{
				displayName: 'Put Model in Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: '',
				placeholder: 'e.g. model',
				description: 'Also attach the model as a JSON file in this binary field (for Write File or a variable)',
			},
			{ displayName: 'Seed', name: 'seed', type: 'number', default: 42, description: 'Seed for the train/test split; the same data and seed give the same model' },
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

function label(value: unknown): number {
	if (value === true) return 1;
	if (value === false) return 0;
	if (typeof value === 'string' && /^(no_show|no-show|noshow|converted|rebooked)$/i.test(value.trim())) return 1;
	const n = num(value);
	return n === 1 || n === 0 ? n : Number.NaN;
}

/** Trains on all input items at once and outputs one item with the model JSON and its metrics. */
export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const task = this.getNodeParameter('task', 0) as TaskId;
	const spec = TASKS[task];
	const labelField = (this.getNodeParameter('labelField', 0, '') as string) || spec.defaultLabelField;
	const now = Date.now();
	const nf = spec.features.length;
	const columns = Array.from({ length: nf }, () => new Float64Array(items.length));
	const labels = new Float64Array(items.length);
	const x = new Float64Array(nf);
	let kept = 0;
	let skipped = 0;
	for (const item of items) {
		const y = label(get(item.json, labelField));
		if (Number.isNaN(y)) {
			skipped++;
			continue;
		}
		spec.extract(item.json, x, now, { satisfactionScale: satisfactionScaleOf(this, 0) });
		for (let f = 0; f < nf; f++) columns[f][kept] = x[f];
		labels[kept++] = y;
	}
	const used = columns.map((c) => c.subarray(0, kept));
	const y = labels.subarray(0, kept);
	let positives = 0;
	for (let i = 0; i < kept; i++) positives += y[i];
	if (kept < 20 || positives === 0 || positives === kept) {
		throw new NodeOperationError(this.getNode(), `Not enough labelled rows to train (${kept} with a label in "${labelField}", ${positives} positive)`, {
			description: 'Train needs at least 20 items whose label field is true/false or 1/0, with both outcomes present.',
		});
	}
	const options: TrainOptions = {
		algorithm: this.getNodeParameter('algorithm', 0, 'gbdt') as 'gbdt' | 'logistic',
		holdoutFraction: this.getNodeParameter('options.holdoutFraction', 0, 0.2) as number,
		calibration: this.getNodeParameter('options.calibration', 0, 'auto') as TrainOptions['calibration'],
		seed: this.getNodeParameter('options.seed', 0, 42) as number,
		gbdt: {
			maxIter: this.getNodeParameter('options.maxIterations', 0, 100) as number,
			learningRate: this.getNodeParameter('options.learningRate', 0, 0.1) as number,
			maxLeafNodes: this.getNodeParameter('options.maxLeafNodes', 0, 31) as number,
		},
	};
	const { model, metrics } = train(task, used, new Float64Array(y), options);
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
