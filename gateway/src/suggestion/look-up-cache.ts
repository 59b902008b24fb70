import type { Suggestion } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { CacheEntry, CacheStore } from '../stores/cache-store.ts';
import type { CachePolicy } from './cache-policy.ts';
import type { NearestEntry } from './find-nearest-entry.ts';
import { findNearestEntry } from './find-nearest-entry.ts';
import type { Prepared } from './prepare-request.ts';

export type CacheLookup =
  | { found: true; entry: CacheEntry; outcome: Suggestion['cache'] }
  /** Not stored: ask upstream, or, when the policy forbids that, answer with `error`. */
  | { found: false; error?: GatewayError };

/** The cache's part of step 3: a stored answer for the request's slot, if the policy lets it read one. */
export async function lookUpCache(
  prepared: Prepared,
  policy: CachePolicy,
  mode: GatewayConfig['cache']['mode'],
  cache: CacheStore,
): Promise<CacheLookup> {
  const { cacheKey, sample } = prepared;
  if (policy.read) {
    const stored = (await cache.get(cacheKey.key)).find((entry) => entry.sample === sample);
    if (stored)
      return { found: true, entry: stored, outcome: mode === 'replay' ? 'replayed' : 'hit' };
  }
  if (policy.upstream) return { found: false };
  const nearest = findNearestEntry(cacheKey.components, await cache.recent(prepared.template.id, 500));
  const missing =
    mode === 'replay'
      ? 'replay mode: this request was never recorded'
      : 'cache "only": this request is not in the cache';
  const message = nearest
    ? `${missing}; ${describeNearest(nearest, sample)}`
    : `${missing}, and nothing is recorded for template ${prepared.template.id}`;
  const details = {
    key: cacheKey.key,
    sample,
    components: cacheKey.components,
    ...(nearest ? { nearest, differs: nearest.differs } : {}),
  };
  return { found: false, error: new GatewayError('not_cached', message, details) };
}

function describeNearest(nearest: NearestEntry, sample: number): string {
  // Nothing differs in the key when only the request's sample slot is empty: a seed never recorded.
  return nearest.differs.length > 0
    ? `the nearest recorded request, ${nearest.requestId}, differs in: ${nearest.differs.join(', ')}`
    : `recorded request ${nearest.requestId} has the same key, but sample slot ${sample} (chosen by the seed) is empty`;
}
