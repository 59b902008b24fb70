import { GatewayError } from '../errors/gateway-error.ts';
import type { GenerateOptions, GenerateResult, ProviderErrorKind, VisionLanguageModel } from '../providers/provider.ts';
import { ProviderCallError } from '../providers/provider.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import { toCallRecord } from './to-call-record.ts';

export interface CallUpstreamOptions {
  model: VisionLanguageModel;
  scheduler: ProviderScheduler;
  /** For the tokens-per-minute bucket: prompt plus the most the answer may take. */
  estimatedTokens: number;
  options: GenerateOptions;
  requestId: string;
  maxRetries: number;
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number;
  /** Waits, once dispatched, for room to send the call's images (the image table's bound); resolves with its release. */
  sending?: (signal: AbortSignal | undefined) => Promise<() => void>;
}

export type UpstreamOutcome =
  | { ok: true; result: GenerateResult; calls: UpstreamCallRecord[] }
  | { ok: false; error: ProviderCallError; calls: UpstreamCallRecord[] }
  /** The scheduler refused the call (queue full, circuit open): nothing went upstream. */
  | { ok: false; error: GatewayError; calls: UpstreamCallRecord[] };

/** Failures that say the provider is unwell, as opposed to a throttle or a bad request. */
const faultKinds = new Set<ProviderErrorKind>(['overloaded', 'timeout', 'network', 'other']);

const baseDelayMs = 500;
const maxDelayMs = 8_000;

/**
 * One logical upstream call: attempts with exponential backoff and full jitter, waiting at least as
 * long as the provider asked (retry-after, RetryInfo). Non-retryable errors return at once.
 * Every attempt is recorded for the audit log.
 */
export async function callUpstream(call: CallUpstreamOptions): Promise<UpstreamOutcome> {
  const calls: UpstreamCallRecord[] = [];
  for (let attempt = 1; ; attempt += 1) {
    let startedAt = call.now();
    let timedOut = false;
    let outcome: { ok: true; result: GenerateResult } | { ok: false; error: ProviderCallError };
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
      const caller = call.options.signal;
      const forward = () => timeout.abort(caller?.reason);
      if (caller?.aborted) forward();
      else caller?.addEventListener('abort', forward, { once: true });
      return call.model.doGenerate({ ...call.options, signal: timeout.signal }).finally(() => {
        clearTimeout(timer);
        caller?.removeEventListener('abort', forward);
      });
    };
    try {
      const result = await call.scheduler.run(
        () => (call.sending ? call.sending(call.options.signal).then((sent) => send().finally(sent)) : send()),
        {
          estimatedTokens: call.estimatedTokens,
          ...(attempt > 1 ? { retry: true } : {}),
          ...(call.options.signal ? { signal: call.options.signal } : {}),
        },
      );
      outcome = { ok: true, result };
      call.scheduler.report({ ok: true, headers: result.raw.headers });
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
    calls.push(
      toCallRecord({
        requestId: call.requestId,
        attempt,
        model: call.model,
        startedAt,
        durationMs: call.now() - startedAt,
        raw: outcome.ok ? outcome.result.raw : (outcome.error.raw ?? {}),
        ...(outcome.ok ? {} : { error: outcome.error }),
      }),
    );
    if (outcome.ok) return { ok: true, result: outcome.result, calls };
    const error = outcome.error;
    if (!error.retryable || attempt > call.maxRetries || call.options.signal?.aborted) {
      return { ok: false, error, calls };
    }
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)) * call.random();
    await call.sleep(Math.max(backoff, error.retryAfterMs ?? 0), call.options.signal);
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
