import type { z } from 'zod';
import { BatchResponseSchema } from './contract/batch.js';
import type { BatchResponse } from './contract/batch.js';
import { CacheExplanationSchema, CacheStatsSchema } from './contract/cache-info.js';
import type { CacheExplanation, CacheStatsResponse } from './contract/cache-info.js';
import { ErrorBodySchema } from './contract/error-body.js';
import { HealthSchema } from './contract/health.js';
import type { Health } from './contract/health.js';
import { ImageStoredSchema } from './contract/image-upload.js';
import type { ImageStored } from './contract/image-upload.js';
import { LogEntryDetailSchema, LogEntrySchema, LogPageSchema } from './contract/log-entry.js';
import type { LogEntry, LogEntryDetail, LogPage, LogQuery } from './contract/log-entry.js';
import { ProvidersResponseSchema } from './contract/provider-info.js';
import type { ProvidersResponse } from './contract/provider-info.js';
import type { SuggestionRequestInput } from './contract/suggestion-request.js';
import { SuggestionSchema } from './contract/suggestion-response.js';
import type { Suggestion } from './contract/suggestion-response.js';
import { TemplateDetailSchema, TemplatesResponseSchema } from './contract/template-info.js';
import type { TemplateDetail } from './contract/template-info.js';
import { GatewayApiError } from './errors/gateway-api-error.js';
import type { ImageSource } from './images/image-source.js';
import { toImageBytes } from './images/to-image-bytes.js';
import { readJsonLines } from './logs/read-json-lines.js';
import { parseRetryAfter } from './retry/parse-retry-after.js';
import { retryDelayMs } from './retry/retry-delay-ms.js';
import { createTeacher } from './teacher/create-teacher.js';
import type { Teacher, TeacherOptions } from './teacher/teacher.js';
import { createFetchTransport } from './transport/create-fetch-transport.js';
import type { FetchFunction } from './transport/create-fetch-transport.js';
import { createUndiciTransport } from './transport/create-undici-transport.js';
import type { Transport, TransportResponse } from './transport/transport.js';

