import type { GenerateOptions, GenerateResult, VisionLanguageModel } from '../providers/provider.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { RetryOutcome } from '../scheduling/retry-upstream.ts';
import { retryUpstream } from '../scheduling/retry-upstream.ts';
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
  | Extract<RetryOutcome<GenerateResult>, { ok: false }>;

/**
 * One logical call to a provider adapter under the gateway's retry policy (retryUpstream): every
 * attempt is recorded for the audit log, images by hash.
 */
export async function callUpstream(call: CallUpstreamOptions): Promise<UpstreamOutcome> {
  const outcome = await retryUpstream({
    attempt: (signal) => call.model.doGenerate({ ...call.options, signal }),
    scheduler: call.scheduler,
    estimatedTokens: call.estimatedTokens,
    maxRetries: call.maxRetries,
    timeoutMs: call.timeoutMs,
    signal: call.options.signal,
    headersOf: (result) => result.raw.headers,
    record: ({ attempt, startedAt, durationMs, outcome: attempted }) =>
      toCallRecord({
        requestId: call.requestId,
        attempt,
        model: call.model,
        startedAt,
        durationMs,
        raw: attempted.ok ? attempted.value.raw : (attempted.error.raw ?? {}),
        ...(attempted.ok ? {} : { error: attempted.error }),
      }),
    ...(call.sending ? { sending: call.sending } : {}),
    now: call.now,
    sleep: call.sleep,
    random: call.random,
  });
  return outcome.ok ? { ok: true, result: outcome.value, calls: outcome.calls } : outcome;
}
