/**
 * @module
 * The suggestion use case: template → image → method → cache → upstream → parser → cache and
 * audit log. Everything with an effect (stores, clock, ids, sleep, randomness) comes in as a
 * dependency, so tests hand in fakes.
 */
import { createHash } from 'node:crypto';
import type { ErrorBody, Suggestion, SuggestionRequest } from '@teacher-gateway/client';
import { SuggestionRequestSchema } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { checkImageLimits } from '../images/check-image-limits.ts';
import { decodeImage, sniffMediaType } from '../images/decode-image.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import { fetchRemoteImage } from '../images/fetch-remote-image.ts';
import { argmaxOf, entropyOf } from '../parsing/shape-distribution.ts';
import type { PoolEntry, ProviderPool } from '../providers/provider-pool.ts';
import type { AuditLog, UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheEntry, CacheStore } from '../stores/cache-store.ts';
import type { ImageStore, StoredImage } from '../stores/image-store.ts';
import { renderTemplate } from '../templates/render-template.ts';
import type { RenderedPrompt } from '../templates/render-template.ts';
import type { TemplateRegistry } from '../templates/template-registry.ts';
import type { Template } from '../templates/template.ts';
import { createRequestPacker } from '../batching/request-packer.ts';
import { parsePackedLogprobs } from '../parsing/parse-packed-logprobs.ts';
import { shapeDistribution } from '../parsing/shape-distribution.ts';
import type { GenerateOptions, GenerateResult, VisionLanguageModel } from '../providers/provider.ts';
import type { CachedAnswer } from '../stores/cache-store.ts';
import { packPrompts } from '../templates/pack-prompts.ts';
import { callUpstream } from './call-upstream.ts';
import type { UpstreamOutcome } from './call-upstream.ts';
import { chooseMethod } from './choose-method.ts';
import type { MethodPlan } from './choose-method.ts';
import type { CacheKey } from './compute-cache-key.ts';
import { computeCacheKey } from './compute-cache-key.ts';
import { findNearestEntry } from './find-nearest-entry.ts';
import { describeChainFailure } from './describe-chain-failure.ts';
import type { ChainFailure } from './describe-chain-failure.ts';
import { mapProviderError } from './map-provider-error.ts';
import { readAnswer } from './read-answer.ts';
import type { AnswerFailure } from './read-answer.ts';
import { toCallRecord } from './to-call-record.ts';
import { createSingleFlight } from './single-flight.ts';
import type { UsageCounters } from './usage-counters.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';

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
  observe?: (observation: { provider: string | undefined; outcome: string; calls: UpstreamCallRecord[] }) => void;
  /** The pacing of each provider's upstream calls, by provider id. */
  schedulerFor: (providerId: string) => ProviderScheduler;
}

export interface RequestContext {
  tokenName?: string;
  signal?: AbortSignal;
}

/** A request resolved against one provider: everything needed to look up or ask. */
interface Prepared {
  request: SuggestionRequest;
  template: Template;
  provider: PoolEntry;
  plan: MethodPlan;
  cacheKey: CacheKey;
  sample: number;
  prompt: ReturnType<typeof renderTemplate>;
  image: { mediaType: string; data: Uint8Array; sha256: string } | undefined;
}

/** An answer and the upstream attempts spent on it (none for hits and coalesced followers). */
type Answered = { entry: CacheEntry; calls: UpstreamCallRecord[] };
/** What the audit log and counters need to know about a request once it is answered. */
interface FinishedRequest {
  requestId: string;
  time: number;
  prepared: Prepared | undefined;
  /** The body sent to the client. */
  result: unknown;
  status: number;
  tags: Record<string, string | number> | undefined;
  context: RequestContext;
  /** Every upstream attempt this request made (none for hits and coalesced followers). */
  calls: UpstreamCallRecord[];
  started: number;
  error?: GatewayError;
}

type PackItem = { prepared: Prepared; requestId: string; signal?: AbortSignal };

export interface CacheExplanation {
  key: string;
  components: Record<string, string>;
  sample: number;
  method: string;
  provider: string;
  stored: number;
}

