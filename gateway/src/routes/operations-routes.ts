import { Hono } from 'hono';
import type { GatewayConfig } from '../config/config-schema.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import type { CacheStore } from '../stores/cache-store.ts';
import type { UsageCounters } from '../suggestion/usage-counters.ts';
import type { GatewayEnv } from '../app-env.ts';

export interface OperationsRoutesOptions {
  config: GatewayConfig;
  providers: ProviderPool;
  cache: CacheStore;
  counters: UsageCounters;
  version: string;
  monotonic: () => number;
  openapi: () => unknown;
}

/** `GET /healthz`, `GET /v1/cache/stats` and `GET /openapi.json`. */
export function createOperationsRoutes(options: OperationsRoutesOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const startedAt = options.monotonic();
  app.get('/healthz', (c) => {
    const all = options.providers.list();
    const available = all.filter((entry) => entry.model !== undefined).length;
    return c.json({
      status: available > 0 || options.config.cache.mode === 'replay' ? 'ok' : 'degraded',
      version: options.version,
      mode: options.config.cache.mode,
      uptimeSeconds: Math.round((options.monotonic() - startedAt) / 1000),
      providers: { available, total: all.length },
    });
  });
  app.get('/v1/cache/stats', async (c) =>
    c.json({ mode: options.config.cache.mode, ...(await options.cache.stats()), ...options.counters.snapshot() }),
  );
  let document: unknown;
  app.get('/openapi.json', (c) => c.json((document ??= options.openapi())));
  return app;
}
