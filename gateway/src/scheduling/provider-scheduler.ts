import { defaultMaxRetryAfterMs } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { CircuitBreaker, CircuitState } from './circuit-breaker.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import type { TokenBucket } from './token-bucket.ts';
import { parseGoDuration } from '../providers/parse-go-duration.ts';
import { createTokenBucket } from './token-bucket.ts';

export interface ProviderSchedulerOptions {
  providerId: string;
  maxConcurrency: number;
  /** Calls allowed to wait for a slot; past it callers get 429 at once instead of a backlog. */
  maxQueue: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  failureThreshold?: number;
  openMs?: number;
  /** Caps every wait the provider imposes (a pause, a rate-limit window reset); default `defaultMaxRetryAfterMs`. */
  maxRetryAfterMs?: number;
  /**
   * How long a call may wait for a provider-imposed pause or window; past it the call fails at once
   * with 429 rate_limited and Retry-After (the fallback then takes over). Default: no limit.
   */
  maxWaitMs?: number;
  now: () => number;
  setTimer: (callback: () => void, ms: number) => void;
}

export interface CallReport {
  ok: boolean;
  /** Whether the failure says the provider is unwell (5xx, timeouts), as opposed to a bad request. */
  providerFault?: boolean;
  headers?: Record<string, string>;
  /** The provider asked every caller to wait this long (429 retry-after, Gemini RetryInfo). */
  retryAfterMs?: number;
}

export interface RunOptions {
  estimatedTokens: number;
  signal?: AbortSignal;
  /**
   * A later attempt of a call that already had its turn. Calls start oldest first, so it goes ahead
   * of every fresh call still waiting (they all asked after its first attempt started).
   */
  retry?: boolean;
}

export interface SchedulerStats {
  queued: number;
  inFlight: number;
  circuit: CircuitState;
}

export interface ProviderScheduler {
  /** Runs the call when a slot, the rate limits and the circuit allow it, oldest first. */
  run<T>(task: () => Promise<T>, options: RunOptions): Promise<T>;
  /** What the call's answer says about the provider: its rate-limit headers, a wait, a failure. */
  report(report: CallReport): void;
  stats(): SchedulerStats;
}

interface Waiting {
  retry: boolean;
  /** Past this (monotonic ms) the call would rather fail than keep waiting for the provider. */
  deadline: number;
  start: () => void;
  fail: (error: Error) => void;
  estimatedTokens: number;
  signal?: AbortSignal;
}

/**
 * Paces one provider: at most `maxConcurrency` calls in flight, requests- and tokens-per-minute
 * buckets corrected by the provider's own headers, a pause when it asks callers to back off,
 * and a circuit breaker that fails fast while the provider is down.
 */