/** One request as offline labelling sees it: its cache slot and the call that would fill it. */
export interface LabelPlan {
  key: string;
  sample: number;
  provider: string;
  model: VisionLanguageModel;
  /** The slot is filled already; nothing to ask. */
  cached: boolean;
  options: GenerateOptions;
  /**
   * Reads an answer with the live parsers, writes it into the cache under the live key and logs it
   * as a miss with its upstream call (or, unusable, as the error a live request would get);
   * resolves once durable.
   */
  store(result: GenerateResult): Promise<{ ok: true; entry: CacheEntry } | { ok: false; reason: string }>;
}

export interface SuggestionService {
  /** Upstream calls currently shared by coalesced requests. */
  inFlight(): number;
  planLabel(body: unknown): Promise<LabelPlan>;
  suggest(body: unknown, context?: RequestContext): Promise<Suggestion>;
  suggestBatch(items: unknown[], context?: RequestContext): Promise<(Suggestion | ErrorBody)[]>;
  explain(body: unknown): Promise<CacheExplanation>;
}

export function createSuggestionService(dependencies: SuggestionServiceDependencies): SuggestionService {
  const { config, templates, providers, cache, images, auditLog } = dependencies;
  // Concurrent requests with the same key share one upstream call (single flight).
  const flights = createSingleFlight<Answered>();

  function validate(body: unknown): SuggestionRequest {
    const parsed = SuggestionRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new GatewayError('invalid_request', describeIssues(parsed.error.issues), {
        issues: parsed.error.issues.map(({ path, message, code }) => ({ path, message, code })),
      });
    }
    return parsed.data;
  }

  async function resolveImage(request: SuggestionRequest, writes: DurableWrites): Promise<Prepared['image']> {
    const input = request.observation.image;
    if (input === undefined) return undefined;
    if (typeof input !== 'string') {
      if (!images.has(input.sha256)) {
        throw new GatewayError('not_found', `no image with sha256 ${input.sha256}: upload it first (POST /v1/images)`, {
          sha256: input.sha256,
        });
      }
      return storedImage(input.sha256);
    }
    let decoded = decodeImage(input);
    if (!decoded.ok && /^https?:\/\//i.test(input)) {
      const bytes = await fetchRemoteImage(input, config.limits, dependencies.fetchImage);
      const mediaType = sniffMediaType(bytes);
      decoded = mediaType ? { ok: true, value: { mediaType, data: bytes } } : { ok: false, reason: 'the fetched file is not a PNG, JPEG or WebP image' };
    }
    if (!decoded.ok) throw new GatewayError('invalid_request', `observation.image: ${decoded.reason}`);
    checkImageLimits(decoded.value, config.limits);
    const sha256 = createHash('sha256').update(decoded.value.data).digest('hex');
    const image = { ...decoded.value, sha256 };
    writes.add(images.put(image));
    return image;
  }

  /**
   * An uploaded image, its bytes read on first use: the cache key needs only the hash, so a hit
   * never reads them, and a miss reads them once, to render its prompt.
   */
  function storedImage(sha256: string): NonNullable<Prepared['image']> {
    let loaded: StoredImage | undefined;
    const load = () => {
      loaded ??= images.get(sha256);
      // Images are never deleted, so one that was there a moment ago still is.
      if (!loaded) throw new GatewayError('internal_error', `image ${sha256} vanished from the image store`);
      return loaded;
    };
    return {
      sha256,
      get mediaType() {
        return load().mediaType;
      },
      get data() {
        return load().data;
      },
    };
  }

  function providerIds(request: SuggestionRequest): string[] {
    const id = request.provider ?? config.defaultProvider ?? config.providers[0]?.id;
    if (id === undefined) throw new GatewayError('provider_unavailable', 'no provider is configured');
    if (!providers.get(id)) {
      throw new GatewayError('not_found', `no provider "${id}" is configured`, {
        provider: id,
        configured: providers.list().map((entry) => entry.config.id),
      });
    }
    return [id, ...(config.fallbacks[id] ?? [])];
  }

  function prepare(request: SuggestionRequest, provider: PoolEntry, image: Prepared['image']): Prepared {
    const template = templates.resolve(request.template);
    if (!template) {
      throw new GatewayError('not_found', `no template "${request.template}"`, {
        template: request.template,
        available: templates.list().map((entry) => `${entry.id}@${entry.version}`),
      });
    }
    if (template.inputs.includes('image') && !image) {
      throw new GatewayError('invalid_request', `template ${template.id} needs observation.image`);
    }
    if (template.output === 'json-vector' && request.actions.kind !== 'continuous') {
      throw new GatewayError('invalid_request', `template ${template.id} needs continuous actions`);
    }
    if (template.output !== 'json-vector' && request.actions.kind !== 'discrete') {
      throw new GatewayError('invalid_request', `template ${template.id} needs discrete actions`);
    }
    if (template.output === 'choice' && request.actions.labels.length > 26) {
      throw new GatewayError('invalid_request', 'choice templates answer with a letter: at most 26 actions');
    }
    const choice = chooseMethod(template, request.distribution, provider.capabilities);
    if (!choice.ok) throw new GatewayError('invalid_request', choice.reason);
    const plan = choice.plan;
    // Rendered only when needed (a miss, or an error to log): a cache hit never pays for it.
    let rendered: RenderedPrompt | undefined;
    const render = () =>
      (rendered ??= renderTemplate({
        template,
        observation: request.observation,
        actions: request.actions,
        ...(image ? { image } : {}),
      }));
    const uses = (input: string) => template.inputs.includes(input as never);
    const cacheKey = computeCacheKey({
      provider: { kind: provider.config.kind, model: provider.config.model },
      template: { id: template.id, sha256: template.sha256 },
      variables: {
        ...(uses('text') ? { text: request.observation.text ?? '' } : {}),
        ...(uses('state') ? { state: request.observation.state ?? {} } : {}),
        ...(uses('image') && image ? { image: image.sha256 } : {}),
      },
      actions: request.actions,
      method: { name: plan.name, parameters: plan.parameters },
      decoding: plan.decoding,
    });
    const sample =
      plan.name === 'samples' && request.seed !== undefined ? request.seed % config.cache.samplesPerKey : 0;
    return {
      request,
      template,
      provider,
      plan,
      cacheKey,
      sample,
      get prompt() {
        return render();
      },
      image,
    };
  }

  function modelOf(provider: PoolEntry): VisionLanguageModel {
    if (!provider.model) {
      throw new GatewayError('provider_unavailable', `${provider.config.id} is unavailable: ${provider.reason}`, {
        provider: provider.config.id,
        reason: provider.reason,
      });
    }
    return provider.model;
  }

  function failedCall(provider: PoolEntry, outcome: Extract<UpstreamOutcome, { ok: false }>): GatewayError {
    const { error } = outcome;
    if (error instanceof GatewayError) return withCalls(error, outcome.calls);
    if (error.kind === 'quota-exhausted' || error.kind === 'unauthorized') {
      providers.disable(provider.config.id, error.message);
    }
    return withCalls(mapProviderError(provider.config.id, error, provider.config), outcome.calls);
  }

  function toEntry(prepared: Prepared, answer: CachedAnswer, requestId: string, model: VisionLanguageModel): CacheEntry {
    const { plan, request } = prepared;
    return {
      key: prepared.cacheKey.key,
      sample: prepared.sample,
      answer: { ...answer, ...(plan.warning ? { warnings: [plan.warning, ...(answer.warnings ?? [])] } : {}) },
      provider: prepared.provider.config.id,
      model: model.model,
      template: { id: prepared.template.id, version: prepared.template.version, sha256: prepared.template.sha256 },
      components: prepared.cacheKey.components,
      ...(prepared.image ? { imageSha256: prepared.image.sha256 } : {}),
      requestId,
      ...(request.tags?.run !== undefined ? { run: String(request.tags.run) } : {}),
      createdAt: dependencies.now(),
    };
  }

  /** Misses of a packed template wait briefly for company and share one upstream call. */
  const packer = createRequestPacker<PackItem, Answered>({
    windowMs: config.batching.windowMs,
    maxBatchSize: config.batching.maxBatchSize,
    setTimer: dependencies.setTimer,
    flush: (items) =>
      items.length === 1
        ? Promise.allSettled(items.map((item) => askSingle(item.prepared, item.requestId, item.signal)))
        : askPacked(items),
  });

  function askUpstream(prepared: Prepared, requestId: string, signal?: AbortSignal): Promise<Answered> {
    const packable =
      prepared.template.packed && prepared.plan.name === 'logprobs' && config.batching.windowMs > 0 && config.batching.maxBatchSize > 1;
    if (!packable) return askSingle(prepared, requestId, signal);
    const { components } = prepared.cacheKey;
    const group = [prepared.provider.config.id, components.template, components.actions, components.method, components.decoding].join(':');
    return packer.submit(group, { prepared, requestId, ...(signal ? { signal } : {}) });
  }

  async function askPacked(items: PackItem[]): Promise<PromiseSettledResult<Answered>[]> {
    const first = items[0] as PackItem;
    const { provider, plan } = first.prepared;
    const model = modelOf(provider);
    const prompts = items.map(({ prepared }) =>
      renderTemplate({
        template: prepared.template,
        observation: prepared.request.observation,
        actions: prepared.request.actions,
        ...(prepared.image ? { image: prepared.image } : {}),
        packed: true,
      }),
    );
    const packed = packPrompts(prompts);
    const outcome = await callUpstream({
      model,
      scheduler: dependencies.schedulerFor(provider.config.id),
      estimatedTokens: estimateTokens(packed.text, false, plan) + 800 * items.length,
      options: {
        messages: packed.messages,
        maxOutputTokens: 2 * items.length + 4,
        temperature: 0,
        samples: 1,
        topLogprobs: plan.decoding.topLogprobs,
      },
      requestId: first.requestId,
      maxRetries: provider.config.maxRetries,
      timeoutMs: provider.config.timeoutMs,
      now: dependencies.now,
      sleep: dependencies.sleep,
      random: dependencies.random,
    });
    if (!outcome.ok) {
      const error = failedCall(provider, outcome);
      return items.map(() => ({ status: 'rejected' as const, reason: error }));
    }
    const choice = outcome.result.choices[0];
    const positions = parsePackedLogprobs(choice?.logprobs, prompts[0]?.letters ?? [], items.length);
    const usage = outcome.result.usage;
    const share = (total: number) => Math.round(total / items.length);
    return Promise.allSettled(
      items.map(async (item, index) => {
        const position = positions[index];
        const probs = position?.ok ? shapeDistribution(position.value.probs, item.prepared.request.distribution) : undefined;
        // A line the packed answer lacks is asked on its own rather than failed.
        if (!probs) return askSingle(item.prepared, item.requestId, item.signal);
        const answer: CachedAnswer = {
          method: 'logprobs',
          probs,
          usage: { inputTokens: share(usage.inputTokens), outputTokens: share(usage.outputTokens) },
          warnings: [`answered in a packed call with ${items.length} observations (request ${first.requestId})`],
        };
        const calls = index === 0 ? outcome.calls : [];
        return { entry: toEntry(item.prepared, answer, item.requestId, model), calls };
      }),
    );
  }

  function singleOptions({ plan, prompt }: Prepared, signal?: AbortSignal): GenerateOptions {
    return {
      messages: prompt.messages,
      maxOutputTokens: plan.decoding.maxOutputTokens,
      temperature: plan.decoding.temperature,
      samples: plan.decoding.samples,
      topLogprobs: plan.decoding.topLogprobs,
      json: plan.decoding.json,
      ...(plan.decoding.guidedChoice ? { guidedChoice: prompt.letters } : {}),
      ...(signal ? { signal } : {}),
    };
  }

  function readEntry(prepared: Prepared, result: GenerateResult, requestId: string, model: VisionLanguageModel) {
    const read = readAnswer({
      result,
      plan: prepared.plan,
      actions: prepared.request.actions,
      letters: prepared.prompt.letters,
      distribution: prepared.request.distribution,
    });
    return read.ok ? { ok: true as const, entry: toEntry(prepared, read.answer, requestId, model) } : read;
  }

  async function askSingle(prepared: Prepared, requestId: string, signal?: AbortSignal): Promise<Answered> {
    const { provider, plan, prompt } = prepared;
    const model = modelOf(provider);
    const outcome = await callUpstream({
      model,
      scheduler: dependencies.schedulerFor(provider.config.id),
      estimatedTokens: estimateTokens(prompt.text, prepared.image !== undefined, plan),
      options: singleOptions(prepared, signal),
      requestId,
      maxRetries: provider.config.maxRetries,
      timeoutMs: provider.config.timeoutMs,
      now: dependencies.now,
      sleep: dependencies.sleep,
      random: dependencies.random,
    });
    if (!outcome.ok) throw failedCall(provider, outcome);
    const read = readEntry(prepared, outcome.result, requestId, model);
    if (!read.ok) {
      throw withCalls(unusableAnswer(read.failure), outcome.calls);
    }
    return { entry: read.entry, calls: outcome.calls };
  }

  async function answer(
    prepared: Prepared,
    requestId: string,
    context: RequestContext,
    writes: DurableWrites,
  ): Promise<Answered & { outcome: Suggestion['cache'] }> {
    const mode = config.cache.mode;
    const control = prepared.request.cache;
    const read = (mode === 'live' || mode === 'replay') && (control === 'default' || control === 'only');
    const write = (mode === 'live' || mode === 'record') && (control === 'default' || control === 'refresh');
    const upstreamAllowed = mode !== 'replay' && control !== 'only';
    const slot = `${prepared.cacheKey.key}:${prepared.sample}`;
    if (read) {
      const stored = cache.get(prepared.cacheKey.key).find((entry) => entry.sample === prepared.sample);
      if (stored) return { entry: stored, outcome: mode === 'replay' ? 'replayed' : 'hit', calls: [] };
    }
    if (!upstreamAllowed) {
      const nearest = findNearestEntry(
        prepared.cacheKey.components,
        cache.recent(prepared.template.id, 500),
      );
      throw new GatewayError(
        'not_cached',
        mode === 'replay'
          ? 'replay mode: this request was never recorded'
          : 'cache "only": this request is not in the cache',
        { key: prepared.cacheKey.key, sample: prepared.sample, components: prepared.cacheKey.components, ...(nearest ? { nearest } : {}) },
      );
    }
    const ask = (upstreamSignal: AbortSignal | undefined) =>
      askUpstream(prepared, requestId, upstreamSignal).then((result) => {
        // The flight ends now, but the answer is readable at once: a request for it in the moment
        // before its commit is a hit, not a second call. The leader's response waits for the write.
        if (write) writes.add(cache.put(result.entry, { replace: mode === 'record' || control === 'refresh' }));
        return result;
      });
    // Read only now: a hit never needs the request's abort signal.
    const { signal } = context;
    if (!read) return { ...(await ask(signal)), outcome: 'miss' };
    const flight = flights.run(slot, ask, signal);
    const result = await flight.promise;
    if (flight.joined) return { entry: result.entry, outcome: 'coalesced', calls: [] };
    return { ...result, outcome: 'miss' };
  }

  async function suggest(body: unknown, context: RequestContext = {}): Promise<Suggestion> {
    const started = dependencies.monotonic();
    const requestId = dependencies.newId();
    const time = dependencies.now();
    let prepared: Prepared | undefined;
    let calls: UpstreamCallRecord[] = [];
    const tags = isRecord(body) && isRecord(body.tags) ? (body.tags as Record<string, string | number>) : undefined;
    const writes = createDurableWrites();
    try {
      const request = validate(body);
      const image = await resolveImage(request, writes);
      const ids = providerIds(request);
      const failures: ChainFailure[] = [];
      for (const [index, id] of ids.entries()) {
        const provider = providers.get(id);
        if (!provider) continue;
        try {
          const result = await answerWith(request, provider, image, requestId, context, writes);
          prepared = result.prepared;
          calls = calls.concat(result.calls);
          const suggestion = toSuggestion(result.prepared, result.entry, result.outcome, requestId, calls.length);
          const response: Suggestion = {
            ...suggestion,
            ...(index > 0 ? { fallbackFrom: ids[0] as string } : {}),
            latencyMs: round(dependencies.monotonic() - started),
          };
          await Promise.all([
            record({ requestId, time, prepared, result: response, status: 200, tags, context, calls, started }),
            writes.settled(),
          ]);
          return response;
        } catch (error) {
          prepared = preparedOf(error) ?? prepared;
          calls = calls.concat(callsOf(error));
          // Only a provider that could not answer hands over to the next; bad input or a bad answer does not.
          if (!(error instanceof GatewayError) || !fallbackCodes.has(error.code)) throw error;
          failures.push({ provider: id, error });
        }
      }
      throw describeChainFailure(failures);
    } catch (error) {
      const gatewayError = toGatewayError(error);
      await record({
        requestId,
        time,
        prepared,
        result: gatewayError.toBody(),
        status: gatewayError.status,
        tags,
        context,
        calls,
        started,
        error: gatewayError,
      });
      throw gatewayError;
    }
  }

  /** Asks one provider; one that learns mid-call it lacks logprobs (Gemini) is asked again with its new plan. */
  async function answerWith(
    request: SuggestionRequest,
    provider: PoolEntry,
    image: Prepared['image'],
    requestId: string,
    context: RequestContext,
    writes: DurableWrites,
  ): Promise<Awaited<ReturnType<typeof answer>> & { prepared: Prepared }> {
    let carried: UpstreamCallRecord[] = [];
    for (let planAttempt = 0; ; planAttempt += 1) {
      const prepared = prepare(request, provider, image);
      try {
        const result = await answer(prepared, requestId, context, writes);
        return { ...result, calls: carried.concat(result.calls), prepared };
      } catch (error) {
        const failedCalls = callsOf(error);
        const replan = planAttempt === 0 && prepared.plan.name === 'logprobs' && !provider.capabilities.logprobs && failedCalls.length > 0;
        if (!replan) {
          if (error instanceof GatewayError) {
            withCalls(error, carried.concat(failedCalls));
            preparedByError.set(error, prepared);
          }
          throw error;
        }
        carried = carried.concat(failedCalls);
      }
    }
  }

  /** Counts the finished request and writes its audit rows; resolves once they are committed. */
  async function record(finished: FinishedRequest): Promise<void> {
    const { requestId, time, prepared, result, status, tags, context, calls, started, error } = finished;
    const upstreamCalls = calls.length;
    const suggestion = status === 200 ? (result as Suggestion) : undefined;
    const spent = suggestion && suggestion.cache === 'miss';
    dependencies.observe?.({
      provider: suggestion?.provider ?? prepared?.provider.config.id,
      outcome: suggestion?.cache ?? 'error',
      calls,
    });
    dependencies.counters.count({
      provider: suggestion?.provider ?? prepared?.provider.config.id,
      cache: suggestion?.cache,
      upstreamCalls,
      inputTokens: spent ? suggestion.usage.inputTokens : 0,
      outputTokens: spent ? suggestion.usage.outputTokens : 0,
    });
    await auditLog.record(
      {
        id: requestId,
        time,
        ...(tags ? { tags } : {}),
        ...(prepared
          ? {
              template: `${prepared.template.id}@${prepared.template.version}`,
              templateSha256: prepared.template.sha256,
              provider: prepared.provider.config.id,
              model: prepared.provider.config.model,
              cacheKey: prepared.cacheKey.key,
              method: prepared.plan.name,
              // A hit's prompt is its cache key's first miss's prompt; the log fills it in on read.
              ...(isHit(suggestion) ? {} : { prompt: prepared.prompt.text }),
              ...(prepared.image ? { imageSha256: prepared.image.sha256 } : {}),
            }
          : {}),
        ...(suggestion ? { cache: suggestion.cache, method: suggestion.method, provider: suggestion.provider } : {}),
        latencyMs: dependencies.monotonic() - started,
        usage: {
          inputTokens: suggestion?.usage.inputTokens ?? 0,
          outputTokens: suggestion?.usage.outputTokens ?? 0,
          upstreamCalls,
        },
        status,
        ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
        ...(context.tokenName ? { tokenName: context.tokenName } : {}),
        result,
      },
      calls,
    );
  }

  return {
    suggest,
    inFlight: () => flights.inFlight(),
    async suggestBatch(items, context) {
      return Promise.all(
        items.map((item) =>
          suggest(item, context).catch((error: unknown) => toGatewayError(error).toBody()),
        ),
      );
    },
    async planLabel(body) {
      const request = validate(body);
      const writes = createDurableWrites();
      const image = await resolveImage(request, writes);
      await writes.settled();
      const [id] = providerIds(request);
      const provider = providers.get(id as string) as PoolEntry;
      const prepared = prepare(request, provider, image);
      const model = modelOf(provider);
      const { key } = prepared.cacheKey;
      return {
        key,
        sample: prepared.sample,
        provider: provider.config.id,
        model,
        cached: cache.get(key).some((entry) => entry.sample === prepared.sample),
        options: singleOptions(prepared),
        async store(result) {
          // Logged as a live miss is, so the audit log holds every prompt and answer, and a later
          // hit on this entry finds its prompt. A batch line has no timing of its own.
          const requestId = dependencies.newId();
          const time = dependencies.now();
          const started = dependencies.monotonic();
          const calls = [toCallRecord({ requestId, attempt: 1, model, startedAt: time, durationMs: 0, raw: result.raw })];
          const finished = { requestId, time, prepared, tags: request.tags, context: {}, calls, started };
          const read = readEntry(prepared, result, requestId, model);
          if (!read.ok) {
            const error = unusableAnswer(read.failure);
            await record({ ...finished, result: error.toBody(), status: error.status, error });
            return { ok: false, reason: read.failure.reason };
          }
          const response = toSuggestion(prepared, read.entry, 'miss', requestId, calls.length);
          await Promise.all([cache.put(read.entry), record({ ...finished, result: response, status: 200 })]);
          return read;
        },
      };
    },
    async explain(body) {
      const request = validate(body);
      const writes = createDurableWrites();
      const image = await resolveImage(request, writes);
      await writes.settled();
      const [id] = providerIds(request);
      const provider = providers.get(id as string) as PoolEntry;
      const prepared = prepare(request, provider, image);
      return {
        key: prepared.cacheKey.key,
        components: prepared.cacheKey.components,
        sample: prepared.sample,
        method: prepared.plan.name,
        provider: provider.config.id,
        stored: cache.get(prepared.cacheKey.key).length,
      };
    },
  };
}

