/**
 * @module
 * The gateway's Hono app: middleware, then routes, then not-found and error handling. No I/O
 * happens here; everything with effects arrives in the dependencies.
 */
import { setMaxListeners } from 'node:events';
import { Hono } from 'hono';
import type { GatewayEnv } from './app-env.ts';
import type { GatewayConfig } from './config/config-schema.ts';
import { GatewayError } from './errors/gateway-error.ts';
import { bearerAuth } from './middleware/bearer-auth/index.ts';
import { cors } from 'hono/cors';
import { bodySizeLimit } from './middleware/body-size-limit/index.ts';
import { crossOriginGuard } from './middleware/cross-origin-guard/index.ts';
import { hostAllowList } from './middleware/host-allow-list/index.ts';
import { createErrorHandler } from './middleware/error-handler/index.ts';
import { tokenRateLimit } from './middleware/token-rate-limit/index.ts';
import { createOpenApiDocument } from './openapi/create-openapi-document.ts';
import type { ProviderPool } from './providers/provider-pool.ts';
import { createCatalogRoutes } from './routes/catalog-routes.ts';
import type { ReachabilityProbe } from './providers/create-reachability-probe.ts';
import { createImageRoutes } from './routes/image-routes.ts';
import { createLogRoutes } from './routes/log-routes.ts';
import { createOperationsRoutes } from './routes/operations-routes.ts';
import { createSuggestionRoutes } from './routes/suggestion-routes.ts';
import { createViewerRoutes } from './viewer/create-viewer-routes.tsx';
import type { AuditLog } from './stores/audit-log.ts';
import type { CacheStore } from './stores/cache-store.ts';
import type { ImageStore } from './stores/image-store.ts';
import type { LogQueries } from './stores/log-queries.ts';
import type { SuggestionService } from './suggestion/create-suggestion-service.ts';
import type { UsageCounters } from './suggestion/usage-counters.ts';
import type { TemplateRegistry } from './templates/template-registry.ts';
import type { Logger } from 'pino';
import { requestId } from 'hono/request-id';
import type { Metrics } from './metrics/create-metrics.ts';
import type { StorageHealth } from './health/probe-sqlite-storage.ts';
import type { DropInService } from './drop-in/create-drop-in-service.ts';
import { createDropInRoutes } from './drop-in/create-drop-in-routes.ts';
import { dropInOpenApiRoutes } from './drop-in/drop-in-openapi-routes.ts';

export interface AppDependencies {
  config: GatewayConfig;
  service: SuggestionService;
  providers: ProviderPool;
  templates: TemplateRegistry;
  cache: CacheStore;
  images: ImageStore;
  auditLog: AuditLog;
  /** The viewer's aggregate queries on the audit log, on either backend. */
  logQueries: LogQueries;
  counters: UsageCounters;
  monotonic: () => number;
  version: string;
  logError: (error: unknown, path: string) => void;
  metrics: Metrics;
  logger?: Logger;
  /** Whether storage can be written now, for /healthz. */
  probeStorage?: () => StorageHealth | Promise<StorageHealth>;
  /** The OpenAI- and Gemini-compatible endpoints (docs/drop-in.md). */
  dropIn?: DropInService;
  /** Lets GET /v1/providers report self-hosted upstreams that do not listen. */
  probeReachability?: ReachabilityProbe;
}

/**
 * Builds the app. Tests call `app.request()` on it; `server.ts` serves it.
 *
 * @example
 * const app = createApp(dependencies)
 * const response = await app.request('/healthz')
 */
