/**
 * @module
 * `POST /v1/suggestions:batch`: many requests, answered in order, one bad item never failing the rest.
 */
import { z } from 'zod';
import { ErrorBodySchema } from './error-body.js';
import { SuggestionSchema } from './suggestion-response.js';

/**
 * Items are validated one by one by the gateway, so a malformed item becomes that item's error
 * rather than a 400 for the whole batch.
 */
export const BatchRequestSchema = z
  .object({ requests: z.array(z.unknown()).min(1).max(4096) })
  .strict()
  .meta({ id: 'BatchRequest' });

export const BatchResponseSchema = z
  .object({ results: z.array(z.union([SuggestionSchema, ErrorBodySchema])) })
  .meta({ id: 'BatchResponse' });

export type BatchResponse = z.infer<typeof BatchResponseSchema>;