function toSuggestion(
  prepared: Prepared,
  entry: CacheEntry,
  outcome: Suggestion['cache'],
  requestId: string,
  upstreamCalls: number,
): Suggestion {
  const { answer } = entry;
  return {
    id: requestId,
    actions: prepared.request.actions.labels,
    ...(answer.probs
      ? { probs: answer.probs, action: argmaxOf(answer.probs), entropy: entropyOf(answer.probs) }
      : {}),
    ...(answer.vector ? { vector: answer.vector } : {}),
    method: answer.method,
    provider: entry.provider,
    model: entry.model,
    template: entry.template,
    cache: outcome,
    cacheKey: entry.key,
    latencyMs: 0,
    usage: { inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens, upstreamCalls },
    ...(answer.warnings && answer.warnings.length > 0 ? { warnings: answer.warnings } : {}),
  };
}

// What a failed attempt did upstream travels with its error, so the audit log records it.
const callsByError = new WeakMap<object, UpstreamCallRecord[]>();
const preparedByError = new WeakMap<object, Prepared>();
const fallbackCodes = new Set(['provider_unavailable', 'provider_error', 'provider_timeout', 'rate_limited']);

function preparedOf(error: unknown): Prepared | undefined {
  return error instanceof Error ? preparedByError.get(error) : undefined;
}

