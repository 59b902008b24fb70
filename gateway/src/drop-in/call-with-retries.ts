import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderErrorKind } from '../providers/provider.ts';
import { ProviderCallError } from '../providers/provider.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import type { PassThroughExchange } from './create-pass-through-caller.ts';

export interface CallWithRetriesOptions {
  attempt: (signal: AbortSignal) => Promise<PassThroughExchange>;
  scheduler: ProviderScheduler;
  estimatedTokens: number;
  maxRetries: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** For the audit rows of each attempt. */
  record: { requestId: string; provider: string; model: string; requestBody: unknown };
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export type CallOutcome =
  | { ok: true; exchange: PassThroughExchange; calls: UpstreamCallRecord[] }
  | { ok: false; error: ProviderCallError | GatewayError; calls: UpstreamCallRecord[] };

/** Failures that say the provider is unwell, as opposed to a throttle or a bad request. */
const faultKinds = new Set<ProviderErrorKind>(['overloaded', 'timeout', 'network', 'other']);

/**
 * One logical pass-through call through the provider's scheduler (pacing, breaker): attempts with
 * exponential backoff and full jitter, never shorter than the wait the provider asked for, every
 * attempt recorded for the audit log. The same policy as suggestions' upstream calls.
 */
export async function callWithRetries(options: CallWithRetriesOptions): Promise<CallOutcome> {
  const calls: UpstreamCallRecord[] = [];
  for (let attempt = 1; ; attempt += 1) {
    let startedAt = options.now();
    let result: { ok: true; exchange: PassThroughExchange } | { ok: false; error: ProviderCallError };
    try {
      const exchange = await options.scheduler.run(
        async () => {
          startedAt = options.now();
          const timeout = new AbortController();
          const timer = setTimeout(
            () => timeout.abort(new DOMException(`no answer within ${options.timeoutMs} ms`, 'TimeoutError')),
            options.timeoutMs,
          );
          const caller = options.signal;
          const forward = () => timeout.abort(caller?.reason);
          if (caller?.aborted) forward();
          else caller?.addEventListener('abort', forward, { once: true });
          try {
            return await options.attempt(timeout.signal);
          } finally {
            clearTimeout(timer);
            caller?.removeEventListener('abort', forward);
          }
        },
        { estimatedTokens: options.estimatedTokens, ...(attempt > 1 ? { retry: true } : {}), ...(options.signal ? { signal: options.signal } : {}) },
      );
      result = { ok: true, exchange };
      options.scheduler.report({ ok: true, headers: exchange.headers });
    } catch (error) {
      if (error instanceof GatewayError) return { ok: false, error, calls };
      const providerError =
        error instanceof ProviderCallError
          ? error
          : new ProviderCallError({ kind: 'other', message: error instanceof Error ? error.message : String(error), retryable: false });
      result = { ok: false, error: providerError };
      options.scheduler.report({
        ok: false,
        providerFault: faultKinds.has(providerError.kind),
        ...(providerError.raw?.headers ? { headers: providerError.raw.headers } : {}),
        ...(providerError.kind === 'rate-limited' && providerError.retryAfterMs !== undefined ? { retryAfterMs: providerError.retryAfterMs } : {}),
      });
    }
    const raw = result.ok ? { ...result.exchange, responseBody: result.exchange.body } : (result.error.raw ?? {});
    calls.push({
      ...options.record,
      attempt,
      startedAt,
      durationMs: options.now() - startedAt,
      ...(raw.url !== undefined ? { url: raw.url } : {}),
      ...(raw.status !== undefined ? { status: raw.status } : {}),
      ...(raw.headers !== undefined ? { headers: raw.headers } : {}),
      ...(raw.responseBody !== undefined ? { responseBody: raw.responseBody } : {}),
      ...(result.ok ? {} : { errorKind: result.error.kind, errorMessage: result.error.message }),
    });
    if (result.ok) return { ok: true, exchange: result.exchange, calls };
    const { error } = result;
    if (!error.retryable || attempt > options.maxRetries || options.signal?.aborted) return { ok: false, error, calls };
    const backoff = Math.min(8_000, 500 * 2 ** (attempt - 1)) * options.random();
    await options.sleep(Math.max(backoff, error.retryAfterMs ?? 0), options.signal);
  }
}
