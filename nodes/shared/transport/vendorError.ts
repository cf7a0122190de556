/**
 * Reads the vendor's own words out of an error body, whatever its dialect:
 * JSON:API (Klaviyo: `errors[].detail`, `source.pointer`), OData (Microsoft Graph: `error.code`,
 * `error.message`, `error.details[].target`), and plain `{message|error, field}` (Peek Pro).
 */
export interface VendorErrorInfo {
	message?: string;
	code?: string;
	/** The failing field, e.g. `/data/attributes/email` or `start.timeZone`. */
	field?: string;
	/** Every error the body carried, for bodies that report several. */
	all: Array<{ message?: string; code?: string; field?: string }>;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function parseVendorError(body: unknown): VendorErrorInfo {
	let data: unknown = body;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			return { message: str(data)?.slice(0, 500), all: [] };
		}
	}
	if (Buffer.isBuffer(data)) return parseVendorError(data.toString('utf8'));
	if (!data || typeof data !== 'object') return { all: [] };
	const obj = data as Record<string, unknown>;

	if (Array.isArray(obj.errors)) {
		const all = obj.errors
			.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
			.map((e) => {
				const source = (e.source ?? {}) as Record<string, unknown>;
				return {
					message: str(e.detail) ?? str(e.title) ?? str(e.message),
					code: str(e.code),
					field: str(source.pointer) ?? str(source.parameter) ?? str(e.field),
				};
			});
		return { ...(all[0] ?? {}), all };
	}

	if (obj.error && typeof obj.error === 'object') {
		const err = obj.error as Record<string, unknown>;
		const details = Array.isArray(err.details) ? (err.details as Array<Record<string, unknown>>) : [];
		const inner = (err.innerError ?? err.innererror) as Record<string, unknown> | undefined;
		const first = {
			message: str(err.message),
			code: str(err.code) ?? str(inner?.code),
			field: str(err.target) ?? str(details[0]?.target),
		};
		return { ...first, all: [first, ...details.map((d) => ({ message: str(d.message), code: str(d.code), field: str(d.target) }))] };
	}

	const first = {
		message: str(obj.message) ?? str(obj.error) ?? str(obj.detail) ?? str(obj.error_description),
		code: str(obj.code) ?? str(obj.errorCode),
		field: str(obj.field) ?? str(obj.param) ?? str(obj.pointer),
	};
	return { ...first, all: first.message ? [first] : [] };
}
