/**
 * @module
 * `GET /v1/logs`, `GET /v1/logs/:id`, `GET /v1/logs/export`: the audit log.
 */
import { z } from 'zod';

/** Milliseconds since the epoch, given as a number or as an ISO date. */
const TimeSchema = z.preprocess(
  (value) =>
    typeof value === 'string' && !/^\d+$/.test(value) ? Date.parse(value) : Number(value),
  z.number().finite('a time in milliseconds since the epoch, or an ISO date'),
);

export const LogQuerySchema = z
  .object({
    run: z.string().optional(),
    provider: z.string().optional(),
    template: z.string().optional(),
    cache: z.enum(['hit', 'miss', 'coalesced', 'replayed']).optional(),
    status: z.string().optional().describe('"ok", "error", an HTTP status or an error code'),
    since: TimeSchema.optional().describe('milliseconds since the epoch, or an ISO date'),
    until: TimeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    cursor: z.string().optional(),
  })
  .meta({ id: 'LogQuery' });

export const LogEntrySchema = z
  .object({
    id: z.string(),
    time: z.number(),
    tags: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    template: z.string().optional(),
    templateSha256: z.string().optional(),
    provider: z.string().optional(),
    model: z.string().optional(),
    cache: z.string().optional(),
    cacheKey: z.string().optional(),
    method: z.string().optional(),
    latencyMs: z.number(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), upstreamCalls: z.number() }),
    status: z.number().int(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    tokenName: z.string().optional(),
    imageSha256: z.string().optional(),
  })
  .meta({ id: 'LogEntry' });

export const UpstreamCallSchema = z
  .object({
    id: z.number().int(),
    attempt: z.number().int(),
    provider: z.string(),
    model: z.string(),
    startedAt: z.number(),
    durationMs: z.number(),
    url: z.string().optional(),
    requestBody: z.unknown().optional(),
    status: z.number().int().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    responseBody: z.unknown().optional(),
    errorKind: z.string().optional(),
    errorMessage: z.string().optional(),
  })
  .meta({ id: 'UpstreamCall' });

export const LogEntryDetailSchema = LogEntrySchema.extend({
  prompt: z.string().optional().describe('the rendered prompt, images shown by hash'),
  result: z.unknown().optional().describe('the body the client received'),
  upstreamCalls: z.array(UpstreamCallSchema),
}).meta({ id: 'LogEntryDetail' });

export const LogPageSchema = z
  .object({ entries: z.array(LogEntrySchema), nextCursor: z.string().optional() })
  .meta({ id: 'LogPage' });

export type LogQuery = z.input<typeof LogQuerySchema>;
export type LogEntry = z.infer<typeof LogEntrySchema>;
export type LogEntryDetail = z.infer<typeof LogEntryDetailSchema>;
export type LogPage = z.infer<typeof LogPageSchema>;
