export { createErrorHandler } from './error-handler.ts';
export type { ErrorHandlerOptions } from './error-handler.ts';
