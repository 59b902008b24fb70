import { ProviderCallError } from './provider.ts';
import type { GenerateOptions, GenerateResult, VisionLanguageModel } from './provider.ts';

export interface ProviderWaitBounds {
  /** The longest wait a provider may impose (`providers[].maxRetryAfterMs`). */
  maxRetryAfterMs: number;
  /** How long one request may wait for this provider (its `timeoutMs`): a longer ask is not waited out. */
  deadlineMs: number;
}

/**
 * Bounds the delays a provider asks for at its border. One `Retry-After: 86400` must not pause the
 * gateway for a day: the delay is capped at `maxRetryAfterMs`, and a call asked to wait longer than
 * its request could (the cap or its deadline) is not retried here, so the request fails at once with
 * `429 rate_limited` and `Retry-After`, or goes to its fallback. The asked delay stays in the message
 * and in the raw headers.
 */
export function boundProviderWaits(model: VisionLanguageModel, bounds: ProviderWaitBounds): VisionLanguageModel {
  const { maxRetryAfterMs, deadlineMs } = bounds;
  // Inherits from the adapter, so everything but doGenerate (capabilities, batch, a test's
  // recorded calls) stays the adapter's own, live.
  const bounded = Object.create(model) as VisionLanguageModel;
  Object.defineProperty(bounded, 'doGenerate', {
    value: async (options: GenerateOptions): Promise<GenerateResult> => {
      try {
        return await model.doGenerate(options);
      } catch (error) {
        if (!(error instanceof ProviderCallError) || error.retryAfterMs === undefined) throw error;
        const asked = error.retryAfterMs;
        const longest = Math.min(maxRetryAfterMs, deadlineMs);
        if (asked <= longest) throw error;
        throw new ProviderCallError({
          kind: error.kind,
          message: `${error.message} (asked to wait ${formatSeconds(asked)}; waits over ${formatSeconds(longest)} are not waited out: providers[].maxRetryAfterMs, timeoutMs)`,
          ...(error.status !== undefined ? { status: error.status } : {}),
          retryable: false,
          retryAfterMs: Math.min(asked, maxRetryAfterMs),
          ...(error.raw ? { raw: error.raw } : {}),
        });
      }
    },
  });
  return bounded;
}

function formatSeconds(ms: number): string {
  return Number.isFinite(ms) ? `${Math.ceil(ms / 1000)} s` : 'forever';
}
