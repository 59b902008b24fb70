/**
 * @module
 * Steps 4 and 5 for one request: one upstream call through the provider's scheduler, then its
 * answer parsed into a cache entry. Returns what happened, with every attempt it made.
 */
import { GatewayError } from '../errors/gateway-error.ts';
import type { ImageTable } from '../images/create-image-table.ts';
import type { PoolEntry, ProviderPool } from '../providers/provider-pool.ts';
import type {
  GenerateOptions,
  GenerateResult,
  VisionLanguageModel,
} from '../providers/provider.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheEntry } from '../stores/cache-store.ts';
import type { StoredImage } from '../stores/image-store.ts';
import type { RenderedPrompt } from '../templates/render-template.ts';
import { callUpstream } from './call-upstream.ts';
import type { UpstreamOutcome } from './call-upstream.ts';
import type { MethodPlan } from './choose-method.ts';
import { mapProviderError } from './map-provider-error.ts';
import type { Prepared } from './prepare-request.ts';
import { attachImage } from './prepare-request.ts';
import { readAnswer } from './read-answer.ts';
import type { AnswerFailure } from './read-answer.ts';
import { toCacheEntry } from './to-cache-entry.ts';

export type AskResult =
  | { ok: true; entry: CacheEntry; calls: UpstreamCallRecord[] }
  | { ok: false; error: GatewayError; calls: UpstreamCallRecord[] };

/** What asking upstream needs from the outside world. */
export interface AskDependencies {
  providers: ProviderPool;
  schedulerFor: (providerId: string) => ProviderScheduler;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Bounds the image bytes of calls being sent; absent in labelling, which sends nothing itself. */
  imageTable?: Pick<ImageTable, 'sending'>;
}

export async function askSingle(
  prepared: Prepared,
  image: StoredImage | undefined,
  requestId: string,
  signal: AbortSignal | undefined,
  dependencies: AskDependencies,
): Promise<AskResult> {
  const { provider, plan } = prepared;
  const model = modelOf(provider);
  if (!model.ok) return { ok: false, error: model.error, calls: [] };
  const prompt = attachImage(prepared.prompt, image);
  const outcome = await callUpstream({
    ...callSettings(provider, requestId, dependencies, image?.data.byteLength),
    model: model.model,
    estimatedTokens: estimateTokens(prompt.text, image !== undefined, plan),
    options: { ...generateOptions(plan, prompt), ...(signal ? { signal } : {}) },
  });
  if (!outcome.ok)
    return {
      ok: false,
      error: failedCall(provider, outcome, dependencies.providers),
      calls: outcome.calls,
    };
  const read = readEntry(prepared, outcome.result, requestId, model.model, dependencies.now());
  if (!read.ok) return { ok: false, error: unusableAnswer(read.failure), calls: outcome.calls };
  return { ok: true, entry: read.entry, calls: outcome.calls };
}

/** The upstream call's options for one prompt. */
export function generateOptions(plan: MethodPlan, prompt: RenderedPrompt): GenerateOptions {
  return {
    messages: prompt.messages,
    maxOutputTokens: plan.decoding.maxOutputTokens,
    temperature: plan.decoding.temperature,
    samples: plan.decoding.samples,
    topLogprobs: plan.decoding.topLogprobs,
    json: plan.decoding.json,
    ...(plan.decoding.guidedChoice ? { guidedChoice: prompt.letters } : {}),
  };
}

/** Parses an answer with the live parsers into the entry the cache would keep. */
export function readEntry(
  prepared: Prepared,
  result: GenerateResult,
  requestId: string,
  model: VisionLanguageModel,
  now: number,
) {
  const read = readAnswer({
    result,
    plan: prepared.plan,
    actions: prepared.request.actions,
    letters: prepared.prompt.letters,
    distribution: prepared.request.distribution,
  });
  return read.ok
    ? { ok: true as const, entry: toCacheEntry(prepared, read.answer, requestId, model.model, now) }
    : read;
}

export function modelOf(
  provider: PoolEntry,
): { ok: true; model: VisionLanguageModel } | { ok: false; error: GatewayError } {
  if (provider.model) return { ok: true, model: provider.model };
  const { id } = provider.config;
  const error = new GatewayError(
    'provider_unavailable',
    `${id} is unavailable: ${provider.reason}`,
    { provider: id, reason: provider.reason },
  );
  return { ok: false, error };
}

/** Retries, timeout and effects of one provider's calls. */
export function callSettings(
  provider: PoolEntry,
  requestId: string,
  dependencies: AskDependencies,
  imageBytes = 0,
) {
  const table = dependencies.imageTable;
  return {
    ...(table && imageBytes > 0
      ? { sending: (signal: AbortSignal | undefined) => table.sending(imageBytes, signal) }
      : {}),
    scheduler: dependencies.schedulerFor(provider.config.id),
    requestId,
    maxRetries: provider.config.maxRetries,
    timeoutMs: provider.config.timeoutMs,
    now: dependencies.now,
    sleep: dependencies.sleep,
    random: dependencies.random,
  };
}

/** A failed call as the client sees it; a provider that says its key or quota is gone is set aside. */
export function failedCall(
  provider: PoolEntry,
  outcome: Extract<UpstreamOutcome, { ok: false }>,
  providers: ProviderPool,
): GatewayError {
  const { error } = outcome;
  if (error instanceof GatewayError) return error;
  if (error.kind === 'quota-exhausted' || error.kind === 'unauthorized')
    providers.disable(provider.config.id, error.message);
  return mapProviderError(provider.config.id, error, provider.config);
}

export function unusableAnswer(failure: AnswerFailure): GatewayError {
  return new GatewayError(
    'unparsable_response',
    `the teacher's answer could not be used: ${failure.reason}`,
    {
      kind: failure.kind,
      reason: failure.reason,
      rawText: failure.rawText,
    },
  );
}

/** A rough token count for rate pacing: about 4 characters a token, and a typical image's cost. */
export function estimateTokens(text: string, hasImage: boolean, plan: MethodPlan): number {
  return (
    Math.ceil(text.length / 4) +
    (hasImage ? 800 : 0) +
    plan.decoding.maxOutputTokens * plan.decoding.samples
  );
}
