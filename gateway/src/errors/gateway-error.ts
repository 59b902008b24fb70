import type { ErrorBody, ErrorCode } from '@teacher-gateway/client';
import { errorStatus } from '@teacher-gateway/client';

/**
 * An error the gateway answers with, in the one shape of API.md. Thrown inside handlers and
 * turned into a response by the error handler; never carries a stack trace to the client.
 *
 * @example
 * throw new GatewayError('not_found', 'no template "x"', { template: 'x' })
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  /** Seconds, for 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
