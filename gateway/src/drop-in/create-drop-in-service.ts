/**
 * @module
 * The drop-in endpoints' use case: an OpenAI- or Gemini-shaped request, routed to a configured
 * provider (passed through intact or translated), answered from the cache or upstream through the
 * provider's scheduler, and written to the cache and the audit log like a suggestion.
 */
import { hash as sha256Hex } from 'node:crypto';
import { z } from 'zod';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import type { PoolEntry, ProviderPool } from '../providers/provider-pool.ts';
import { ProviderCallError } from '../providers/provider.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { AuditLog, UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheEntry, CachedAnswer, CacheStore } from '../stores/cache-store.ts';
import type { ImageStore } from '../stores/image-store.ts';
import { canonicalJson } from '../suggestion/canonical-json.ts';
import { createSingleFlight } from '../suggestion/single-flight.ts';
import { callWithRetries } from './call-with-retries.ts';
import type { PassThroughCaller } from './create-pass-through-caller.ts';
import { createPassThroughCaller } from './create-pass-through-caller.ts';
import { describePrompt } from './describe-prompt.ts';
import { UpstreamFailure } from './drop-in-error.ts';
import { canonicalGeminiRequest } from './gemini/canonical-gemini-request.ts';
import { replaceImages, resolveImages } from './resolve-images.ts';
import type { ResolvedImages } from './resolve-images.ts';
import type { Target } from './resolve-target.ts';
import { resolveTargets } from './resolve-target.ts';
import { geminiRequestToOpenAI } from './translate/gemini-request-to-openai.ts';
import { geminiResponseToOpenAI } from './translate/gemini-response-to-openai.ts';
import { openAIRequestToGemini } from './translate/openai-request-to-gemini.ts';
import { openAIResponseToGemini } from './translate/openai-response-to-gemini.ts';
import type { Wire } from './wire.ts';
import { wireOf } from './wire.ts';

type Json = Record<string, unknown>;

export interface DropInServiceDependencies {
  config: GatewayConfig;
  providers: ProviderPool;
  cache: CacheStore;
  images: ImageStore;
  auditLog: AuditLog;
  schedulerFor: (providerId: string) => ProviderScheduler;
  now: () => number;
  monotonic: () => number;
  newId: () => string;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  fetchImage?: FetchBytes;
  /** The raw upstream call; default: undici to each provider's configured base URL. */
  passThrough?: PassThroughCaller;
  /** Counts every finished request for `GET /v1/cache/stats`, as suggestions are counted. */
  count?: (request: { provider: string | undefined; cache: DropInCacheOutcome | undefined; upstreamCalls: number; inputTokens: number; outputTokens: number }) => void;
  /** Told of every finished request, for metrics (the same observation suggestions make). */
  observe?: (observation: { provider: string | undefined; outcome: string; calls: UpstreamCallRecord[] }) => void;
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

export type DropInCacheOutcome = 'hit' | 'miss' | 'coalesced' | 'replayed';

export interface DropInAnswer {
  /** The full response in the client's API shape (the endpoint streams it when asked to). */
  body: Json;
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

/** What a drop-in answer keeps in the cache: the provider's response body, as it came. */
export interface PassThroughAnswer extends CachedAnswer {
  wire: Wire;
  response: Json;
  /** The response's size as received: the memory tier counts it against cache.memoryBytes. */
  bytes: number;
}

const OpenAIRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.string() })).min(1),
  n: z.number().int().min(1).max(128).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().nullish(),
});

const GeminiRequestSchema = z.looseObject({
  contents: z.array(z.looseObject({ role: z.string().optional(), parts: z.array(z.looseObject({})).min(1) })).min(1),
});

