import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { get } from '../../shared/fields';
import type { TaskId } from '../models/features';
import { defaultModel, parseModel, type ScoringModel } from '../models/model';

/** Where a Score operation gets its model: built-in priors, or JSON from a previous Train run. */
export function modelSourceProperties(operations: string[]): INodeProperties[] {
	const show = { resource: ['score'], operation: operations };
	return [
		{
			displayName: 'Model',
			name: 'modelSource',
			type: 'options',
			default: 'default',
			displayOptions: { show },
			options: [
				{ name: 'Default Priors (Untrained)', value: 'default', description: 'Documented default coefficients; works with no training data' },
				{ name: 'From Input Field', value: 'field', description: 'Model JSON in a field of the input item, e.g. the output of Train' },
				{ name: 'From Binary File', value: 'binary', description: 'A model JSON file in a binary property' },
				{ name: 'From Workflow Variable', value: 'variable', description: 'Model JSON stored in a workflow variable ($vars)' },
			],
		},
		{
			displayName: 'Model Field',
			name: 'modelField',
			type: 'string',
			default: 'model',
			placeholder: 'e.g. model',
			description: 'Dot path of the field holding the model JSON',
			displayOptions: { show: { ...show, modelSource: ['field'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'modelBinaryProperty',
			type: 'string',
			default: 'data',
			description: 'Binary property holding the model JSON file',
			displayOptions: { show: { ...show, modelSource: ['binary'] } },
		},
		{
			displayName: 'Variable Name',
			name: 'modelVariable',
			type: 'string',
			default: '',
			placeholder: 'e.g. no_show_model',
			description: 'Name of the workflow variable holding the model JSON',
			displayOptions: { show: { ...show, modelSource: ['variable'] } },
		},
	];
}

/** Parsed models per execution: the same variable or file is parsed once, not once per item. */
const textCache = new Map<string, ScoringModel>();
const objectCache = new WeakMap<object, ScoringModel>();

function cachedFromText(text: string, task: TaskId): ScoringModel {
	// The text itself is the key: V8 caches a string's hash, so repeated lookups are cheap.
	const key = text;
	const hit = textCache.get(key);
	if (hit && hit.task === task) return hit;
	const model = parseModel(text, task);
	if (textCache.size > 32) textCache.clear();
	textCache.set(key, model);
	return model;
}

export async function loadModel(ctx: IExecuteFunctions, itemIndex: number, task: TaskId, json: IDataObject): Promise<ScoringModel> {
	const source = ctx.getNodeParameter('modelSource', itemIndex, 'default') as string;
	if (source === 'default') return defaultModel(task);
	const fail = (message: string, description: string) => new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
	try {
		if (source === 'field') {
			const path = ctx.getNodeParameter('modelField', itemIndex, 'model') as string;
			const value = get(json, path);
			if (value === undefined) throw fail(`No model in field "${path}"`, 'Connect the output of the Train operation, or set Model Field to where the model JSON is.');
			if (typeof value === 'object' && value !== null) {
				const hit = objectCache.get(value);
				if (hit && hit.task === task) return hit;
				const model = parseModel(value, task);
				objectCache.set(value, model);
				return model;
			}
			return cachedFromText(String(value), task);
		}
		if (source === 'binary') {
			const prop = ctx.getNodeParameter('modelBinaryProperty', itemIndex, 'data') as string;
			const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, prop);
			return cachedFromText(buffer.toString('utf8'), task);
		}
		const name = ctx.getNodeParameter('modelVariable', itemIndex, '') as string;
		const vars = (ctx.getWorkflowDataProxy(itemIndex).$vars ?? {}) as IDataObject;
		const value = vars[name];
		if (value === undefined || value === '') throw fail(`Workflow variable "${name}" is not set`, 'Create the variable under Variables and paste the model JSON from the Train operation into it.');
		return typeof value === 'string' ? cachedFromText(value, task) : parseModel(value, task);
	} catch (error) {
		throw error instanceof NodeOperationError ? error : fail(`The model could not be loaded: ${(error as Error).message}`, 'Use the model JSON output by this node\'s Train operation for the same task.');
	}
}
