import type { Suggestion } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { CacheEntry, CacheStore } from '../stores/cache-store.ts';
import type { CachePolicy } from './cache-policy.ts';
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
  const message =
    mode === 'replay'
      ? 'replay mode: this request was never recorded'
      : 'cache "only": this request is not in the cache';
  const details = {
    key: cacheKey.key,
    sample,
    components: cacheKey.components,
    ...(nearest ? { nearest } : {}),
  };
  return { found: false, error: new GatewayError('not_cached', message, details) };
}
