import { Hono } from 'hono';
import type { GatewayConfig } from '../config/config-schema.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import type { CacheStore } from '../stores/cache-store.ts';
import type { UsageCounters } from '../suggestion/usage-counters.ts';
import type { GatewayEnv } from '../app-env.ts';
import type { StorageHealth } from '../health/probe-sqlite-storage.ts';

export interface OperationsRoutesOptions {
  config: GatewayConfig;
  providers: ProviderPool;
  cache: CacheStore;
  counters: UsageCounters;
  version: string;
  monotonic: () => number;
  openapi: () => unknown;
  /** Whether storage can be written now; reported by /healthz, which is `degraded` when not. */
  probeStorage?: () => StorageHealth | Promise<StorageHealth>;
}

/** `GET /healthz`, `GET /v1/cache/stats` and `GET /openapi.json`. */
export function createOperationsRoutes(options: OperationsRoutesOptions): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const startedAt = options.monotonic();
  app.get('/healthz', async (c) => {
    const all = options.providers.list();
    const available = all.filter((entry) => entry.model !== undefined).length;
    const storage = await options.probeStorage?.();
    const answering = available > 0 || options.config.cache.mode === 'replay';
    return c.json({
      status: answering && storage?.writable !== false ? 'ok' : 'degraded',
      version: options.version,
      mode: options.config.cache.mode,
      uptimeSeconds: Math.round((options.monotonic() - startedAt) / 1000),
      providers: { available, total: all.length },
      ...(storage ? { storage } : {}),
    });
  });
  app.get('/v1/cache/stats', async (c) =>
    c.json({ mode: options.config.cache.mode, ...(await options.cache.stats()), ...options.counters.snapshot() }),
  );
  let document: unknown;
  app.get('/openapi.json', (c) => c.json((document ??= options.openapi())));
  return app;
}