/** A rough token count for rate pacing: about 4 characters a token, and a typical image's cost. */
function estimateTokens(text: string, hasImage: boolean, plan: MethodPlan): number {
  return Math.ceil(text.length / 4) + (hasImage ? 800 : 0) + plan.decoding.maxOutputTokens * plan.decoding.samples;
}

function unusableAnswer(failure: AnswerFailure): GatewayError {
  return new GatewayError('unparsable_response', `the teacher's answer could not be used: ${failure.reason}`, {
    kind: failure.kind,
    reason: failure.reason,
    rawText: failure.rawText,
  });
}

function isHit(suggestion: Suggestion | undefined): boolean {
  return suggestion !== undefined && suggestion.cache !== 'miss';
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function withCalls(error: GatewayError, calls: UpstreamCallRecord[]): GatewayError {
  callsByError.set(error, calls);
  return error;
}

function callsOf(error: unknown): UpstreamCallRecord[] {
  return (error instanceof Error ? callsByError.get(error) : undefined) ?? [];
}

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'the gateway failed unexpectedly; see its log', {});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'invalid request';
  const field = first.path.map(String).join('.') || '(body)';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${field}: ${first.message}${more}`;
}

/**
 * The stores' writes a request made (its image, the answer it fetched). They share the audit log's
 * group commit, so a response that waits for these and its own audit rows waits for one commit.
 */
interface DurableWrites {
  add(written: Promise<void>): void;
  /** Resolves once every write has committed; rejects with the first failure. */
  settled(): Promise<unknown>;
}

function createDurableWrites(): DurableWrites {
  const writes: Promise<void>[] = [];
  return {
    add(written) {
      // Marked handled here: the request reports a failure through settled(), or not at all if it
      // failed for another reason first.
      written.catch(() => undefined);
      writes.push(written);
    },
    settled: () => Promise.all(writes),
  };
}
