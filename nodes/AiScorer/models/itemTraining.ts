import type { IDataObject } from 'n8n-workflow';

import { get, num, pick, time } from '../../shared/fields';
import { TASKS, type ExtractOptions, type TaskId } from './features';
import { checkLabels, train, type ScoringModel, type TrainOptions, type TrainResult } from './model';
import { categoryCounts, encodeRow, featureNames, inferSchema, rowTime, TrainingDataError, type TabularSchema } from './tabular';

/**
 * The whole Train path from items to model, shared by the node's Train operation and
 * scripts/evaluate-model.mjs (which bundles this file), so the evaluate command measures exactly
 * what the node does. `encodeItem` is the Score side of the same contract.
 */
export interface ItemTrainConfig {
	task: TaskId;
	labelField: string;
	/** builtIn: the task's documented booking features; all: every other field; fields: the listed ones. */
	features: 'builtIn' | 'all' | 'fields';
	fields?: string[];
	exclude?: string[];
	/** Field that orders rows in time (forward split). Empty: the lead-time reference, else the first date column. */
	timeField?: string;
	/** Date field the booking was made at: other dates get a lead time in days from it. */
	leadFrom?: string;
	maxCategories?: number;
	extract?: ExtractOptions;
	train: TrainOptions;
	now?: number;
}

export interface ItemTrainResult extends TrainResult {
	labelledRows: number;
	skippedRows: number;
	timeField?: string;
}

/** A 0/1 outcome from true/false, 1/0, yes/no or the task's own words; NaN when unreadable. */
export function readLabel(value: unknown): number {
	if (value === true) return 1;
	if (value === false) return 0;
	if (typeof value === 'string' && /^(no_show|no-show|noshow|converted|rebooked)$/i.test(value.trim())) return 1;
	const n = num(value);
	return n === 1 || n === 0 ? n : Number.NaN;
}

const BOOKED_AT = ['purchasedAt', 'purchased_at', 'createdAt', 'created_at', 'bookedAt', 'booked_at', 'booking.purchasedAt', 'booking.createdAt'];

export function trainOnItems(items: IDataObject[], cfg: ItemTrainConfig): ItemTrainResult {
	const labelled: IDataObject[] = [];
	const labels: number[] = [];
	for (const json of items) {
		const y = readLabel(get(json, cfg.labelField));
		if (Number.isNaN(y)) continue;
		labelled.push(json);
		labels.push(y);
	}
	const n = labelled.length;
	if (n === 0) {
		throw new TrainingDataError('tooFewRows', `No item has a readable label in "${cfg.labelField}"`, 'The label field must hold true/false, yes/no or 1/0 on each training item; check the field name (dot path for nested fields).');
	}
	// Labels first: "one class only" says more than any complaint about the features.
	checkLabels(labels, cfg.labelField);
	let schema: TabularSchema | undefined;
	let names: string[];
	let categorical: number[] | undefined;
	if (cfg.features === 'builtIn') names = TASKS[cfg.task].features.map((f) => f.name);
	else {
		schema = inferSchema(labelled, {
			label: cfg.labelField,
			fields: cfg.features === 'fields' ? cfg.fields : undefined,
			exclude: cfg.exclude,
			leadFrom: cfg.leadFrom || undefined,
			maxCategories: cfg.maxCategories,
		});
		names = featureNames(schema);
		categorical = categoryCounts(schema);
	}
	const columns = names.map(() => new Float64Array(n));
	const x = new Float64Array(names.length);
	const now = cfg.now ?? Date.now();
	const spec = TASKS[cfg.task];
	for (let i = 0; i < n; i++) {
		if (schema) encodeRow(schema, labelled[i], x);
		else spec.extract(labelled[i], x, now, cfg.extract);
		for (let f = 0; f < names.length; f++) columns[f][i] = x[f];
	}
	const timeField = cfg.timeField || cfg.leadFrom || schema?.columns.find((c) => c.kind === 'date')?.field;
	let times: Float64Array | undefined;
	if (timeField) times = Float64Array.from(labelled, (j) => rowTime(j, timeField));
	else if (!schema) times = Float64Array.from(labelled, (j) => time(pick(j, BOOKED_AT)));
	const result = train(cfg.task, columns, Float64Array.from(labels), { ...cfg.train, schema, categorical, labelField: cfg.labelField, timeField: timeField ?? 'purchasedAt' }, Date.now, times);
	return { ...result, labelledRows: n, skippedRows: items.length - n, timeField };
}

/**
 * The feature row Score feeds a model: the model's own schema when it was trained on the
 * operator's fields, the task's built-in extractor otherwise.
 */
export function encodeItem(model: ScoringModel, task: TaskId, json: IDataObject, asOf: number, options?: ExtractOptions): Float64Array {
	const x = new Float64Array(model.features.length);
	if (model.schema) encodeRow(model.schema as TabularSchema, json, x);
	else TASKS[task].extract(json, x, asOf, options);
	return x;
}
