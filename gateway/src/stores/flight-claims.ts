/**
 * @module
 * Single flight across replicas: before paying for a miss, a replica claims the key; the others
 * wait for the claimant's answer to be committed instead of asking upstream themselves.
 */

export interface FlightClaim {
  /** True when this replica holds the claim and should ask upstream. */
  owned: boolean;
  /** Gives the claim back (after the answer is committed, or on failure). Idempotent. */
  release(): Promise<void>;
}

export interface FlightClaims {
  /**
   * Claims `key`, or, when another replica holds it, waits until that replica releases it (its
   * answer committed, it failed, or it died) and resolves with `owned: false`. The caller then reads
   * the cache again: a hit when the other replica succeeded, and otherwise it claims again.
   */
  claim(key: string, signal?: AbortSignal): Promise<FlightClaim>;
}
