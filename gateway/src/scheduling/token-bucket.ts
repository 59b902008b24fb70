export interface TokenBucketOptions {
  /** Refill rate, per minute (a provider's requests- or tokens-per-minute limit). */
  perMinute: number;
  /** How much may be spent at once; defaults to one second of refill (at least 1). */
  burst?: number;
  now: () => number;
}

export interface TokenBucket {
  /** Takes `amount` if available and returns 0, or returns how many ms until it will be. */
  take(amount: number): number;
  /** The provider said how much is left and when its window resets; trust it over our estimate. */
  observe(remaining: number, resetMs: number | undefined): void;
}

/**
 * A token bucket refilled continuously. The provider's own `x-ratelimit-remaining-*` signals
 * correct it, because other clients of the same key spend from the same budget.
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const ratePerMs = options.perMinute / 60_000;
  const capacity = Math.max(1, options.burst ?? Math.ceil(options.perMinute / 60));
  let tokens = capacity;
  let updated = options.now();
  let blockedUntil = 0;
  const refill = () => {
    const now = options.now();
    tokens = Math.min(capacity, tokens + (now - updated) * ratePerMs);
    updated = now;
    return now;
  };
  return {
    take(amount) {
      const now = refill();
      if (now < blockedUntil) return blockedUntil - now;
      // A single request larger than the bucket may still go once the bucket is full.
      const needed = Math.min(amount, capacity);
      if (tokens >= needed) {
        tokens -= amount;
        return 0;
      }
      return Math.ceil((needed - tokens) / ratePerMs);
    },
    observe(remaining, resetMs) {
      refill();
      tokens = Math.min(tokens, remaining);
      if (remaining <= 0 && resetMs !== undefined) blockedUntil = Math.max(blockedUntil, options.now() + resetMs);
    },
  };
}
