export interface RetryDelayOptions {
  /** First backoff step; doubles with each attempt. */
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * How long to wait before retry number `attempt` (0-based). The gateway's Retry-After wins over
 * the backoff because it knows the provider's rate window; jitter keeps many trainer processes
 * from retrying in lock-step.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  options: RetryDelayOptions,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, options.maxMs);
  const backoff = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return backoff * (0.5 + 0.5 * (options.random ?? Math.random)());
}
