import type { ErrorBody, ErrorCode } from '../contract/error-body.js';
import { errorStatus } from '../contract/error-body.js';

/**
 * The gateway's error codes plus what can only go wrong on the client side: no answer at all
 * (`network_error`, `timeout`) or an answer that breaks the contract (`invalid_response`).
 */
export type ClientErrorCode = ErrorCode | 'network_error' | 'timeout' | 'invalid_response';

const retryableStatuses = new Set([429, 502, 503, 504]);

export interface GatewayApiErrorOptions {
  code: ClientErrorCode;
  message: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  details?: Record<string, unknown>;
  /** The wait the gateway asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure the client reports. `retryable` says whether asking again may succeed: rate
 * limits, upstream failures and lost connections, never a request the gateway rejected.
 *
 * @example
 * try { await client.suggest(request) } catch (error) {
 *   if (error instanceof GatewayApiError && error.code === 'not_cached') ...
 * }
 */
export class GatewayApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(options: GatewayApiErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayApiError';
    this.code = options.code;
    this.status = options.status;
    this.details = options.details ?? {};
    this.retryAfterMs = options.retryAfterMs;
    this.retryable =
      options.code === 'network_error' ||
      options.code === 'timeout' ||
      retryableStatuses.has(options.status);
  }

  /** From an error body; the status defaults to the one the code travels with (batch items have none). */
  static fromBody(body: ErrorBody, status?: number, retryAfterMs?: number): GatewayApiError {
    return new GatewayApiError({
      code: body.error.code,
      message: body.error.message,
      status: status ?? errorStatus[body.error.code],
      details: body.error.details,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
}
