import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayEnv } from '../../app-env.ts';

export interface ErrorHandlerOptions {
  /** Where unexpected errors go, with their stack; the client never sees it. */
  logError: (error: unknown, path: string) => void;
}

/**
 * Answers every failure in the one error shape of API.md. Unexpected errors become a 500 that
 * says nothing about internals.
 */
export function createErrorHandler(options: ErrorHandlerOptions): ErrorHandler<GatewayEnv> {
  return function errorHandler(error, c) {
    let gatewayError: GatewayError;
    if (error instanceof GatewayError) gatewayError = error;
    else if (error instanceof HTTPException && error.status === 413) {
      gatewayError = new GatewayError('payload_too_large', 'the request body is larger than server.bodyLimitBytes');
    } else {
      options.logError(error, c.req.path);
      gatewayError = new GatewayError('internal_error', 'the gateway failed unexpectedly; see its log');
    }
    if (gatewayError.retryAfterSeconds !== undefined) {
      c.header('retry-after', String(gatewayError.retryAfterSeconds));
    }
    return c.json(gatewayError.toBody(), gatewayError.status as 400);
  };
}
