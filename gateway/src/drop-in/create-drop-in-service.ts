/**
 * @module
 * The drop-in endpoints' use case, as named steps like the suggestion pipeline's:
 *
 *   validate → resolve images → route → plan (body, cache key) → cache policy → look up
 *   → storage gate → ask (single flight, across replicas with a shared store → scheduler
 *   → upstream) → record
 *
 * An OpenAI- or Gemini-shaped request is routed to a configured provider (passed through intact or
 * translated), answered from the cache or upstream, and written to the cache and the audit log
 * like a suggestion. This file only strings the steps together.
 */
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheStore } from '../stores/cache-store.ts';
import type { ImageStore } from '../stores/image-store.ts';
import type { ReplicaClaims } from '../suggestion/ask-upstream.ts';
import { cachePolicy } from '../suggestion/cache-policy.ts';
import { createDurableWrites } from '../suggestion/durable-writes.ts';
import { createStorageGate } from '../suggestion/storage-gate.ts';
import type { StorageGate } from '../suggestion/storage-gate.ts';
import { createDropInAsker } from './ask-drop-in-upstream.ts';
import type { PassThroughCaller } from './create-pass-through-caller.ts';
import { createPassThroughCaller } from './create-pass-through-caller.ts';
import { createSampleSlots } from './create-sample-slots.ts';
import { UpstreamFailure } from './drop-in-error.ts';
import { lookUpDropIn } from './look-up-drop-in.ts';
import type { PassThroughAnswer } from './pass-through-answer.ts';
import type { DropInPlan } from './plan-drop-in-request.ts';
import { planDropInRequest } from './plan-drop-in-request.ts';
import type { DropInCacheOutcome, FinishedDropIn, RecordDependencies } from './record-drop-in-request.ts';
import { recordDropInRequest } from './record-drop-in-request.ts';
import type { ResolvedImages } from './resolve-images.ts';
import { resolveImages } from './resolve-images.ts';
import type { Target } from './resolve-target.ts';
import { resolveTargets } from './resolve-target.ts';
import { toClientShape } from './to-client-shape.ts';
import { validateDropInRequest } from './validate-drop-in-request.ts';
import type { Wire } from './wire.ts';

export type { PassThroughAnswer } from './pass-through-answer.ts';
export type { DropInCacheOutcome } from './record-drop-in-request.ts';

export interface DropInServiceDependencies extends RecordDependencies {
  config: GatewayConfig;
  providers: ProviderPool;
  cache: CacheStore;
  images: ImageStore;
  schedulerFor: (providerId: string) => ProviderScheduler;
  now: () => number;
  monotonic: () => number;
  newId: () => string;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  fetchImage?: FetchBytes;
  /** The raw upstream call; default: undici to each provider's configured base URL. */
  passThrough?: PassThroughCaller;
  /** Whether storage can take an answer: the gateway's one gate, shared with suggestions. */
  storageGate?: StorageGate;
  /** Cross-replica single flight (a store shared by replicas); absent for one process's store. */
  claims?: ReplicaClaims;
}

/** One drop-in request as the endpoint received it. */
export interface DropInRequest {
  /** The API the client speaks. */
  wire: Wire;
  /** The model the client named (OpenAI body `model`, Gemini path). */
  model: string;
  body: unknown;
  tags?: Record<string, string | number>;
  tokenName?: string;
  /** Read only when the request goes upstream: a hit never pays for making the request's signal. */
  context?: { readonly signal?: AbortSignal };
}

export interface DropInAnswer {
  /** The full response in the client's API shape (the endpoint streams it when asked to). */
  body: Record<string, unknown>;
  cache: DropInCacheOutcome;
  requestId: string;
  provider: string;
  /** The provider's request id and rate-limit headers on a miss. */
  headers: Record<string, string>;
}

export interface DropInExplanation {
  key: string;
  components: Record<string, string>;
  sample: number;
  sampling: boolean;
  provider: string;
  model: string;
  translated: boolean;
  stored: number;
}

export interface DropInService {
  answer(request: DropInRequest): Promise<DropInAnswer>;
  explain(request: DropInRequest): Promise<DropInExplanation>;
  inFlight(): number;
}

/** Provider failures another provider may not share: worth a fallback. */
const fallbackKinds = new Set(['rate-limited', 'quota-exhausted', 'unauthorized', 'overloaded', 'timeout', 'network']);
// not_cached too: in replay, a request a fallback answered while recording is under the fallback's key.
const fallbackCodes = new Set(['provider_unavailable', 'provider_error', 'provider_timeout', 'rate_limited', 'not_cached']);