/** OpenAI fields that cannot change the answer (wire facts §1): logged, not keyed. */
const unkeyedOpenAIFields = ['model', 'user', 'metadata', 'store', 'service_tier', 'stream', 'stream_options', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention'];
/** Provider failures another provider may not share: worth a fallback. */
const fallbackKinds = new Set(['rate-limited', 'quota-exhausted', 'unauthorized', 'overloaded', 'timeout', 'network']);

/** A request planned against one target: the body to send and the cache slot it fills. */
interface Plan {
  target: Target;
  providerWire: Wire;
  upstreamBody: Json;
  /** The upstream body with images by hash, for the audit log. */
  loggedBody: unknown;
  key: string;
  components: Record<string, string>;
  sampling: boolean;
  seed: number | undefined;
  endpoint: string;
}

interface Fetched {
  entry: CacheEntry;
  headers: Record<string, string>;
  calls: UpstreamCallRecord[];
  written: Promise<void> | undefined;
}

export function createDropInService(dependencies: DropInServiceDependencies): DropInService {
  const { config, providers, cache, images, auditLog } = dependencies;
  const passThrough = dependencies.passThrough ??
    createPassThroughCaller({ maxResponseBytes: config.limits.upstreamResponseBytes });
  const flights = createSingleFlight<Fetched>();
  const slotsInFlight = new Set<string>();
  let rotation = 0;

  function validate(request: DropInRequest): Json {
    const schema = request.wire === 'openai' ? OpenAIRequestSchema : GeminiRequestSchema;
    const parsed = schema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || '(body)';
      throw new GatewayError('invalid_request', `${field}: ${issue?.message ?? 'invalid request'}`, { field });
    }
    return request.body as Json;
  }

  function plan(target: Target, clientWire: Wire, resolved: ResolvedImages): Plan {
    const { config: provider } = target.provider;
    const providerWire = wireOf(provider.kind);
    const body = resolved.body;
    let upstreamBody: Json;
    if (providerWire === clientWire) {
      upstreamBody = providerWire === 'openai' ? { ...body, model: target.model } : { ...body };
      delete upstreamBody.stream;
      delete upstreamBody.stream_options;
      if (providerWire === 'gemini') delete upstreamBody.model;
    } else if (providerWire === 'gemini') {
      upstreamBody = openAIRequestToGemini(body);
    } else {
      upstreamBody = geminiRequestToOpenAI(body, target.model, provider.kind === 'openai' ? 'max_completion_tokens' : 'max_tokens');
    }
    const keyed: Json = providerWire === 'openai' ? { ...upstreamBody } : canonicalGeminiRequest(upstreamBody);
    if (providerWire === 'openai') for (const field of unkeyedOpenAIFields) delete keyed[field];
    const generation = (keyed.generationConfig ?? {}) as Json;
    const temperature = Number((providerWire === 'openai' ? keyed.temperature : generation.temperature) ?? 1);
    const sampling = temperature > 0;
    const seedValue = providerWire === 'openai' ? keyed.seed : generation.seed;
    const seed = typeof seedValue === 'number' ? seedValue : undefined;
    // A sampling request's seed picks its sample slot instead of splitting the key.
    if (sampling && providerWire === 'openai') delete keyed.seed;
    if (sampling && providerWire === 'gemini' && generation.seed !== undefined) {
      const rest = { ...generation };
      delete rest.seed;
      if (Object.keys(rest).length > 0) keyed.generationConfig = rest;
      else delete keyed.generationConfig;
    }
    const conversationFields = providerWire === 'openai' ? ['messages'] : ['contents', 'systemInstruction', 'system_instruction'];
    const conversation: Json = {};
    const parameters: Json = {};
    for (const [field, value] of Object.entries(keyed)) (conversationFields.includes(field) ? conversation : parameters)[field] = value;
    const endpoint = providerWire === 'openai' ? 'chat.completions' : 'generateContent';
    const components = {
      provider: hash(canonicalJson({ kind: provider.kind, model: target.model })),
      endpoint: hash(endpoint),
      conversation: hash(canonicalJson(replaceImages(conversation, resolved.hashes))),
      parameters: hash(canonicalJson(parameters)),
    };
    return {
      target,
      providerWire,
      upstreamBody,
      get loggedBody() {
        return replaceImages(upstreamBody, resolved.hashes);
      },
      key: hash(canonicalJson(components)),
      components,
      sampling,
      seed,
      endpoint,
    };
  }

  /** The sample slot to read or fill: the seed's, else the first free one, else a stored one in turn. */
  function chooseSlot(plan: Plan, stored: CacheEntry[], upstreamAllowed: boolean): number {
    const slots = config.cache.samplesPerKey;
    if (!plan.sampling) return 0;
    if (plan.seed !== undefined) return Math.abs(Math.trunc(plan.seed)) % slots;
    const taken = new Set(stored.map((entry) => entry.sample));
    if (upstreamAllowed) {
      for (let slot = 0; slot < slots; slot += 1) {
        if (!taken.has(slot) && !slotsInFlight.has(`${plan.key}:${slot}`)) return slot;
      }
    }
    if (stored.length === 0) return 0;
    rotation = (rotation + 1) % 1_000_000;
    return (stored[rotation % stored.length] as CacheEntry).sample;
  }

  function assertAvailable(provider: PoolEntry): void {
    if (!provider.model) {
      throw new GatewayError('provider_unavailable', `${provider.config.id} is unavailable: ${provider.reason}`, {
        provider: provider.config.id,
        reason: provider.reason,
      });
    }
  }

  async function fetchUpstream(plan: Plan, slot: number, request: DropInRequest, requestId: string, write: boolean, signal: AbortSignal | undefined): Promise<Fetched> {
    const { provider, model } = plan.target;
    assertAvailable(provider);
    const id = provider.config.id;
    const outcome = await callWithRetries({
      attempt: (attemptSignal) => passThrough({ provider: provider.config, model, body: plan.upstreamBody, signal: attemptSignal }),
      scheduler: dependencies.schedulerFor(id),
      // Only a tokens-per-minute budget needs the estimate; it costs a pass over the body.
      estimatedTokens: provider.config.tokensPerMinute ? estimateTokens(plan.upstreamBody) : 0,
      maxRetries: provider.config.maxRetries,
      timeoutMs: provider.config.timeoutMs,
      ...(signal ? { signal } : {}),
      record: { requestId, provider: id, model, requestBody: plan.loggedBody },
      now: dependencies.now,
      sleep: dependencies.sleep,
      random: dependencies.random,
    });
    if (!outcome.ok) {
      const { error } = outcome;
      if (error instanceof ProviderCallError && (error.kind === 'quota-exhausted' || error.kind === 'unauthorized')) {
        providers.disable(id, error.message);
      }
      throw withCalls(toFailure(error, plan.providerWire, id), outcome.calls);
    }
    const response = outcome.exchange.body as Json;
    const answer: PassThroughAnswer = { method: 'pass-through', usage: usageOf(plan.providerWire, response), wire: plan.providerWire, response, bytes: outcome.exchange.bytes };
    const entry: CacheEntry = {
      key: plan.key,
      sample: slot,
      answer,
      provider: id,
      model,
      template: { id: `drop-in/${plan.endpoint}`, version: 1, sha256: plan.components.endpoint as string },
      components: plan.components,
      requestId,
      ...(request.tags?.run !== undefined ? { run: String(request.tags.run) } : {}),
      createdAt: dependencies.now(),
    };
    // A degenerate answer (no choices, a blocked prompt) goes to the client but not into the cache.
    const written = write && isCacheable(plan.providerWire, response) ? cache.put(entry, { replace: config.cache.mode === 'record' }) : undefined;
    written?.catch(() => undefined);
    return { entry, headers: outcome.exchange.headers, calls: outcome.calls, written };
  }

  async function answerWith(plan: Plan, request: DropInRequest, requestId: string): Promise<Fetched & { outcome: DropInCacheOutcome; slot: number }> {
    const mode = config.cache.mode;
    const read = mode === 'live' || mode === 'replay';
    const write = mode === 'live' || mode === 'record';
    const upstreamAllowed = mode !== 'replay';
    const stored = read ? await cache.get(plan.key) : [];
    const slot = chooseSlot(plan, stored, upstreamAllowed);
    const hit = stored.find((entry) => entry.sample === slot);
    if (hit) return { entry: hit, headers: {}, calls: [], written: undefined, outcome: mode === 'replay' ? 'replayed' : 'hit', slot };
    if (!upstreamAllowed) {
      throw new GatewayError('not_cached', 'replay mode: this request was never recorded', {
        key: plan.key,
        sample: slot,
        components: plan.components,
        provider: plan.target.provider.config.id,
      });
    }
    const signal = request.context?.signal;
    if (!read) return { ...(await fetchUpstream(plan, slot, request, requestId, write, signal)), outcome: 'miss', slot };
    const flightKey = `${plan.key}:${slot}`;
    slotsInFlight.add(flightKey);
    const flight = flights.run(flightKey, (flightSignal) => fetchUpstream(plan, slot, request, requestId, write, flightSignal), signal);
    const release = () => slotsInFlight.delete(flightKey);
    flight.promise.then(release, release);
    const result = await flight.promise;
    if (flight.joined) return { entry: result.entry, headers: {}, calls: [], written: undefined, outcome: 'coalesced', slot };
    return { ...result, outcome: 'miss', slot };
  }

  async function answer(request: DropInRequest): Promise<DropInAnswer> {
    const started = dependencies.monotonic();
    const requestId = dependencies.newId();
    const time = dependencies.now();
    let calls: UpstreamCallRecord[] = [];
    let planned: Plan | undefined;
    let resolved: ResolvedImages | undefined;
    const writes: Promise<void>[] = [];
    const finish = (fields: Omit<Parameters<typeof record>[0], 'requestId' | 'time' | 'started' | 'request' | 'calls' | 'plan' | 'resolved'>) =>
      record({ requestId, time, started, request, calls, plan: planned, resolved, ...fields });
    try {
      const body = validate(request);
      resolved = await resolveImages(request.wire, body, {
        limits: config.limits,
        ...(dependencies.fetchImage ? { fetchImage: dependencies.fetchImage } : {}),
      });
      for (const image of resolved.images) {
        const written = images.put(image);
        written.catch(() => undefined);
        writes.push(written);
      }
      const targets = resolveTargets(request.model, config, providers);
      for (const [index, target] of targets.entries()) {
        try {
          planned = plan(target, request.wire, resolved);
          const result = await answerWith(planned, request, requestId);
          calls = calls.concat(result.calls);
          if (result.written) writes.push(result.written);
          const stored = result.entry.answer as PassThroughAnswer;
          const response = toClientShape(request.wire, stored, result.entry.model, Math.floor(result.entry.createdAt / 1000));
          const answered: DropInAnswer = { body: response, cache: result.outcome, requestId, provider: target.provider.config.id, headers: result.headers };
          await Promise.all([finish({ status: 200, result: response, outcome: result.outcome, usage: stored.usage, ...(index > 0 ? { fallbackFrom: targets[0]?.provider.config.id } : {}) }), ...writes]);
          return answered;
        } catch (error) {
          // A coalesced follower shares the leader's error, not its upstream calls.
          calls = calls.concat(callsOf(error).filter((call) => call.requestId === requestId));
          if (index === targets.length - 1 || !canFallBack(error)) throw error;
        }
      }
      throw new GatewayError('provider_unavailable', 'no provider could answer');
    } catch (error) {
      const status = error instanceof UpstreamFailure ? error.status : error instanceof GatewayError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      await finish({
        status,
        result: error instanceof UpstreamFailure ? error.body : error instanceof GatewayError ? error.toBody() : undefined,
        errorCode: error instanceof GatewayError ? error.code : error instanceof UpstreamFailure ? `upstream_${error.kind}` : 'internal_error',
        errorMessage: message,
      }).catch(() => undefined);
      if (typeof error === 'object' && error !== null) auditIds.set(error, requestId);
      throw error;
    }
  }

  async function record(finished: {
    requestId: string;
    time: number;
    started: number;
    request: DropInRequest;
    calls: UpstreamCallRecord[];
    plan: Plan | undefined;
    resolved: ResolvedImages | undefined;
    status: number;
    result: unknown;
    outcome?: DropInCacheOutcome;
    usage?: { inputTokens: number; outputTokens: number };
    errorCode?: string;
    errorMessage?: string;
    fallbackFrom?: string | undefined;
  }): Promise<void> {
    const { request, plan, resolved } = finished;
    const hit = finished.outcome !== undefined && finished.outcome !== 'miss';
    const lastImage = resolved?.images.at(-1);
    const tags = finished.fallbackFrom ? { ...request.tags, fallbackFrom: finished.fallbackFrom } : request.tags;
    dependencies.observe?.({ provider: plan?.target.provider.config.id, outcome: finished.outcome ?? 'error', calls: finished.calls });
    dependencies.count?.({
      provider: plan?.target.provider.config.id,
      cache: finished.outcome,
      upstreamCalls: finished.calls.length,
      inputTokens: hit ? 0 : (finished.usage?.inputTokens ?? 0),
      outputTokens: hit ? 0 : (finished.usage?.outputTokens ?? 0),
    });
    await auditLog.record(
      {
        id: finished.requestId,
        time: finished.time,
        ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
        template: request.wire === 'openai' ? 'openai/chat.completions' : 'gemini/generateContent',
        ...(plan
          ? {
              provider: plan.target.provider.config.id,
              model: plan.target.model,
              cacheKey: plan.key,
              method: plan.providerWire === request.wire ? 'pass-through' : 'translated',
            }
          : {}),
        ...(finished.outcome ? { cache: finished.outcome } : {}),
        // A hit's prompt is its key's first miss's prompt; the log fills it in on read.
        ...(resolved && !hit ? { prompt: describePrompt(request.wire, resolved.body, resolved.hashes) } : {}),
        ...(lastImage ? { imageSha256: lastImage.sha256 } : {}),
        latencyMs: dependencies.monotonic() - finished.started,
        usage: {
          inputTokens: hit ? 0 : (finished.usage?.inputTokens ?? 0),
          outputTokens: hit ? 0 : (finished.usage?.outputTokens ?? 0),
          upstreamCalls: finished.calls.length,
        },
        status: finished.status,
        ...(finished.errorCode ? { errorCode: finished.errorCode } : {}),
        ...(finished.errorMessage ? { errorMessage: finished.errorMessage } : {}),
        ...(request.tokenName ? { tokenName: request.tokenName } : {}),
        ...(finished.result !== undefined ? { result: finished.result } : {}),
      },
      finished.calls,
    );
  }

  return {
    answer,
    inFlight: () => flights.inFlight(),
    async explain(request) {
      const body = validate(request);
      const resolved = await resolveImages(request.wire, body, {
        limits: config.limits,
        ...(dependencies.fetchImage ? { fetchImage: dependencies.fetchImage } : {}),
      });
      const [target] = resolveTargets(request.model, config, providers);
      const planned = plan(target as Target, request.wire, resolved);
      const stored = await cache.get(planned.key);
      return {
        key: planned.key,
        components: planned.components,
        sample: planned.sampling && planned.seed !== undefined ? Math.abs(Math.trunc(planned.seed)) % config.cache.samplesPerKey : 0,
        sampling: planned.sampling,
        provider: planned.target.provider.config.id,
        model: planned.target.model,
        translated: planned.providerWire !== request.wire,
        stored: stored.length,
      };
    },
  };
}

