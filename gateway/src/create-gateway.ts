/**
 * @module
 * Wires a gateway from its parts: stores on an open database, providers, templates, the
 * suggestion service and the app. `server.ts`, the trainer's in-process gateway and the tests
 * all build gateways here, handing in the effects they choose.
 */
import type { Hono } from 'hono';
import { monotonicFactory } from 'ulidx';
import type { GatewayEnv } from './app-env.ts';
import type { GatewayConfig, ProviderConfig } from './config/config-schema.ts';
import { defaultMaxRetryAfterMs } from './config/config-schema.ts';
import { createApp } from './create-app.ts';
import type { Logger } from 'pino';
import { createMetrics } from './metrics/create-metrics.ts';
import type { FetchBytes } from './images/fetch-remote-image.ts';
import type { VisionLanguageModel } from './providers/provider.ts';
import type { ProviderPool } from './providers/provider-pool.ts';
import type { ProviderScheduler } from './scheduling/provider-scheduler.ts';
import { createProviderScheduler } from './scheduling/provider-scheduler.ts';
import { setBoundedTimeout } from './scheduling/set-bounded-timeout.ts';
import { createProviderPool } from './providers/provider-pool.ts';
import type { AuditLog } from './stores/audit-log.ts';
import type { CacheStore } from './stores/cache-store.ts';
import type { ImageStore } from './stores/image-store.ts';
import type { SqliteDatabase } from './stores/open-database.ts';
import { createSqliteStorage } from './stores/sqlite-storage.ts';
import type { Storage } from './stores/storage.ts';
import { createTieredCacheStore } from './stores/tiered-cache-store.ts';
import type { SuggestionService } from './suggestion/create-suggestion-service.ts';
import { createSuggestionService } from './suggestion/create-suggestion-service.ts';
import { createStorageGate } from './suggestion/storage-gate.ts';
import { createUsageCounters } from './suggestion/usage-counters.ts';
import type { Template } from './templates/template.ts';
import { createDropInService } from './drop-in/create-drop-in-service.ts';
import type { PassThroughCaller } from './drop-in/create-pass-through-caller.ts';
import { createTemplateRegistry } from './templates/template-registry.ts';
import type { ReachabilityProbe } from './providers/create-reachability-probe.ts';
import { sleepWithSignal } from './scheduling/sleep-with-signal.ts';

export interface GatewayOptions {
  config: GatewayConfig;
  missingVariables?: Map<string, string>;
  templates: Template[];
  /** An open SQLite file (the stores are built on it) unless `storage` is given. */
  database?: SqliteDatabase;
  /** The stores on either backend (`openStorage`); takes precedence over `database`. */
  storage?: Storage;
  createProvider: (config: ProviderConfig) => VisionLanguageModel;
  now?: () => number;
  monotonic?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  logError?: (error: unknown, path: string) => void;
  version?: string;
  setTimer?: (callback: () => void, ms: number) => void;
  /** Downloads allow-listed image URLs (limits.imageHosts). */
  fetchImage?: FetchBytes;
  /** Structured request logs; none when absent (tests). */
  logger?: Logger;
  /** The drop-in endpoints' raw upstream call (default: undici to each provider's base URL). */
  passThrough?: PassThroughCaller;
  /** Lets GET /v1/providers report self-hosted upstreams that do not listen (createReachabilityProbe). */
  probeReachability?: ReachabilityProbe;
}

export interface Gateway {
  app: Hono<GatewayEnv>;
  service: SuggestionService;
  providers: ProviderPool;
  cache: CacheStore;
  images: ImageStore;
  auditLog: AuditLog;
  schedulerFor: (providerId: string) => ProviderScheduler;
  /** Waits for pending writes (cache, images, audit log: one group commit). The database is the caller's to close. */
  flush(): Promise<void>;
}

