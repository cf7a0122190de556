/**
 * Validates Klaviyo requests against Klaviyo's official OpenAPI spec (revision 2026-07-15), kept
 * in this folder with its provenance (README.md). The spec is OpenAPI 3.0: `nullable` is rewritten for
 * Ajv and `example` dropped (contracts/README.md). `strict` additionally closes every object that
 * lists its properties, so a misspelt or invented field fails too (Klaviyo ignores or rejects them;
 * either way the body has drifted). Free-form objects such as event `properties` stay open.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import spec from './klaviyo-openapi-subset.json';

type Json = Record<string, unknown>;

function rewrite(node: unknown, strict: boolean): unknown {
	if (Array.isArray(node)) return node.map((n) => rewrite(n, strict));
	if (!node || typeof node !== 'object') return node;
	const out: Json = {};
	for (const [k, v] of Object.entries(node as Json)) {
		if (k === 'example' || k === 'examples') continue;
		out[k] = k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, rewrite(pv, strict)]))
			: rewrite(v, strict);
	}
	if (strict && out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
	if (out.nullable === true) {
		delete out.nullable;
		if (typeof out.type === 'string') out.type = [out.type, 'null'];
		else return { anyOf: [out, { type: 'null' }] };
	}
	delete out.nullable;
	return out;
}

export const SPEC_REVISION = String((spec as { info: { version: string } }).info.version);

interface Operation {
	method: string;
	template: string;
	regex: RegExp;
	operationId: string;
	validate?: ValidateFunction;
	headers: Array<{ name: string; required: boolean; pattern?: string }>;
}

function build(strict: boolean): Operation[] {
	const ajv = new Ajv({ strict: false, allErrors: true });
	addFormats(ajv);
	const components = rewrite((spec as Json).components, strict) as Json;
	ajv.addSchema({ $id: 'klaviyo', components }, 'klaviyo');
	const ops: Operation[] = [];
	const paths = (spec as { paths: Record<string, Record<string, Json>> }).paths;
	const resolveParam = (p: Json): Json => {
		const ref = p.$ref as string | undefined;
		if (!ref) return p;
		const name = ref.split('/').pop()!;
		return ((spec as Json).components as { parameters: Record<string, Json> }).parameters[name];
	};
	for (const [template, methods] of Object.entries(paths)) {
		for (const [method, op] of Object.entries(methods)) {
			if (!op || typeof op !== 'object' || !op.operationId) continue;
			const content = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/vnd.api+json'] as Json | undefined;
			const schema = content?.schema as Json | undefined;
			let validate: ValidateFunction | undefined;
			if (schema) {
				const ref = schema.$ref as string;
				validate = ajv.getSchema(`klaviyo${ref}`) ?? undefined;
			}
			const headers = ((op.parameters as Json[] | undefined) ?? [])
				.map(resolveParam)
				.filter((p) => p.in === 'header')
				.map((p) => ({ name: String(p.name).toLowerCase(), required: p.required === true, pattern: (p.schema as Json | undefined)?.pattern as string | undefined }));
			const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
			ops.push({ method: method.toUpperCase(), template, regex, operationId: String(op.operationId), validate, headers });
		}
	}
	return ops;
}

const cache = new Map<boolean, Operation[]>();
function operations(strict: boolean): Operation[] {
	if (!cache.has(strict)) cache.set(strict, build(strict));
	return cache.get(strict)!;
}

export interface ContractResult {
	operationId?: string;
	valid: boolean;
	errors: string[];
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
	return (errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

/** Checks one request: known operation, required headers, JSON:API content type, and the body. */
export function validateKlaviyoRequest(req: { method: string; url: string; headers: Record<string, string>; body?: unknown }, strict = true): ContractResult {
	const { pathname } = new URL(req.url);
	const op = operations(strict).find((o) => o.method === req.method.toUpperCase() && o.regex.test(pathname));
	if (!op) return { valid: false, errors: [`${req.method} ${pathname} is not an operation in the spec`] };
	const errors: string[] = [];
	const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
	for (const h of op.headers) {
		if (h.required && !headers[h.name]) errors.push(`header ${h.name} is required`);
		if (headers[h.name] && h.pattern && !new RegExp(h.pattern).test(headers[h.name])) errors.push(`header ${h.name} does not match ${h.pattern}`);
	}
	if (!/^Klaviyo-API-Key \S+$/.test(headers.authorization ?? '')) errors.push('header authorization is not "Klaviyo-API-Key <key>"');
	if (op.validate) {
		if (headers['content-type'] !== 'application/vnd.api+json') errors.push('content-type is not application/vnd.api+json');
		if (!op.validate(req.body)) errors.push(...formatErrors(op.validate.errors));
	} else if (req.body !== undefined && req.body !== null) {
		errors.push(`${op.operationId} takes no body`);
	}
	return { operationId: op.operationId, valid: errors.length === 0, errors };
}

/** Validates a bare body against an operation's request schema (for builder-level tests). */
export function validateKlaviyoBody(method: string, path: string, body: unknown, strict = true): ContractResult {
	const op = operations(strict).find((o) => o.method === method.toUpperCase() && o.regex.test(path));
	if (!op?.validate) return { valid: false, errors: [`${method} ${path} has no request body in the spec`] };
	const valid = op.validate(body) as boolean;
	return { operationId: op.operationId, valid, errors: formatErrors(op.validate.errors) };
}