export interface ClientOptions {
  /** The gateway, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when the gateway has `auth.tokens`. */
  token?: string;
  /** Replaces the default keep-alive undici transport (a proxy-aware fetch, a test double). */
  fetch?: FetchFunction;
  /** Per attempt; a suggestion that waits on a slow provider needs a generous value. Default 120 s. */
  timeoutMs?: number;
  /** Retries of retryable failures (429, 502, 503, 504, lost connections). Default 2. */
  retries?: number;
  /** First backoff step when the gateway gives no Retry-After. Default 200 ms. */
  retryBaseMs?: number;
  /** Longest wait between attempts, Retry-After included. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Replaces the wait between attempts (tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** The typed SDK of every endpoint in API.md; see `createClient`. */
export interface GatewayClient {
  suggest(request: SuggestionRequestInput): Promise<Suggestion>;
  /** One result or error body per request, in order; only whole-request failures throw. */
  suggestBatch(requests: SuggestionRequestInput[]): Promise<BatchResponse['results']>;
  uploadImage(image: ImageSource): Promise<ImageStored>;
  getImage(sha256: string): Promise<{ mediaType: string; data: Uint8Array }>;
  providers(): Promise<ProvidersResponse>;
  templates(): Promise<TemplatesResponse>;
  template(id: string): Promise<TemplateDetail>;
  explainCache(request: SuggestionRequestInput): Promise<CacheExplanation>;
  cacheStats(): Promise<CacheStatsResponse>;
  logs(query?: LogQuery): Promise<LogPage>;
  log(id: string): Promise<LogEntryDetail>;
  /** The audit log as it streams from `GET /v1/logs/export`, one entry at a time. */
  exportLogs(query?: Omit<LogQuery, 'limit' | 'cursor'>): AsyncIterable<LogEntry>;
  health(): Promise<Health>;
  openapi(): Promise<Record<string, unknown>>;
  /** An auto-batching handle: `suggest()` calls of one tick become one `:batch` request. */
  teacher(options: TeacherOptions): Teacher;
  /** Closes the keep-alive connections of the default transport. */
  close(): Promise<void>;
}

type Method = 'GET' | 'POST';
type TemplatesResponse = z.infer<typeof TemplatesResponseSchema>;

/**
 * @example
 * const client = createClient({ baseUrl: 'http://127.0.0.1:8787', token: process.env.GATEWAY_TOKEN })
 * const teacher = client.teacher({ template: 'minigrid-lvlm2p', actions: { kind: 'discrete', labels } })
 * const suggestions = await Promise.all(frames.map((image) => teacher.suggest({ image, text: mission })))
 */
export function createClient(options: ClientOptions): GatewayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const transport: Transport = options.fetch
    ? createFetchTransport(options.fetch)
    : createUndiciTransport();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const retries = options.retries ?? 2;
  const retryDelay = {
    baseMs: options.retryBaseMs ?? 200,
    maxMs: options.maxRetryDelayMs ?? 30_000,
  };
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const authorization: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : {};
  const jsonHeaders = {
    ...authorization,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const getHeaders = { ...authorization, accept: 'application/json' };

  const exchange = async (
    method: Method,
    path: string,
    body?: { data: string | Uint8Array; contentType: string },
  ): Promise<TransportResponse> => {
    const url = baseUrl + path;
    const headers = body
      ? body.contentType === 'application/json'
        ? jsonHeaders
        : { ...authorization, 'content-type': body.contentType, accept: 'application/json' }
      : getHeaders;
    for (let attempt = 0; ; attempt += 1) {
      let failure: GatewayApiError;
      try {
        const response = await transport.send({
          method,
          url,
          headers,
          ...(body ? { body: body.data } : {}),
          timeoutMs,
        });
        if (response.status < 400) return response;
        failure = await readError(response, method, path);
      } catch (error) {
        if (!(error instanceof GatewayApiError)) throw error;
        failure = error;
      }
      if (!failure.retryable || attempt >= retries) throw failure;
      await sleep(retryDelayMs(attempt, failure.retryAfterMs, retryDelay));
    }
  };

  const call = async <T>(
    schema: z.ZodType<T>,
    method: Method,
    path: string,
    json?: unknown,
  ): Promise<T> => {
    const response = await exchange(
      method,
      path,
      json === undefined
        ? undefined
        : { data: JSON.stringify(json), contentType: 'application/json' },
    );
    return parseBody(schema, await response.text(), response.status, `${method} ${path}`);
  };

  const client: GatewayClient = {
    suggest: (request) => call(SuggestionSchema, 'POST', '/v1/suggestions', request),
    suggestBatch: async (requests) =>
      (await call(BatchResponseSchema, 'POST', '/v1/suggestions:batch', { requests })).results,
    uploadImage: async (image) => {
      const body =
        typeof image === 'string'
          ? { data: JSON.stringify({ image }), contentType: 'application/json' }
          : { data: toImageBytes(image), contentType: sniffContentType(toImageBytes(image)) };
      const response = await exchange('POST', '/v1/images', body);
      return parseBody(
        ImageStoredSchema,
        await response.text(),
        response.status,
        'POST /v1/images',
      );
    },
    getImage: async (sha256) => {
      const response = await exchange('GET', `/v1/images/${encodeURIComponent(sha256)}`);
      return {
        mediaType: response.header('content-type') ?? 'application/octet-stream',
        data: await response.bytes(),
      };
    },
    providers: () => call(ProvidersResponseSchema, 'GET', '/v1/providers'),
    templates: () => call(TemplatesResponseSchema, 'GET', '/v1/templates'),
    template: (id) => call(TemplateDetailSchema, 'GET', `/v1/templates/${encodeURIComponent(id)}`),
    explainCache: (request) => call(CacheExplanationSchema, 'POST', '/v1/cache/explain', request),
    cacheStats: () => call(CacheStatsSchema, 'GET', '/v1/cache/stats'),
    logs: (query = {}) => call(LogPageSchema, 'GET', `/v1/logs${toQueryString(query)}`),
    log: (id) => call(LogEntryDetailSchema, 'GET', `/v1/logs/${encodeURIComponent(id)}`),
    exportLogs: (query = {}) => ({
      async *[Symbol.asyncIterator]() {
        const path = `/v1/logs/export${toQueryString(query)}`;
        const response = await exchange('GET', path);
        for await (const value of readJsonLines(response.chunks())) {
          yield validate(LogEntrySchema, value, response.status, `GET ${path}`);
        }
      },
    }),
    health: () => call(HealthSchema, 'GET', '/healthz'),
    openapi: async () => {
      const response = await exchange('GET', '/openapi.json');
      const document = parseJson(await response.text(), response.status, 'GET /openapi.json');
      if (
        typeof document !== 'object' ||
        document === null ||
        typeof (document as { openapi?: unknown }).openapi !== 'string'
      ) {
        throw invalidResponse(response.status, 'GET /openapi.json', 'not an OpenAPI document');
      }
      return document as Record<string, unknown>;
    },
    teacher: (teacherOptions) =>
      createTeacher(teacherOptions, {
        suggestBatch: (requests) => client.suggestBatch(requests),
        uploadImage: (bytes) => client.uploadImage(bytes),
        retries,
        retryDelay,
        sleep,
      }),
    close: () => transport.close(),
  };
  return client;
}

async function readError(
  response: TransportResponse,
  method: Method,
  path: string,
): Promise<GatewayApiError> {
  const retryAfterMs = parseRetryAfter(response.header('retry-after'));
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) return GatewayApiError.fromBody(parsed.data, response.status, retryAfterMs);
  // Not the gateway's error shape: a proxy or load balancer answered. The status still decides retries.
  return new GatewayApiError({
    code: 'invalid_response',
    message: `${method} ${path}: HTTP ${response.status}: ${text.slice(0, 200)}`,
    status: response.status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

function parseBody<T>(schema: z.ZodType<T>, text: string, status: number, label: string): T {
  return validate(schema, parseJson(text, status, label), status, label);
}

function parseJson(text: string, status: number, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidResponse(status, label, `not JSON: ${text.slice(0, 200)}`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, status: number, label: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map(({ path, message }) => ({ path, message }));
  throw new GatewayApiError({
    code: 'invalid_response',
    message: `${label}: the response does not match the contract: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    status,
    details: { issues },
  });
}

function invalidResponse(status: number, label: string, reason: string): GatewayApiError {
  return new GatewayApiError({ code: 'invalid_response', message: `${label}: ${reason}`, status });
}

function toQueryString(query: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The gateway sniffs the bytes anyway; a truthful content-type keeps proxies and logs honest. */
function sniffContentType(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45)
    return 'image/webp';
  return 'application/octet-stream';
}
