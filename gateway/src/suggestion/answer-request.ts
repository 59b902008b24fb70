/**
 * @module
 * One request through the steps, provider by provider: resolve image → prepare → cache policy →
 * look up → (storage gate) → ask. A provider that fails for want of the provider hands over to the
 * next in `fallbacks`; one that learns mid-call it has no log-probabilities (Gemini) is asked again
 * once with its new method plan.
 */
import type { Suggestion, SuggestionRequest } from '@teacher-gateway/client';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheStore } from '../stores/cache-store.ts';
import type { ImageStore } from '../stores/image-store.ts';
import type { AskContext, UpstreamAsker } from './ask-upstream.ts';
import { cachePolicy } from './cache-policy.ts';
import { describeChainFailure } from './describe-chain-failure.ts';
import type { ChainFailure } from './describe-chain-failure.ts';
import type { DurableWrites } from './durable-writes.ts';
import { lookUpCache } from './look-up-cache.ts';
import type { PrepareDependencies, Prepared } from './prepare-request.ts';
import { chooseProviders, prepareRequest } from './prepare-request.ts';
import { resolveImage } from './resolve-image.ts';
import type { StorageGate } from './storage-gate.ts';
import { toSuggestion } from './to-suggestion.ts';

export type Answer = { ok: true; suggestion: Suggestion } | { ok: false; error: GatewayError };

/** What a request spent on its way, whatever its outcome: for the audit log. */
export interface Spent {
  calls: UpstreamCallRecord[];
  /** The request as prepared for the last provider it reached. */
  prepared?: Prepared;
}

export interface AnswerDependencies extends PrepareDependencies {
  cache: CacheStore;
  images: ImageStore;
  fetchImage: FetchBytes | undefined;
  asker: UpstreamAsker;
  storage: StorageGate;
}

/** Failures of the provider, which another provider may not share; anything else fails the same everywhere. */
const fallbackCodes = new Set([
  'provider_unavailable',
  'provider_error',
  'provider_timeout',
  'rate_limited',
]);

/** Tries the request's provider, then its fallbacks while each fails for want of the provider. */
export async function answerRequest(
  request: SuggestionRequest,
  requestId: string,
  context: AskContext,
  writes: DurableWrites,
  spent: Spent,
  steps: AnswerDependencies,
): Promise<Answer> {
  const { config, cache, images, asker, storage } = steps;
  const image = await resolveImage(
    request,
    { limits: config.limits, images, fetchImage: steps.fetchImage },
    writes,
  );
  if (!image.ok) return image;
  const chosen = chooseProviders(request, steps);
  if (!chosen.ok) return chosen;
  const policy = cachePolicy(config.cache.mode, request.cache);
  // Made only when needed: an error's stack trace costs more than a cache hit.
  const failures: ChainFailure[] = [];
  for (const [index, provider] of chosen.providers.entries()) {
    let failure: GatewayError | undefined;
    // A provider that learns mid-call it lacks logprobs (Gemini) is asked again with its new plan.
    for (let planAttempt = 0; planAttempt < 2; planAttempt += 1) {
      const prepared = prepareRequest(request, provider, image.image, steps);
      if (!prepared.ok) return prepared;
      spent.prepared = prepared.prepared;
      const found = await lookUpCache(prepared.prepared, policy, config.cache.mode, cache);
      if (found.found)
        return {
          ok: true,
          suggestion: toSuggestion(prepared.prepared, found.entry, found.outcome, requestId, 0),
        };
      if (found.error) return { ok: false, error: found.error };
      // Storage that cannot be written would lose the answer: refuse before paying for it.
      const unwritable = await storage.check(writes);
      if (unwritable) return { ok: false, error: unwritable };
      const asked = await asker.ask(prepared.prepared, policy, requestId, context, writes);
      spent.calls = spent.calls.concat(asked.calls);
      if (asked.ok) {
        const suggestion = toSuggestion(
          prepared.prepared,
          asked.entry,
          asked.outcome,
          requestId,
          spent.calls.length,
        );
        return {
          ok: true,
          suggestion:
            index > 0
              ? { ...suggestion, fallbackFrom: chosen.providers[0]?.config.id as string }
              : suggestion,
        };
      }
      failure = asked.error;
      const replan =
        planAttempt === 0 &&
        prepared.prepared.plan.name === 'logprobs' &&
        !provider.capabilities.logprobs &&
        asked.calls.length > 0;
      if (!replan) break;
    }
    // Bad input, a bad answer or the gateway's own limit would fail the same with any provider.
    if (failure && (!fallbackCodes.has(failure.code) || failure.details.bound !== undefined))
      return { ok: false, error: failure };
    if (failure) failures.push({ provider: provider.config.id, error: failure });
  }
  // Every provider tried and why, so the message names what to fix for each.
  return { ok: false, error: describeChainFailure(failures) };
}
