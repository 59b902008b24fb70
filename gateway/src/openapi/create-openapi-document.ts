import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  BatchResponseSchema,
  CacheExplanationSchema,
  CacheStatsSchema,
  ErrorBodySchema,
  HealthSchema,
  ImageStoredSchema,
  ImageUploadSchema,
  LogEntryDetailSchema,
  LogPageSchema,
  LogQuerySchema,
  ProvidersResponseSchema,
  Sha256Schema,
  SuggestionRequestSchema,
  SuggestionSchema,
  TemplateDetailSchema,
  TemplatesResponseSchema,
} from '@teacher-gateway/client';

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string() } },
});

const errors = {
  400: json(ErrorBodySchema, 'invalid_request'),
  401: json(ErrorBodySchema, 'unauthorized (when auth is configured)'),
  403: json(ErrorBodySchema, 'forbidden (a Host not in server.allowedHosts, or a cross-origin browser request)'),
};

const suggestionErrors = {
  ...errors,
  404: json(ErrorBodySchema, 'not_found (template, provider or image) or not_cached'),
  413: json(ErrorBodySchema, 'payload_too_large'),
  415: json(ErrorBodySchema, 'unsupported_media_type (the body is not application/json)'),
  422: json(ErrorBodySchema, 'unparsable_response'),
  429: json(ErrorBodySchema, 'rate_limited (Retry-After set)'),
  502: json(ErrorBodySchema, 'provider_error'),
  503: json(ErrorBodySchema, 'provider_unavailable'),
  504: json(ErrorBodySchema, 'provider_timeout'),
};

/**
 * The routes the gateway serves, described from the contract's zod schemas. A test checks that
 * every route of the app appears here, so the document cannot fall behind the server.
 */
export const routes: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/suggestions',
    summary: 'One observation in, one teacher suggestion out',
    request: { body: { content: { 'application/json': { schema: SuggestionRequestSchema } } } },
    responses: { 200: json(SuggestionSchema, 'the suggestion'), ...suggestionErrors },
  },
  {
    method: 'post',
    path: '/v1/suggestions:batch',
    summary: 'Many suggestions, answered in order; one bad item never fails the others',
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({ requests: z.array(SuggestionRequestSchema).min(1).max(4096) }),
          },
        },
      },
    },
    responses: { 200: json(BatchResponseSchema, 'a result or an error per item, in order'), ...errors },
  },
  {
    method: 'post',
    path: '/v1/images',
    summary: 'Store an image (raw bytes, a data URL, or {"image": ...}) under its sha256',
    request: {
      body: {
        content: {
          'application/json': { schema: ImageUploadSchema },
          'image/png': { schema: z.string().meta({ format: 'binary' }) },
        },
      },
    },
    responses: {
      200: json(ImageStoredSchema, 'already stored'),
      201: json(ImageStoredSchema, 'stored'),
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/v1/images/{sha256}',
    summary: 'The stored image bytes',
    request: { params: z.object({ sha256: Sha256Schema }) },
    responses: {
      200: { description: 'the image', content: { 'image/png': { schema: z.string().meta({ format: 'binary' }) } } },
      404: json(ErrorBodySchema, 'not_found'),
    },
  },
  {
    method: 'get',
    path: '/v1/providers',
    summary: 'Configured providers and whether each can be called now',
    responses: { 200: json(ProvidersResponseSchema, 'the providers') },
  },
  {
    method: 'get',
    path: '/v1/templates',
    summary: 'Loaded prompt templates',
    responses: { 200: json(TemplatesResponseSchema, 'the templates') },
  },
  {
    method: 'get',
    path: '/v1/templates/{id}',
    summary: 'One template ("id" or "id@version") with its body',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json(TemplateDetailSchema, 'the template'), 404: json(ErrorBodySchema, 'not_found') },
  },
  {
    method: 'post',
    path: '/v1/cache/explain',
    summary: 'The cache key of a suggestion request and the hash of each component',
    request: { body: { content: { 'application/json': { schema: SuggestionRequestSchema } } } },
    responses: { 200: json(CacheExplanationSchema, 'the key and its components'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/cache/stats',
    summary: 'Cache size and request counters since start, by provider',
    responses: { 200: json(CacheStatsSchema, 'the statistics') },
  },
  {
    method: 'get',
    path: '/v1/logs',
    summary: 'The audit log, newest first, paged by cursor',
    request: { query: LogQuerySchema },
    responses: { 200: json(LogPageSchema, 'one page'), ...errors },
  },
  {
    method: 'get',
    path: '/v1/logs/export',
    summary: 'The audit log as JSON Lines, streamed (same filters as /v1/logs)',
    request: { query: LogQuerySchema },
    responses: {
      200: { description: 'one entry per line', content: { 'application/x-ndjson': { schema: z.string() } } },
      ...errors,
    },
  },
  {
    method: 'get',
    path: '/v1/logs/{id}',
    summary: 'One audit-log entry: rendered prompt, upstream calls, parsed result',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: json(LogEntryDetailSchema, 'the entry'), 404: json(ErrorBodySchema, 'not_found') },
  },
  {
    method: 'get',
    path: '/ui',
    summary: 'Audit viewer: the request list (filters as in /v1/logs, plus model); ?token= sets the auth cookie',
    request: {
      query: z.object({
        run: z.string().optional(),
        provider: z.string().optional(),
        model: z.string().optional(),
        template: z.string().optional(),
        cache: z.string().optional(),
        status: z.enum(['ok', 'error']).optional(),
        since: z.string().optional().describe('UTC, e.g. 2026-01-05T10:00, or milliseconds'),
        until: z.string().optional(),
        limit: z.string().optional(),
        cursor: z.string().optional(),
        token: z.string().optional().describe('a bearer token; sets an HttpOnly cookie and redirects without it'),
      }),
    },
    responses: { 200: html('the page'), 303: { description: 'token accepted; cookie set' }, 401: errors[401] },
  },
  {
    method: 'get',
    path: '/ui/runs',
    summary: 'Audit viewer: per-run requests, upstream calls, cache hit rate, tokens, cost, savings, errors, agreement',
    responses: { 200: html('the page'), 401: errors[401] },
  },
  {
    method: 'get',
    path: '/ui/requests/{id}',
    summary: 'Audit viewer: one request with its image, prompt, upstream calls and distribution chart',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: html('the page'), 404: html('no such entry'), 401: errors[401] },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and provider availability',
    responses: { 200: json(HealthSchema, 'health') },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: requests, latencies, upstream calls and retries, queues, cache size',
    responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.object({}) } } } },
  },
];

/** Builds the OpenAPI 3.1 document from the contract's schemas. */
export function createOpenApiDocument(options: { version: string; extraRoutes?: RouteConfig[] }): unknown {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of [...routes, ...(options.extraRoutes ?? [])]) registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'teacher-gateway',
      version: options.version,
      description: 'Vision-language models as teachers for reinforcement learning: one action-suggestion API.',
    },
    servers: [{ url: 'http://127.0.0.1:8787' }],
  });
}
