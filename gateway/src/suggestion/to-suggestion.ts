import type { Suggestion } from '@teacher-gateway/client';
import { argmaxOf, entropyOf } from '../parsing/shape-distribution.ts';
import type { CacheEntry } from '../stores/cache-store.ts';
import type { Prepared } from './prepare-request.ts';

/** The response body for an answered request. */
export function toSuggestion(
  prepared: Prepared,
  entry: CacheEntry,
  outcome: Suggestion['cache'],
  requestId: string,
  upstreamCalls: number,
  latencyMs = 0,
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
    latencyMs,
    usage: {
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      upstreamCalls,
    },
    ...(answer.warnings && answer.warnings.length > 0 ? { warnings: answer.warnings } : {}),
  };
}
