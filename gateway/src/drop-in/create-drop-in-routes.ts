/**
 * @module
 * The drop-in endpoints: OpenAI's `POST /v1/chat/completions` and `GET /v1/models`, Gemini's
 * `POST /v1beta/models/{model}:generateContent` / `:streamGenerateContent` and `GET /v1beta/models`,
 * and the drop-in form of `POST /v1/cache/explain`. Errors answer in the client's API shape.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { GatewayEnv } from '../app-env.ts';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { bodySizeLimit } from '../middleware/body-size-limit/index.ts';
import { tokenRateLimit } from '../middleware/token-rate-limit/index.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import { readJsonBody } from '../routes/read-json-body.ts';
import type { DropInAnswer, DropInService } from './create-drop-in-service.ts';
import { auditIdOf } from './create-drop-in-service.ts';
import { UpstreamFailure } from './drop-in-error.ts';
import { geminiErrorBody } from './gemini/gemini-error-body.ts';
import { googleKeyAuth } from './gemini/google-key-auth.ts';
import { openAIErrorBody } from './openai/openai-error-body.ts';
import { renderOpenAIStream } from './openai/render-openai-stream.ts';
import type { Wire } from './wire.ts';

export interface DropInRoutesOptions {
  service: DropInService;
  config: GatewayConfig;
  providers: ProviderPool;
  /** Gateway tokens by name; when there are any, Gemini requests must present one as their key. */
  tokens: Map<string, string>;
  logError: (error: unknown, path: string) => void;
  /** Monotonic milliseconds, for the per-token rate limit. */
  monotonic: () => number;
}

const generatePath = /^\/v1beta\/(.+):(generateContent|streamGenerateContent)$/;

