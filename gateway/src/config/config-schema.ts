/**
 * @module
 * The gateway configuration file (`gateway.config.yaml`, API.md section 2) as a zod schema.
 */
import { z } from 'zod';

export const providerKinds = ['openai', 'gemini', 'openai-compatible'] as const;

export const ProviderConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
    kind: z.enum(providerKinds),
    model: z.string().min(1),
    /** After `${VAR}` expansion; absent or empty means the provider is unavailable until it is set. */
    apiKey: z.string().optional(),
    baseURL: z.url().optional(),
    timeoutMs: z.number().int().positive().max(2 ** 31 - 1).default(60_000),
    maxRetries: z.number().int().min(0).max(10).default(3),
    maxConcurrency: z.number().int().positive().max(1024).default(8),
    requestsPerMinute: z.number().positive().optional(),
    tokensPerMinute: z.number().positive().optional(),
    /** Override the adapter's default: whether this model returns token log-probabilities. */
    logprobs: z.boolean().optional(),
    /** OpenAI-compatible servers: constrain answers with vLLM's `guided_choice`. */
    guidedChoice: z.boolean().default(false),
    /** Price per million tokens, for cost estimates in stats and the viewer. */
    pricing: z
      .object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) })
      .optional(),
    /**
     * The longest wait this provider may impose (Retry-After, RetryInfo, x-ratelimit-reset-*); longer
     * asks are capped. Absent means 60 000 (`defaultMaxRetryAfterMs`).
     */
    maxRetryAfterMs: z.number().int().positive().max(2 ** 31 - 1).optional(),
  })
  .strict();

export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

export const defaultMaxRetryAfterMs = 60_000;

export const cacheModes = ['live', 'record', 'replay', 'off'] as const;
export type CacheMode = (typeof cacheModes)[number];

export const GatewayConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8787),
        bodyLimitBytes: z.number().int().positive().default(8 * 1024 * 1024),
        /** A client must deliver its whole request (headers and body) within this; slower ones get 408 and are cut off. */
        requestTimeoutMs: z.number().int().positive().default(30_000),
        /** A client must deliver its headers within this (at most requestTimeoutMs). */
        headersTimeoutMs: z.number().int().positive().default(15_000),
        /**
         * Host names the gateway answers to (`*`: any). Default: the loopback names when bound to a
         * loopback address (refuses DNS rebinding), any name otherwise.
         */
        allowedHosts: z.array(z.string().min(1)).optional(),
        /** Web origins whose pages may call the gateway (CORS; `*`: any). Other cross-origin browser requests get 403. */
        allowedOrigins: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    storage: z
      .object({
        path: z.string().min(1).default('./data/teacher.db'),
        /** `postgres://user:pass@host:5432/db`: a PostgreSQL store shared by replicas; `path` is then unused. */
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'storage.url must be a postgres:// URL')
          .optional(),
      })
      .strict()
      .prefault({}),
    cache: z
      .object({
        mode: z.enum(cacheModes).default('live'),
        memoryEntries: z.number().int().min(0).default(10_000),
        memoryBytes: z.number().int().positive().default(256 * 1024 * 1024),
        /** Stored samples per key for stochastic teachers (requests that ask for sampling). */
        samplesPerKey: z.number().int().min(1).max(64).default(4),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        /** A bare string is named token-1, token-2...; the name, never the token, goes into the audit log. */
        tokens: z
          .array(z.union([z.string(), z.object({ name: z.string().min(1), token: z.string() }).strict()]))
          .default([]),
        /** Per-token request rate; past it, 429 rate_limited. */
        requestsPerMinute: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        imageBytes: z.number().int().positive().default(5 * 1024 * 1024),
        imageMaxSide: z.number().int().positive().default(4096),
        imagePixels: z.number().int().positive().default(16 * 1024 * 1024),
        /** Hosts whose https image URLs the gateway may fetch; none by default. */
        imageHosts: z.array(z.string().min(1)).default([]),
        imageFetchTimeoutMs: z.number().int().positive().default(10_000),
        /** No provider answer (success or error) is read past this many bytes; larger ones are 502. */
        upstreamResponseBytes: z.number().int().positive().default(2 * 1024 * 1024),
        /**
         * Bytes of images held for queued and in-flight upstream calls (each distinct image once);
         * past it new misses get 429 rate_limited. Sized for a 24 GiB machine.
         */
        inflightImageBytes: z.number().int().positive().default(2 * 1024 ** 3),
      })
      .strict()
      .prefault({}),
    batching: z
      .object({
        windowMs: z.number().min(0).max(10_000).default(2),
        maxBatchSize: z.number().int().positive().max(4096).default(64),
        maxQueue: z.number().int().positive().default(10_000),
      })
      .strict()
      .prefault({}),
    templates: z
      .object({ dir: z.string().default('./prompts') })
      .strict()
      .prefault({}),
    defaultProvider: z.string().optional(),
    providers: z.array(ProviderConfigSchema).default([]),
    fallbacks: z.record(z.string(), z.array(z.string())).default({}),
    metrics: z
      .object({
        /** `GET /metrics` takes the same bearer tokens as /v1 (needs auth.tokens). */
        requireAuth: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Drop-in endpoints: model names a client may send, mapped to a provider id or `providerId/modelName`. */
    aliases: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .strict()
  .superRefine((config, context) => {
    const ids = new Set<string>();
    config.providers.forEach((provider, index) => {
      if (ids.has(provider.id)) {
        context.addIssue({
          code: 'custom',
          path: ['providers', index, 'id'],
          message: `duplicate provider id "${provider.id}"`,
        });
      }
      ids.add(provider.id);
    });
    if (config.metrics.requireAuth && (config.auth?.tokens.length ?? 0) === 0) {
      context.addIssue({
        code: 'custom',
        path: ['metrics', 'requireAuth'],
        message: 'needs bearer tokens in auth.tokens',
      });
    }
    if (config.defaultProvider !== undefined && !ids.has(config.defaultProvider)) {
      context.addIssue({
        code: 'custom',
        path: ['defaultProvider'],
        message: `"${config.defaultProvider}" is not a configured provider id`,
      });
    }
    for (const [from, targets] of Object.entries(config.fallbacks)) {
      for (const target of [from, ...targets]) {
        if (!ids.has(target)) {
          context.addIssue({
            code: 'custom',
            path: ['fallbacks', from],
            message: `"${target}" is not a configured provider id`,
          });
        }
      }
    }
    for (const [alias, target] of Object.entries(config.aliases)) {
      const id = ids.has(target) ? target : target.slice(0, Math.max(0, target.indexOf('/')));
      if (!ids.has(id)) {
        context.addIssue({
          code: 'custom',
          path: ['aliases', alias],
          message: `"${target}" names no configured provider (use a provider id or providerId/modelName)`,
        });
      }
    }
  });

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
