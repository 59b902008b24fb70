/**
 * @module
 * The suggestion pipeline. A request parsed once at the border goes through named steps, each in
 * its own file, each returning what happened rather than throwing it:
 *
 *   resolve image → prepare → cache policy → look up → ask (single flight → packing → scheduler
 *   → upstream) → parse → record
 *
 * Everything with an effect (stores, clock, ids, sleep, randomness) comes in as a dependency, so
 * tests hand in fakes. docs/architecture.md draws it.
 */
import type { ErrorBody, Suggestion, SuggestionRequest } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import type { ImageTable } from '../images/create-image-table.ts';
import { createImageTable } from '../images/create-image-table.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { AuditLog, UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheStore } from '../stores/cache-store.ts';
import type { ImageStore } from '../stores/image-store.ts';
import type { TemplateRegistry } from '../templates/template-registry.ts';
import { answerRequest } from './answer-request.ts';
import type { Answer, Spent } from './answer-request.ts';
import { createUpstreamAsker } from './ask-upstream.ts';
import type { ReplicaClaims } from './ask-upstream.ts';
import { createDurableWrites } from './durable-writes.ts';
import { planLabel } from './plan-label.ts';
import type { LabelPlan } from './plan-label.ts';
import type { ParsedSuggestionRequest } from './parse-suggestion-request.ts';
import type { Prepared } from './prepare-request.ts';
import { chooseProviders, prepareRequest } from './prepare-request.ts';
import { recordRequest } from './record-request.ts';
import { resolveImage } from './resolve-image.ts';
import { createStorageGate } from './storage-gate.ts';
import type { StorageGate } from './storage-gate.ts';
import type { UsageCounters } from './usage-counters.ts';

export type { LabelPlan } from './plan-label.ts';

export interface SuggestionServiceDependencies {
  config: GatewayConfig;
  templates: TemplateRegistry;
  providers: ProviderPool;
  cache: CacheStore;
  images: ImageStore;
  auditLog: AuditLog;
  /** Wall-clock milliseconds, for timestamps. */
  now: () => number;
  /** Monotonic milliseconds, for latencies. */
  monotonic: () => number;
  newId: () => string;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  counters: UsageCounters;
  setTimer: (callback: () => void, ms: number) => void;
  /** Downloads allow-listed image URLs; absent means URLs are always refused. */
  fetchImage?: FetchBytes;
  /** Told of every finished request, for metrics. */
  observe?: (observation: {
    provider: string | undefined;
    outcome: string;
    calls: UpstreamCallRecord[];
  }) => void;
  /** The pacing of each provider's upstream calls, by provider id. */
  schedulerFor: (providerId: string) => ProviderScheduler;
  /** The images held by queued and in-flight calls; one bounded by `limits.inflightImageBytes` by default. */
  imageTable?: ImageTable;
  /** Whether storage can take an answer; one per gateway so suggestions and the drop-in learn from each other's failed writes. */
  storageGate?: StorageGate;
  /** Cross-replica single flight (a store shared by replicas); absent for one process's store. */
  claims?: ReplicaClaims;
}

export interface RequestContext {
  tokenName?: string;
  signal?: AbortSignal;
}

export interface CacheExplanation {
  key: string;
  components: Record<string, string>;
  sample: number;
  method: string;
  provider: string;
  stored: number;
}

export interface SuggestionService {
  /** Upstream calls currently shared by coalesced requests. */
  inFlight(): number;
  /** Answers a parsed request, or logs a refused one; rejects with the `GatewayError` to answer with. */
  suggest(parsed: ParsedSuggestionRequest, context?: RequestContext): Promise<Suggestion>;
  /** Answers each item in order; identical items share one upstream call whatever their cache control. */
  suggestBatch(
    items: ParsedSuggestionRequest[],
    context?: RequestContext,
  ): Promise<(Suggestion | ErrorBody)[]>;
  explain(request: SuggestionRequest): Promise<CacheExplanation>;
  planLabel(request: SuggestionRequest): Promise<LabelPlan>;
}