export function createDropInRoutes(options: DropInRoutesOptions): Hono<GatewayEnv> {
  const { service, config, providers } = options;
  const app = new Hono<GatewayEnv>();
  app.onError((error, c) => renderError(c, error, c.req.path.startsWith('/v1beta/') ? 'gemini' : 'openai', options.logError));
  app.use('/v1beta/*', bodySizeLimit({ maxBytes: config.server.bodyLimitBytes }));
  if (options.tokens.size > 0) app.use('/v1beta/*', googleKeyAuth({ tokens: options.tokens }));
  // /v1/* has its own limiter in create-app; a token has one budget per API shape.
  if (config.auth?.requestsPerMinute) {
    app.use('/v1beta/*', tokenRateLimit({ requestsPerMinute: config.auth.requestsPerMinute, now: options.monotonic }));
  }

  app.post('/v1/chat/completions', async (c) => {
    const body = await readJsonBody(c);
    const record = isRecord(body) ? body : {};
    const answered = await service.answer({
      wire: 'openai',
      model: typeof record.model === 'string' ? record.model : '',
      body,
      ...requestFields(c, record.metadata),
    });
    setHeaders(c, answered);
    if (record.stream === true) {
      const includeUsage = isRecord(record.stream_options) && record.stream_options.include_usage === true;
      return streamBody(c, renderOpenAIStream(answered.body, { includeUsage }));
    }
    return c.json(answered.body);
  });

  app.get('/v1/models', (c) => c.json({ object: 'list', data: modelNames().map(({ id, owner }) => ({ id, object: 'model', created: 0, owned_by: owner })) }));
  app.get('/v1/models/:model', (c) => {
    const found = modelNames().find(({ id }) => id === c.req.param('model'));
    if (!found) throw new GatewayError('not_found', `model "${c.req.param('model')}" names no configured provider or alias`, { model: c.req.param('model') });
    return c.json({ id: found.id, object: 'model', created: 0, owned_by: found.owner });
  });

  app.get('/v1beta/models', (c) => c.json({ models: modelNames().map(geminiModel) }));
  app.get('/v1beta/models/:model', (c) => {
    const found = modelNames().find(({ id }) => id === c.req.param('model'));
    if (!found) throw new GatewayError('not_found', `model "${c.req.param('model')}" names no configured provider or alias`, { model: c.req.param('model') });
    return c.json(geminiModel(found));
  });

  const generate = async (c: Context<GatewayEnv>) => {
    const match = generatePath.exec(c.req.path);
    if (!match) throw new GatewayError('not_found', `no route ${c.req.method} ${c.req.path}`);
    const body = await readJsonBody(c);
    const answered = await service.answer({ wire: 'gemini', model: (match[1] as string).replace(/^models\//, ''), body, ...requestFields(c, undefined) });
    setHeaders(c, answered);
    if (match[2] === 'generateContent') return c.json(answered.body);
    // The JS SDK asks for server-sent events; Google's Python REST transport reads one JSON array.
    if (c.req.query('alt') === 'sse') return streamBody(c, `data: ${JSON.stringify(answered.body)}\r\n\r\n`);
    return c.json([answered.body]);
  };
  app.post('/v1beta/models/:model', generate);
  // Google's JS SDK does not prefix "models/" to a name with a slash: `providerId/modelName`.
  app.post('/v1beta/:provider/:model', generate);

  app.post('/v1/cache/explain', async (c, next) => {
    const body = await readJsonBody(c);
    if (!isRecord(body)) return next();
    const endpoint = typeof body.endpoint === 'string' ? body.endpoint : Array.isArray(body.messages) ? '/v1/chat/completions' : undefined;
    if (endpoint === undefined) return next();
    const inner = typeof body.endpoint === 'string' ? body.body : body;
    const gemini = /(?:^|\/)v1beta\/(.+):(?:generateContent|streamGenerateContent)$/.exec(endpoint);
    if (!gemini && !endpoint.endsWith('/chat/completions')) {
      throw new GatewayError('invalid_request', 'endpoint: expected /v1/chat/completions or /v1beta/models/{model}:generateContent', { field: 'endpoint' });
    }
    const model = gemini ? (gemini[1] as string).replace(/^models\//, '') : String((inner as { model?: unknown } | undefined)?.model ?? '');
    return c.json(await service.explain({ wire: gemini ? 'gemini' : 'openai', model, body: inner }));
  });

  function modelNames(): { id: string; owner: string; model: string }[] {
    return [
      ...providers.list().map((entry) => ({ id: entry.config.id, owner: `teacher-gateway:${entry.config.kind}`, model: entry.config.model })),
      ...Object.entries(config.aliases).map(([alias, target]) => ({ id: alias, owner: 'teacher-gateway:alias', model: target })),
    ];
  }
  return app;
}

function geminiModel(entry: { id: string; model: string }): Record<string, unknown> {
  return {
    name: `models/${entry.id}`,
    baseModelId: entry.model,
    version: '001',
    displayName: entry.id,
    description: `${entry.model} through teacher-gateway`,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
  };
}

/** Tags from `x-teacher-run`, `x-teacher-tags` (`k=v, k=v` or a JSON object) and OpenAI `metadata`. */
function requestFields(c: Context<GatewayEnv>, metadata: unknown) {
  const tags: Record<string, string | number> = {};
  if (isRecord(metadata)) for (const [key, value] of Object.entries(metadata)) if (typeof value === 'string' || typeof value === 'number') tags[key] = value;
  const header = c.req.header('x-teacher-tags')?.trim();
  if (header) {
    let parsed: unknown;
    if (header.startsWith('{')) {
      try {
        parsed = JSON.parse(header);
      } catch {
        throw new GatewayError('invalid_request', 'x-teacher-tags: not a JSON object (or use k=v, k=v)', { field: 'x-teacher-tags' });
      }
    } else {
      parsed = Object.fromEntries(
        header.split(',').map((pair) => {
          const at = pair.indexOf('=');
          return at < 0 ? [pair.trim(), ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        }),
      );
    }
    if (isRecord(parsed)) for (const [key, value] of Object.entries(parsed)) if (key && (typeof value === 'string' || typeof value === 'number')) tags[key] = value;
  }
  const run = c.req.header('x-teacher-run');
  if (run) tags.run = run;
  const context = c.get('requestContext');
  return {
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    ...(context.tokenName ? { tokenName: context.tokenName } : {}),
    context,
  };
}

function setHeaders(c: Context<GatewayEnv>, answered: DropInAnswer): void {
  for (const [name, value] of Object.entries(answered.headers)) c.header(name, value);
  c.header('x-teacher-cache', answered.cache === 'replayed' ? 'hit' : answered.cache);
  c.header('x-teacher-request-id', answered.requestId);
  c.header('x-teacher-provider', answered.provider);
  if (!answered.headers['x-request-id']) c.header('x-request-id', answered.requestId);
}

function streamBody(c: Context<GatewayEnv>, text: string): Response {
  c.header('content-type', 'text/event-stream; charset=utf-8');
  c.header('cache-control', 'no-cache');
  return c.body(text);
}

function renderError(c: Context<GatewayEnv>, error: Error, wire: Wire, logError: (error: unknown, path: string) => void): Response {
  const auditId = auditIdOf(error);
  if (auditId) c.header('x-teacher-request-id', auditId);
  if (error instanceof UpstreamFailure) {
    if (error.providerWire === wire) {
      // The provider's own answer, with the headers its SDK reads to decide on retrying.
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(error.body as object, error.status as 400);
    }
    const translated = new GatewayError(error.status === 429 ? 'rate_limited' : error.status >= 500 ? 'provider_error' : 'invalid_request', error.message, {
      kind: error.kind,
      upstreamStatus: error.status,
      upstream: error.body,
    }, error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : undefined);
    if (translated.retryAfterSeconds !== undefined) c.header('retry-after', String(translated.retryAfterSeconds));
    return c.json(wire === 'openai' ? openAIErrorBody(translated) : geminiErrorBody(translated), error.status as 400);
  }
  let gatewayError: GatewayError;
  if (error instanceof GatewayError) gatewayError = error;
  else {
    logError(error, c.req.path);
    gatewayError = new GatewayError('internal_error', 'the gateway failed unexpectedly; see its log');
  }
  if (gatewayError.retryAfterSeconds !== undefined) c.header('retry-after', String(gatewayError.retryAfterSeconds));
  // A request that was never recorded will not be recorded by asking again.
  if (gatewayError.code === 'not_cached') c.header('x-should-retry', 'false');
  return c.json(wire === 'openai' ? openAIErrorBody(gatewayError) : geminiErrorBody(gatewayError), gatewayError.status as 400);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