export function createApp(dependencies: AppDependencies): Hono<GatewayEnv> {
  const { config } = dependencies;
  const app = new Hono<GatewayEnv>();
  app.onError(createErrorHandler({ logError: dependencies.logError }));
  app.notFound((c) => {
    const error = new GatewayError('not_found', `no route ${c.req.method} ${c.req.path}`);
    return c.json(error.toBody(), 404);
  });
  app.use('*', requestId());
  app.use('*', async (c, next) => {
    // Made on first use: only a request that goes upstream needs its signal, and a cache hit
    // skips the AbortController @hono/node-server would build for it.
    let signal: AbortSignal | undefined;
    c.set('requestContext', {
      get signal() {
        if (!signal) {
          signal = c.req.raw.signal;
          // Every item of a batch may wait on the same request signal; that is not a leak.
          setMaxListeners(0, signal);
        }
        return signal;
      },
    });
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The matched route pattern, not the path, so ids in paths do not explode the label set.
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    dependencies.metrics.observeRequest({ route, method: c.req.method, status: c.res.status, seconds });
    dependencies.logger?.info(
      { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1e4) / 10 },
      'request',
    );
  });
  // Unset here means any host: startServer and startEmbeddedGateway fill in the loopback default for
  // gateways on a socket, and app.request() gateways (tests) are not reachable by a rebinding page.
  if (config.server.allowedHosts) app.use('*', hostAllowList({ hosts: config.server.allowedHosts }));
  const { allowedOrigins } = config.server;
  if (allowedOrigins.length > 0) {
    app.use('*', cors({ origin: allowedOrigins.includes('*') ? '*' : allowedOrigins, allowHeaders: ['authorization', 'content-type'], maxAge: 600 }));
  }
  app.use('*', crossOriginGuard({ allowedOrigins }));
  app.use('/v1/*', bodySizeLimit({ maxBytes: config.server.bodyLimitBytes }));
  const tokens = (config.auth?.tokens ?? [])
    .map((entry, index) => (typeof entry === 'string' ? { name: `token-${index + 1}`, token: entry } : entry))
    .filter((entry) => entry.token !== '');
  if (config.auth && tokens.length === 0) {
    throw new Error('auth.tokens is configured but every token is empty: set the variables it names');
  }
  const accepted = new Map(tokens.map((entry) => [entry.name, entry.token]));
  if (tokens.length > 0) {
    const viewerCookie = 'teacher_gateway_token';
    app.use(
      '/v1/*',
      bearerAuth({
        tokens: accepted,
        // The viewer's <img> tags cannot send a header, so the image route takes its cookie too.
        cookie: { name: viewerCookie, accept: (request) => request.method === 'GET' && request.path.startsWith('/v1/images/') },
      }),
    );
    app.use('/ui/*', bearerAuth({ tokens: accepted, cookie: { name: viewerCookie, fromQuery: true } }));
  }
  if (config.metrics.requireAuth && tokens.length > 0) {
    app.use('/metrics', bearerAuth({ tokens: accepted }));
  }
  if (config.auth?.requestsPerMinute) {
    app.use('/v1/*', tokenRateLimit({ requestsPerMinute: config.auth.requestsPerMinute, now: dependencies.monotonic }));
  }
  app.get('/metrics', async (c) => {
    c.header('content-type', dependencies.metrics.registry.contentType);
    return c.body(await dependencies.metrics.registry.metrics());
  });
  // Before the suggestion routes: it answers the drop-in form of POST /v1/cache/explain and passes the rest on.
  if (dependencies.dropIn) {
    const logError = dependencies.logError;
    app.route('/', createDropInRoutes({ service: dependencies.dropIn, config, providers: dependencies.providers, tokens: accepted, logError, monotonic: dependencies.monotonic }));
  }
  app.route('/', createSuggestionRoutes(dependencies.service));
  app.route('/', createCatalogRoutes(dependencies));
  app.route('/', createImageRoutes(dependencies.images, config.limits, { authenticated: tokens.length > 0 }));
  app.route('/', createLogRoutes(dependencies.auditLog));
  app.route('/', createViewerRoutes(dependencies));
  app.route(
    '/',
    createOperationsRoutes({
      ...dependencies,
      openapi: () => createOpenApiDocument({ version: dependencies.version, ...(dependencies.dropIn ? { extraRoutes: dropInOpenApiRoutes } : {}) }),
    }),
  );
  return app;
}
