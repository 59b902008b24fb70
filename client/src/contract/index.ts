/**
 * @module
 * The wire contract of the teacher gateway (API.md). The gateway validates with these schemas and
 * serves them as OpenAPI; the SDK validates responses with them.
 */
export * from './suggestion-request.js';
export * from './suggestion-response.js';
export * from './batch.js';
export * from './error-body.js';
export * from './provider-info.js';
export * from './template-info.js';
export * from './health.js';
export * from './image-upload.js';
export * from './cache-info.js';
export * from './log-entry.js';
