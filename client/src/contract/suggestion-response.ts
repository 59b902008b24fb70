/**
 * @module
 * The answer of `POST /v1/suggestions` (API.md section 1).
 */
import { z } from 'zod';
import { Sha256Schema } from './suggestion-request.js';

export const cacheOutcomes = ['hit', 'miss', 'coalesced', 'replayed'] as const;

export const UsageSchema = z
  .object({
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
    upstreamCalls: z.number().int().min(0),
  })
  .meta({ id: 'Usage' });

export const TemplateRefSchema = z
  .object({ id: z.string(), version: z.number().int(), sha256: Sha256Schema })
  .meta({ id: 'TemplateRef' });

export const SuggestionSchema = z
  .object({
    id: z.string().describe('audit-log id of this request'),
    actions: z.array(z.string()),
    probs: z.array(z.number()).optional().describe('discrete: sums to 1, every entry >= floor'),
    action: z.number().int().optional().describe('discrete: argmax index'),
    vector: z.array(z.number()).optional().describe('continuous: clipped to [low, high]'),
    entropy: z.number().optional().describe('discrete: nats'),
    method: z.string().describe('how probs were obtained: logprobs, samples, verbalized, vector'),
    provider: z.string(),
    model: z.string(),
    template: TemplateRefSchema,
    cache: z.enum(cacheOutcomes),
    cacheKey: Sha256Schema,
    latencyMs: z.number(),
    usage: UsageSchema,
    fallbackFrom: z
      .string()
      .optional()
      .describe('the provider asked first, when a fallback provider answered'),
    warnings: z.array(z.string()).optional().describe('what the gateway had to work around'),
  })
  .meta({ id: 'Suggestion' });

export type Suggestion = z.infer<typeof SuggestionSchema>;
export type CacheOutcome = (typeof cacheOutcomes)[number];