/**
 * @example
 * const gateway = createGateway({ config, templates: loadTemplates('prompts'), database: openDatabase(':memory:'), createProvider })
 * await gateway.app.request('/healthz')
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const newUlid = monotonicFactory(() => random());
  const providers = createProviderPool({
    configs: config.providers,
    missingVariables: options.missingVariables ?? new Map(),
    create: options.createProvider,
  });
  const templates = createTemplateRegistry(options.templates);
  const storage = options.storage ?? createSqliteStorage(requireDatabase(options.database), now);
  const cache = createTieredCacheStore({
    durable: storage.cache,
    maxEntries: config.cache.memoryEntries,
    maxBytes: config.cache.memoryBytes,
  });
  const { images, auditLog } = storage;
  const counters = createUsageCounters();
  const setTimer = options.setTimer ?? ((callback: () => void, ms: number) => void setBoundedTimeout(callback, ms));
  const schedulers = new Map<string, ProviderScheduler>();
  const schedulerFor = (providerId: string): ProviderScheduler => {
    let scheduler = schedulers.get(providerId);
    if (!scheduler) {
      const providerConfig = config.providers.find((entry) => entry.id === providerId);
      scheduler = createProviderScheduler({
        providerId,
        maxConcurrency: providerConfig?.maxConcurrency ?? 8,
        maxQueue: config.batching.maxQueue,
        ...(providerConfig?.requestsPerMinute ? { requestsPerMinute: providerConfig.requestsPerMinute } : {}),
        ...(providerConfig?.tokensPerMinute ? { tokensPerMinute: providerConfig.tokensPerMinute } : {}),
        // A provider's pause is waited out only as long as one of its calls may take.
        ...(providerConfig ? { maxRetryAfterMs: providerConfig.maxRetryAfterMs ?? defaultMaxRetryAfterMs, maxWaitMs: providerConfig.timeoutMs } : {}),
        now: monotonic,
        setTimer,
      });
      schedulers.set(providerId, scheduler);
    }
    return scheduler;
  };
  const metrics = createMetrics({
    schedulers: () => [...schedulers].map(([provider, scheduler]) => ({ provider, ...scheduler.stats() })),
    coalescedInFlight: () => service.inFlight(),
    cache: () => cache.stats(),
  });
  // One gate: a write that failed on either path keeps the other from paying for answers it cannot keep.
  const storageGate = createStorageGate(monotonic);
  const service = createSuggestionService({
    storageGate,
    observe: (observation) => metrics.observeSuggestion(observation),
    ...(options.fetchImage ? { fetchImage: options.fetchImage } : {}),
    config,
    templates,
    providers,
    cache,
    images,
    auditLog,
    ...(storage.claims ? { claims: { claims: storage.claims, committed: () => storage.flush() } } : {}),
    counters,
    now,
    monotonic,
    newId: () => `sug_${newUlid(now())}`,
    sleep: options.sleep ?? sleepWithSignal,
    random,
    schedulerFor,
    setTimer,
  });
  const dropIn = createDropInService({
    storageGate,
    observe: (observation) => metrics.observeSuggestion(observation),
    count: (request) => counters.count(request),
    config,
    providers,
    cache,
    images,
    auditLog,
    schedulerFor,
    now,
    monotonic,
    newId: () => `req_${newUlid(now())}`,
    sleep: options.sleep ?? sleepWithSignal,
    random,
    ...(options.fetchImage ? { fetchImage: options.fetchImage } : {}),
    ...(options.passThrough ? { passThrough: options.passThrough } : {}),
    ...(storage.claims ? { claims: { claims: storage.claims, committed: () => storage.flush() } } : {}),
  });
  const app = createApp({
    dropIn,
    config,
    service,
    providers,
    templates,
    cache,
    images,
    auditLog,
    logQueries: storage.logQueries,
    counters,
    monotonic,
    version: options.version ?? '0.1.0',
    logError: options.logError ?? ((error) => console.error(error)),
    metrics,
    probeStorage: () => storage.probe(),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.probeReachability ? { probeReachability: options.probeReachability } : {}),
  });
  return { app, service, providers, cache, images, auditLog, schedulerFor, flush: () => storage.flush() };
}

function requireDatabase(database: SqliteDatabase | undefined): SqliteDatabase {
  if (!database) throw new Error('createGateway needs a database or a storage');
  return database;
}
