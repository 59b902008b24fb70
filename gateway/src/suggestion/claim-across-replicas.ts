import type { CacheEntry } from '../stores/cache-store.ts';
import type { FlightClaims } from '../stores/flight-claims.ts';

export interface ClaimAcrossReplicasOptions<T> {
  claims: FlightClaims;
  /** The flight's key (cache key and sample slot). */
  key: string;
  /** Reads the answer from the shared store: another replica may have committed it. */
  lookUp: () => Promise<CacheEntry | undefined>;
  /** Resolves once the answer `work` stored is committed, so waiters released after it find it. */
  committed: () => Promise<void>;
  /** What a request served by another replica's answer returns. */
  fromPeer: (entry: CacheEntry) => T;
}

/**
 * Wraps a single flight's work so that replicas sharing a store make one upstream call per key:
 * the replica that claims the key asks upstream and releases the claim once the answer is
 * committed; the others wait for the release (or the claimant's death), then read the answer,
 * or claim again if there is none (the claimant failed).
 *
 * @example
 * const shared = claimAcrossReplicas({ claims, key: slot, lookUp, committed, fromPeer }, ask)
 * flights.run(slot, shared, signal)
 */
export function claimAcrossReplicas<T>(
  options: ClaimAcrossReplicasOptions<T>,
  work: (signal: AbortSignal) => Promise<T>,
): (signal: AbortSignal) => Promise<T> {
  const { claims, key, lookUp, committed, fromPeer } = options;
  return async (signal) => {
    for (;;) {
      signal.throwIfAborted();
      const claim = await claims.claim(key, signal);
      if (!claim.owned) {
        const stored = await lookUp();
        if (stored) return fromPeer(stored);
        continue;
      }
      try {
        // Another replica may have committed the answer between this replica's miss and its claim.
        const stored = await lookUp();
        if (stored) return fromPeer(stored);
        const result = await work(signal);
        await committed();
        return result;
      } finally {
        // A store that went away took the claim with its session; nothing is left to release.
        await claim.release().catch(() => undefined);
      }
    }
  };
}