export function createDropInService(dependencies: DropInServiceDependencies): DropInService {
  const { config, providers, cache } = dependencies;
  const passThrough = dependencies.passThrough ?? createPassThroughCaller({ maxResponseBytes: config.limits.upstreamResponseBytes });
  const slots = createSampleSlots(config.cache.samplesPerKey);
  const asker = createDropInAsker({ ...dependencies, passThrough, slots });
  const storage = dependencies.storageGate ?? createStorageGate(dependencies.monotonic);
  const policy = cachePolicy(config.cache.mode, 'default');

  async function validateAndResolve(request: DropInRequest): Promise<ResolvedImages> {
    const valid = validateDropInRequest(request.wire, request.body);
    if (!valid.ok) throw valid.error;
    return resolveImages(request.wire, valid.body, { limits: config.limits, ...(dependencies.fetchImage ? { fetchImage: dependencies.fetchImage } : {}) });
  }

  async function answer(request: DropInRequest): Promise<DropInAnswer> {
    const started = dependencies.monotonic();
    const requestId = dependencies.newId();
    const time = dependencies.now();
    const writes = createDurableWrites();
    const spent: { calls: UpstreamCallRecord[]; plan?: DropInPlan; resolved?: ResolvedImages } = { calls: [] };
    const finish = (fields: Pick<FinishedDropIn, 'status' | 'result' | 'outcome' | 'usage' | 'errorCode' | 'errorMessage' | 'fallbackFrom'>) =>
      recordDropInRequest(
        { requestId, time, latencyMs: dependencies.monotonic() - started, wire: request.wire, tags: request.tags, tokenName: request.tokenName, calls: spent.calls, plan: spent.plan, resolved: spent.resolved, ...fields },
        dependencies,
      );
    try {
      const resolved = (spent.resolved = await validateAndResolve(request));
      for (const image of resolved.images) writes.add(dependencies.images.put(image));
      const targets = resolveTargets(request.model, config, providers);
      for (const [index, target] of targets.entries()) {
        const plan = (spent.plan = planDropInRequest(target, request.wire, resolved));
        const result = await answerWith(plan, request, requestId, writes);
        spent.calls = spent.calls.concat(result.calls);
        if (!result.ok) {
          if (index === targets.length - 1 || !canFallBack(result.error)) throw result.error;
          continue;
        }
        const stored = result.entry.answer as PassThroughAnswer;
        const body = toClientShape(request.wire, stored, result.entry.model, Math.floor(result.entry.createdAt / 1000));
        const fallbackFrom = index > 0 ? targets[0]?.provider.config.id : undefined;
        await Promise.all([finish({ status: 200, result: body, outcome: result.outcome, usage: stored.usage, fallbackFrom }), writes.settled()]);
        storage.wrote();
        return { body, cache: result.outcome, requestId, provider: target.provider.config.id, headers: result.headers };
      }
      throw new GatewayError('provider_unavailable', 'no provider could answer');
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'storage_unavailable') storage.failed(error);
      await finish({
        status: error instanceof UpstreamFailure || error instanceof GatewayError ? error.status : 500,
        result: error instanceof UpstreamFailure ? error.body : error instanceof GatewayError ? error.toBody() : undefined,
        errorCode: error instanceof GatewayError ? error.code : error instanceof UpstreamFailure ? `upstream_${error.kind}` : 'internal_error',
        errorMessage: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
      if (typeof error === 'object' && error !== null) auditIds.set(error, requestId);
      throw error;
    }
  }

  /** One target: look up, then (past the storage gate) ask upstream. */
  async function answerWith(plan: DropInPlan, request: DropInRequest, requestId: string, writes: ReturnType<typeof createDurableWrites>) {
    const found = await lookUpDropIn(plan, policy, config.cache.mode, { cache, slots });
    if (found.found) return { ok: true as const, entry: found.entry, headers: {}, calls: [], outcome: found.outcome };
    if (found.error) return { ok: false as const, error: found.error, calls: [] };
    // Storage that cannot be written would lose the answer: refuse before paying for it.
    const unwritable = await storage.check(writes);
    if (unwritable) return { ok: false as const, error: unwritable, calls: [] };
    const run = request.tags?.run !== undefined ? String(request.tags.run) : undefined;
    return asker.ask(plan, found.slot, policy, { requestId, run, signal: request.context?.signal }, writes);
  }

  return {
    answer,
    inFlight: () => asker.inFlight(),
    async explain(request) {
      const resolved = await validateAndResolve(request);
      const [target] = resolveTargets(request.model, config, providers);
      const plan = planDropInRequest(target as Target, request.wire, resolved);
      const stored = await cache.get(plan.key);
      return {
        key: plan.key,
        components: plan.components,
        sample: plan.sampling && plan.seed !== undefined ? Math.abs(Math.trunc(plan.seed)) % config.cache.samplesPerKey : 0,
        sampling: plan.sampling,
        provider: plan.target.provider.config.id,
        model: plan.target.model,
        translated: plan.providerWire !== request.wire,
        stored: stored.length,
      };
    },
  };
}

function canFallBack(error: unknown): boolean {
  if (error instanceof UpstreamFailure) return fallbackKinds.has(error.kind);
  return error instanceof GatewayError && fallbackCodes.has(error.code);
}

const auditIds = new WeakMap<object, string>();

/** The audit id of the request that failed with this error, for the response's headers. */
export function auditIdOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? auditIds.get(error) : undefined;
}
