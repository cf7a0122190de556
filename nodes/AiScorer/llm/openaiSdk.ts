/**
 * The only import of the `openai` SDK. The build replaces this file's compiled output with an
 * esbuild bundle of the SDK (the package may have no runtime dependencies); unit tests resolve
 * the SDK from node_modules.
 */
export { default as OpenAI } from 'openai';
export { APIError, APIConnectionError, APIConnectionTimeoutError } from 'openai';
