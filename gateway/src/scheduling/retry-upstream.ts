/**
 * @module
 * The one retry policy for upstream calls, shared by suggestions (a provider adapter's
 * `doGenerate`) and the drop-in endpoints (a raw pass-through): each attempt through the
 * provider's scheduler (pacing, breaker), its own timeout counted from when it leaves the queue,
 * exponential backoff with full jitter never shorter than the wait the provider asked for, and
 * every attempt recorded for the audit log.
 */
import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderErrorKind } from '../providers/provider.ts';
import { ProviderCallError } from '../providers/provider.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import type { ProviderScheduler } from './provider-scheduler.ts';

export interface RetryUpstreamOptions<T> {
  /** One attempt; `signal` aborts at the timeout or when the caller gives up. */
  attempt: (signal: AbortSignal) => Promise<T>;
  scheduler: ProviderScheduler;
  /** For the tokens-per-minute bucket: prompt plus the most the answer may take. */
  estimatedTokens: number;
  maxRetries: number;
  timeoutMs: number;
  /** The caller's signal: stops waiting, retrying and the attempt in flight. */
  signal?: AbortSignal | undefined;
  /** The headers of a successful answer, for the scheduler's rate-limit signals. */
  headersOf: (value: T) => Record<string, string> | undefined;
  /** The audit row of one attempt. */
  record: (attempt: {
    attempt: number;
    startedAt: number;
    durationMs: number;
    outcome: { ok: true; value: T } | { ok: false; error: ProviderCallError };
  }) => UpstreamCallRecord;
  /** Waits, once dispatched, for room to send the attempt (the image table's bound); resolves with its release. */
  sending?: (signal: AbortSignal | undefined) => Promise<() => void>;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number;
}

export type RetryOutcome<T> =
  | { ok: true; value: T; calls: UpstreamCallRecord[] }
  | { ok: false; error: ProviderCallError; calls: UpstreamCallRecord[] }
  /** The scheduler refused the call (queue full, circuit open): nothing went upstream. */
  | { ok: false; error: GatewayError; calls: UpstreamCallRecord[] };

/** Failures that say the provider is unwell, as opposed to a throttle or a bad request. */
const faultKinds = new Set<ProviderErrorKind>(['overloaded', 'timeout', 'network', 'other']);

const baseDelayMs = 500;
const maxDelayMs = 8_000;

/**
 * @example
 * const outcome = await retryUpstream({ attempt: (signal) => model.doGenerate({ ...options, signal }), scheduler, … })
 */
export async function retryUpstream<T>(call: RetryUpstreamOptions<T>): Promise<RetryOutcome<T>> {
  const calls: UpstreamCallRecord[] = [];
  for (let attempt = 1; ; attempt += 1) {
    let startedAt = call.now();
    let timedOut = false;
    let outcome: { ok: true; value: T } | { ok: false; error: ProviderCallError };
    const send = () => {
      // The timeout counts from when the call leaves the queue, not from when it joined it.
      startedAt = call.now();
      // A plain controller and a cleared timer rather than AbortSignal.timeout: that one costs
      // ~50 µs to create (a transferable signal) and lives for the whole timeout after the answer.
      const timeout = new AbortController();
      const timer = setTimeout(() => {
        timedOut = true;
        timeout.abort(new DOMException(`no answer within ${call.timeoutMs} ms`, 'TimeoutError'));
      }, call.timeoutMs);
      // The caller's signal is linked by hand: AbortSignal.any leaks ~2 KB per call on Node 20
      // even after both sources are gone (bench/soak.ts showed the heap growing with misses).
      const caller = call.signal;
      const forward = () => timeout.abort(caller?.reason);
      if (caller?.aborted) forward();
      else caller?.addEventListener('abort', forward, { once: true });
      return call.attempt(timeout.signal).finally(() => {
        clearTimeout(timer);
        caller?.removeEventListener('abort', forward);
      });
    };
    try {
      const value = await call.scheduler.run(
        () => (call.sending ? call.sending(call.signal).then((sent) => send().finally(sent)) : send()),
        {
          estimatedTokens: call.estimatedTokens,
          ...(attempt > 1 ? { retry: true } : {}),
          ...(call.signal ? { signal: call.signal } : {}),
        },
      );
      outcome = { ok: true, value };
      const headers = call.headersOf(value);
      call.scheduler.report({ ok: true, ...(headers ? { headers } : {}) });
    } catch (error) {
      if (error instanceof GatewayError) return { ok: false, error, calls };
      const providerError = toProviderCallError(error, timedOut, call.timeoutMs);
      outcome = { ok: false, error: providerError };
      call.scheduler.report({
        ok: false,
        providerFault: faultKinds.has(providerError.kind),
        ...(providerError.raw?.headers ? { headers: providerError.raw.headers } : {}),
        ...(providerError.kind === 'rate-limited' && providerError.retryAfterMs !== undefined
          ? { retryAfterMs: providerError.retryAfterMs }
          : {}),
      });
    }
    calls.push(call.record({ attempt, startedAt, durationMs: call.now() - startedAt, outcome }));
    if (outcome.ok) return { ok: true, value: outcome.value, calls };
    const error = outcome.error;
    if (!error.retryable || attempt > call.maxRetries || call.signal?.aborted) {
      return { ok: false, error, calls };
    }
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * call.random();
    await call.sleep(Math.max(backoff, error.retryAfterMs ?? 0), call.signal);
  }
}

function toProviderCallError(error: unknown, timedOut: boolean, timeoutMs: number): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (timedOut) {
    return new ProviderCallError({ kind: 'timeout', message: `no answer within ${timeoutMs} ms`, retryable: true });
  }
  return new ProviderCallError({
    kind: 'other',
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
  });
}