export function createSuggestionService(
  dependencies: SuggestionServiceDependencies,
): SuggestionService {
  const { config, cache, images } = dependencies;
  const imageTable =
    dependencies.imageTable ??
    createImageTable({ images, maxBytes: config.limits.inflightImageBytes });
  const asker = createUpstreamAsker({ ...dependencies, batching: config.batching, imageTable });
  const storage = dependencies.storageGate ?? createStorageGate(dependencies.monotonic);
  const steps = { ...dependencies, fetchImage: dependencies.fetchImage, asker, storage };
  let batches = 0;

  async function resolveAndPrepare(request: SuggestionRequest): Promise<Prepared> {
    const writes = createDurableWrites();
    const image = await resolveImage(
      request,
      { limits: config.limits, images, fetchImage: dependencies.fetchImage },
      writes,
    );
    if (!image.ok) throw image.error;
    await writes.settled();
    const chosen = chooseProviders(request, dependencies);
    if (!chosen.ok) throw chosen.error;
    const prepared = prepareRequest(
      request,
      chosen.providers[0] as Prepared['provider'],
      image.image,
      dependencies,
    );
    if (!prepared.ok) throw prepared.error;
    return prepared.prepared;
  }

  async function run(
    parsed: ParsedSuggestionRequest,
    context: RequestContext & { batchId?: string },
  ): Promise<Answer> {
    const started = dependencies.monotonic();
    const requestId = dependencies.newId();
    const time = dependencies.now();
    const writes = createDurableWrites();
    const spent: Spent = { calls: [] };
    let outcome: Answer = parsed.ok
      ? await answerRequest(parsed.request, requestId, context, writes, spent, steps).catch(
          (error: unknown) => ({
            ok: false as const,
            error: toGatewayError(error),
          }),
        )
      : parsed;
    if (outcome.ok)
      outcome = {
        ok: true,
        suggestion: { ...outcome.suggestion, latencyMs: round(dependencies.monotonic() - started) },
      };
    const finish = (result: Answer) =>
      recordRequest(
        {
          requestId,
          time,
          prepared: spent.prepared,
          tags: parsed.ok ? parsed.request.tags : parsed.tags,
          tokenName: context.tokenName,
          calls: spent.calls,
          latencyMs: dependencies.monotonic() - started,
          outcome: result,
        },
        {
          auditLog: dependencies.auditLog,
          counters: dependencies.counters,
          observe: dependencies.observe,
        },
      );
    try {
      await Promise.all([finish(outcome), writes.settled()]);
      storage.wrote();
      return outcome;
    } catch (error) {
      const failed = toGatewayError(error);
      if (failed.code === 'storage_unavailable') storage.failed(failed);
      if (outcome.ok) await finish({ ok: false, error: failed }).catch(() => undefined);
      return { ok: false, error: failed };
    }
  }

  return {
    inFlight: () => asker.inFlight(),
    async suggest(parsed, context = {}) {
      const outcome = await run(parsed, context);
      if (!outcome.ok) throw outcome.error;
      return outcome.suggestion;
    },
    async suggestBatch(items, context = {}) {
      const batchId = `batch-${(batches += 1)}`;
      return Promise.all(
        items.map(async (item) => {
          const outcome = await run(item, { ...context, batchId });
          return outcome.ok ? outcome.suggestion : outcome.error.toBody();
        }),
      );
    },
    async planLabel(request) {
      return planLabel(await resolveAndPrepare(request), dependencies);
    },
    async explain(request) {
      const prepared = await resolveAndPrepare(request);
      return {
        key: prepared.cacheKey.key,
        components: prepared.cacheKey.components,
        sample: prepared.sample,
        method: prepared.plan.name,
        provider: prepared.provider.config.id,
        stored: (await cache.get(prepared.cacheKey.key)).length,
      };
    },
  };
}

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'the gateway failed unexpectedly; see its log', {});
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