/** The stored provider response in the client's API shape. */
function toClientShape(clientWire: Wire, stored: PassThroughAnswer, model: string, created: number): Json {
  if (stored.wire === clientWire) return stored.response;
  return clientWire === 'openai' ? geminiResponseToOpenAI(stored.response, model, created) : openAIResponseToGemini(stored.response);
}

function toFailure(error: ProviderCallError | GatewayError, providerWire: Wire, providerId: string): Error {
  if (error instanceof GatewayError) return error;
  const details = { provider: providerId, kind: error.kind, ...(error.status ? { upstreamStatus: error.status } : {}) };
  // The key the provider refused is the gateway's, not the client's: not a 401 for the client.
  if (error.kind === 'unauthorized') {
    return new GatewayError('provider_unavailable', `${providerId} refused the gateway's API key: ${error.message}`, details);
  }
  const raw = error.raw;
  if (raw?.status !== undefined && raw.responseBody !== undefined) {
    return new UpstreamFailure({
      message: `${providerId}: ${error.message}`,
      providerWire,
      kind: error.kind,
      status: raw.status,
      body: raw.responseBody,
      headers: raw.headers ?? {},
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    });
  }
  if (error.kind === 'timeout') return new GatewayError('provider_timeout', `${providerId} did not answer in time: ${error.message}`, details);
  return new GatewayError('provider_error', `${providerId} failed: ${error.message}`, details);
}

