import { GatewayError } from '../errors/gateway-error.ts';
import type { ProviderPool } from '../providers/provider-pool.ts';
import { ProviderCallError } from '../providers/provider.ts';
import type { ProviderScheduler } from '../scheduling/provider-scheduler.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import type { CacheEntry } from '../stores/cache-store.ts';
import { retryUpstream } from '../scheduling/retry-upstream.ts';
import type { PassThroughCaller } from './create-pass-through-caller.ts';
import type { UpstreamFailure } from './drop-in-error.ts';
import { toPassThroughAnswer } from './pass-through-answer.ts';
import type { DropInPlan } from './plan-drop-in-request.ts';
import { toUpstreamFailure } from './to-upstream-failure.ts';

export interface FetchDependencies {
  providers: ProviderPool;
  passThrough: PassThroughCaller;
  schedulerFor: (providerId: string) => ProviderScheduler;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export type Fetched =
  | { ok: true; entry: CacheEntry; cacheable: boolean; headers: Record<string, string>; calls: UpstreamCallRecord[] }
  | { ok: false; error: GatewayError | UpstreamFailure; calls: UpstreamCallRecord[] };

/**
 * One pass-through call for a planned request's slot, through the provider's scheduler with the
 * gateway's retries; every attempt comes back in `calls` for the audit log, whatever the outcome.
 */
export async function fetchPassThrough(
  plan: DropInPlan,
  slot: number,
  request: { requestId: string; run: string | undefined; signal: AbortSignal | undefined },
  dependencies: FetchDependencies,
): Promise<Fetched> {
  const { provider, model } = plan.target;
  const id = provider.config.id;
  if (!provider.model) {
    const error = new GatewayError('provider_unavailable', `${id} is unavailable: ${provider.reason}`, { provider: id, reason: provider.reason });
    return { ok: false, error, calls: [] };
  }
  const outcome = await retryUpstream({
    attempt: (signal) => dependencies.passThrough({ provider: provider.config, model, body: plan.upstreamBody, signal }),
    scheduler: dependencies.schedulerFor(id),
    // Only a tokens-per-minute budget needs the estimate; it costs a pass over the body.
    estimatedTokens: provider.config.tokensPerMinute ? estimateTokens(plan.upstreamBody) : 0,
    maxRetries: provider.config.maxRetries,
    timeoutMs: provider.config.timeoutMs,
    signal: request.signal,
    headersOf: (exchange) => exchange.headers,
    record: ({ attempt, startedAt, durationMs, outcome: attempted }) => {
      const raw = attempted.ok
        ? { ...attempted.value, responseBody: attempted.value.body }
        : (attempted.error.raw ?? {});
      return {
        requestId: request.requestId,
        provider: id,
        model,
        requestBody: plan.loggedBody,
        attempt,
        startedAt,
        durationMs,
        ...(raw.url !== undefined ? { url: raw.url } : {}),
        ...(raw.status !== undefined ? { status: raw.status } : {}),
        ...(raw.headers !== undefined ? { headers: raw.headers } : {}),
        ...(raw.responseBody !== undefined ? { responseBody: raw.responseBody } : {}),
        ...(attempted.ok ? {} : { errorKind: attempted.error.kind, errorMessage: attempted.error.message }),
      };
    },
    now: dependencies.now,
    sleep: dependencies.sleep,
    random: dependencies.random,
  });
  if (!outcome.ok) {
    const { error } = outcome;
    if (error instanceof ProviderCallError && (error.kind === 'quota-exhausted' || error.kind === 'unauthorized')) {
      dependencies.providers.disable(id, error.message);
    }
    return { ok: false, error: toUpstreamFailure(error, plan.providerWire, id), calls: outcome.calls };
  }
  const { answer, cacheable } = toPassThroughAnswer(plan.providerWire, outcome.value.body as Record<string, unknown>, outcome.value.bytes);
  const entry: CacheEntry = {
    key: plan.key,
    sample: slot,
    answer,
    provider: id,
    model,
    template: { id: `drop-in/${plan.endpoint}`, version: 1, sha256: plan.components.endpoint as string },
    components: plan.components,
    requestId: request.requestId,
    ...(request.run !== undefined ? { run: request.run } : {}),
    createdAt: dependencies.now(),
  };
  return { ok: true, entry, cacheable, headers: outcome.value.headers, calls: outcome.calls };
}

/** A rough token count for rate pacing: about 4 characters a token plus the answer's allowance. */
function estimateTokens(body: Record<string, unknown>): number {
  const config = (body.generationConfig ?? {}) as Record<string, unknown>;
  const answer = Number(body.max_completion_tokens ?? body.max_tokens ?? config.maxOutputTokens ?? 256);
  const samples = Number(body.n ?? config.candidateCount ?? 1);
  const messages = body.messages ?? body.contents;
  return Math.ceil(JSON.stringify(messages ?? '').length / 16) + answer * samples;
}
