/**
 * @module
 * The one error shape every endpoint answers with (API.md section 1, Errors).
 */
import { z } from 'zod';

/** Error codes and the HTTP status each one travels with. */
export const errorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_cached: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unparsable_response: 422,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
  provider_unavailable: 503,
  storage_unavailable: 503,
  provider_timeout: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const ErrorCodeSchema = z.enum(
  Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]],
);

export const ErrorDetailSchema = z
  .object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: 'ErrorDetail' });

export const ErrorBodySchema = z.object({ error: ErrorDetailSchema }).meta({ id: 'ErrorBody' });

export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