function canFallBack(error: unknown): boolean {
  if (error instanceof UpstreamFailure) return fallbackKinds.has(error.kind);
  // not_cached too: in replay, a request a fallback answered while recording is under the fallback's key.
  return error instanceof GatewayError && ['provider_unavailable', 'provider_error', 'provider_timeout', 'rate_limited', 'not_cached'].includes(error.code);
}

function usageOf(wire: Wire, response: Json): { inputTokens: number; outputTokens: number } {
  const usage = ((wire === 'openai' ? response.usage : response.usageMetadata) ?? {}) as Json;
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return wire === 'openai'
    ? { inputTokens: count(usage.prompt_tokens), outputTokens: count(usage.completion_tokens) }
    : { inputTokens: count(usage.promptTokenCount), outputTokens: count(usage.candidatesTokenCount) + count(usage.thoughtsTokenCount) };
}

function isCacheable(wire: Wire, response: Json): boolean {
  if (wire === 'openai') {
    const choices = response.choices;
    return Array.isArray(choices) && choices.length > 0 && choices.every((choice: unknown) => typeof (choice as Json | null)?.message === 'object');
  }
  const candidates = response.candidates;
  return Array.isArray(candidates) && candidates.length > 0 && candidates.some((candidate: unknown) => Array.isArray(((candidate as Json | null)?.content as Json | undefined)?.parts));
}

/** A rough token count for rate pacing: about 4 characters a token plus the answer's allowance. */
function estimateTokens(body: Json): number {
  const config = (body.generationConfig ?? {}) as Json;
  const answer = Number(body.max_completion_tokens ?? body.max_tokens ?? config.maxOutputTokens ?? 256);
  const samples = Number(body.n ?? config.candidateCount ?? 1);
  const messages = body.messages ?? body.contents;
  return Math.ceil(JSON.stringify(messages ?? '').length / 16) + answer * samples;
}

function hash(text: string): string {
  return sha256Hex('sha256', text, 'hex');
}

const auditIds = new WeakMap<object, string>();

/** The audit id of the request that failed with this error, for the response's headers. */
export function auditIdOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? auditIds.get(error) : undefined;
}

const callsByError = new WeakMap<object, UpstreamCallRecord[]>();

function withCalls<E extends Error>(error: E, calls: UpstreamCallRecord[]): E {
  callsByError.set(error, calls);
  return error;
}

function callsOf(error: unknown): UpstreamCallRecord[] {
  return (error instanceof Error ? callsByError.get(error) : undefined) ?? [];
}