export function createProviderScheduler(options: ProviderSchedulerOptions): ProviderScheduler {
  const queue: Waiting[] = [];
  let inFlight = 0;
  let pausedUntil = 0;
  let timerAt: number | undefined;
  const requestBucket: TokenBucket | undefined = options.requestsPerMinute
    ? createTokenBucket({ perMinute: options.requestsPerMinute, now: options.now })
    : undefined;
  const tokenBucket: TokenBucket | undefined = options.tokensPerMinute
    ? createTokenBucket({ perMinute: options.tokensPerMinute, now: options.now })
    : undefined;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? defaultMaxRetryAfterMs;
  const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  const breaker: CircuitBreaker = createCircuitBreaker({
    failureThreshold: options.failureThreshold ?? 5,
    openMs: options.openMs ?? 30_000,
    now: options.now,
  });

  function wakeIn(ms: number) {
    const at = options.now() + ms;
    if (timerAt !== undefined && timerAt <= at) return;
    timerAt = at;
    options.setTimer(() => {
      timerAt = undefined;
      pump();
    }, ms);
  }

  function pump() {
    while (queue.length > 0 && inFlight < options.maxConcurrency) {
      const head = queue[0] as Waiting;
      const pause = pausedUntil - options.now();
      if (pause > 0) {
        expireBefore(pausedUntil);
        return wakeIn(pause);
      }
      const circuitWait = breaker.check();
      if (circuitWait > 0) {
        // While the circuit is open every waiting call fails fast; the fallback takes over.
        for (const waiting of queue.splice(0)) waiting.fail(circuitOpen(circuitWait));
        return;
      }
      const wait = Math.max(requestBucket?.take(1) ?? 0, 0);
      if (wait > 0) {
        expireBefore(options.now() + wait);
        return wakeIn(wait);
      }
      const tokenWait = tokenBucket?.take(head.estimatedTokens) ?? 0;
      if (tokenWait > 0) {
        expireBefore(options.now() + tokenWait);
        return wakeIn(tokenWait);
      }
      queue.shift();
      inFlight += 1;
      head.start();
    }
  }

  /** Fails at once every waiting call that cannot wait until `until`, rather than at its deadline. */
  function expireBefore(until: number) {
    for (let index = queue.length - 1; index >= 0; index -= 1) {
      const waiting = queue[index] as Waiting;
      if (waiting.deadline >= until) continue;
      queue.splice(index, 1);
      waiting.fail(tooLongAWait(until - options.now()));
    }
  }

  function tooLongAWait(ms: number): GatewayError {
    return new GatewayError(
      'rate_limited',
      `${options.providerId} asked callers to wait ${Math.ceil(ms / 1000)} s, longer than this request may wait`,
      { provider: options.providerId, waitMs: Math.ceil(ms) },
      Math.max(1, Math.ceil(ms / 1000)),
    );
  }

  function circuitOpen(ms: number): GatewayError {
    return new GatewayError(
      'provider_unavailable',
      `${options.providerId} is failing repeatedly; its circuit is open for ${Math.ceil(ms / 1000)} s`,
      { provider: options.providerId, circuit: 'open' },
      Math.max(1, Math.ceil(ms / 1000)),
    );
  }

  function capWait<T extends number | undefined>(ms: T): T {
    return (ms === undefined ? ms : Math.min(ms > 0 ? ms : 0, maxRetryAfterMs)) as T;
  }

  return {
    run(task, runOptions) {
      const circuitWait = breaker.state() === 'open' ? breaker.check() : 0;
      if (circuitWait > 0) return Promise.reject(circuitOpen(circuitWait));
      if (queue.length >= options.maxQueue) {
        return Promise.reject(
          new GatewayError(
            'rate_limited',
            `${options.providerId} has ${queue.length} calls waiting (batching.maxQueue); retry later`,
            { provider: options.providerId, queued: queue.length },
            1,
          ),
        );
      }
      return new Promise((resolve, reject) => {
        const waiting: Waiting = {
          retry: runOptions.retry ?? false,
          deadline: options.now() + maxWaitMs,
          estimatedTokens: runOptions.estimatedTokens,
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
          fail: reject,
          start: () => {
            runOptions.signal?.removeEventListener('abort', onAbort);
            task()
              .then(resolve, reject)
              .finally(() => {
                inFlight -= 1;
                pump();
              });
          },
        };
        const onAbort = () => {
          const index = queue.indexOf(waiting);
          if (index >= 0) queue.splice(index, 1);
          reject(runOptions.signal?.reason as Error);
        };
        runOptions.signal?.addEventListener('abort', onAbort, { once: true });
        let at = queue.length;
        if (waiting.retry) while (at > 0 && !(queue[at - 1] as Waiting).retry) at -= 1;
        queue.splice(at, 0, waiting);
        pump();
      });
    },
    report(report) {
      if (report.ok) breaker.success();
      else if (report.providerFault) breaker.failure();
      if (report.retryAfterMs !== undefined) {
        pausedUntil = Math.max(pausedUntil, options.now() + capWait(report.retryAfterMs));
      }
      const headers = report.headers ?? {};
      const remainingRequests = Number(headers['x-ratelimit-remaining-requests']);
      if (requestBucket && Number.isFinite(remainingRequests) && headers['x-ratelimit-remaining-requests'] !== undefined) {
        requestBucket.observe(remainingRequests, capWait(parseGoDuration(headers['x-ratelimit-reset-requests'] ?? '')));
      }
      const remainingTokens = Number(headers['x-ratelimit-remaining-tokens']);
      if (tokenBucket && Number.isFinite(remainingTokens) && headers['x-ratelimit-remaining-tokens'] !== undefined) {
        tokenBucket.observe(remainingTokens, capWait(parseGoDuration(headers['x-ratelimit-reset-tokens'] ?? '')));
      }
    },
    stats: () => ({ queued: queue.length, inFlight, circuit: breaker.state() }),
  };
}
