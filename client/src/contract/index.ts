/**
 * @module
 * The wire contract of the teacher gateway (API.md). The gateway validates with these schemas and
 * serves them as OpenAPI; the SDK validates responses with them.
 */
export * from './suggestion-request.ts';
export * from './suggestion-response.ts';
export * from './batch.ts';
export * from './error-body.ts';
export * from './provider-info.ts';
export * from './template-info.ts';
export * from './health.ts';
export * from './image-upload.ts';
export * from './cache-info.ts';
export * from './log-entry.ts';
