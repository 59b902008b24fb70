/**
 * @module
 * `POST /v1/cache/explain` and `GET /v1/cache/stats`.
 */
import { z } from 'zod';
import { Sha256Schema } from './suggestion-request.js';

export const CacheExplanationSchema = z
  .object({
    key: Sha256Schema,
    components: z
      .record(z.string(), Sha256Schema)
      .describe(
        'the hash of each part of the request that decides the answer (provider, template, variables, actions, method, decoding: the key hashes these), and of each variable (text, image, state) on its own',
      ),
    sample: z.number().int().describe('the sample slot the seed selects (sampling requests)'),
    method: z.string(),
    provider: z.string(),
    stored: z.number().int().describe('answers stored under this key'),
  })
  .meta({ id: 'CacheExplanation' });

const CounterSchema = z.object({
  requests: z.number().int(),
  hits: z.number().int(),
  misses: z.number().int(),
  coalesced: z.number().int(),
  replayed: z.number().int(),
  errors: z.number().int(),
  upstreamCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
});

export const CacheStatsSchema = z
  .object({
    mode: z.string(),
    entries: z.number().int(),
    keys: z.number().int(),
    bytes: z.number().int(),
    total: CounterSchema,
    byProvider: z.record(z.string(), CounterSchema),
  })
  .meta({ id: 'CacheStats' });

export type CacheExplanation = z.infer<typeof CacheExplanationSchema>;
export type CacheStatsResponse = z.infer<typeof CacheStatsSchema>;
