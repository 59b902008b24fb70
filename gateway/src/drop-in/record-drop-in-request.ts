import type { AuditLog, UpstreamCallRecord } from '../stores/audit-log.ts';
import { describePrompt } from './describe-prompt.ts';
import type { DropInPlan } from './plan-drop-in-request.ts';
import type { ResolvedImages } from './resolve-images.ts';
import type { Wire } from './wire.ts';

export type DropInCacheOutcome = 'hit' | 'miss' | 'coalesced' | 'replayed';

/** One finished drop-in request, answered or not, as the audit log and the counters see it. */
export interface FinishedDropIn {
  requestId: string;
  time: number;
  latencyMs: number;
  wire: Wire;
  tags: Record<string, string | number> | undefined;
  tokenName: string | undefined;
  calls: UpstreamCallRecord[];
  plan: DropInPlan | undefined;
  resolved: ResolvedImages | undefined;
  status: number;
  result: unknown;
  outcome?: DropInCacheOutcome;
  usage?: { inputTokens: number; outputTokens: number };
  errorCode?: string;
  errorMessage?: string;
  fallbackFrom?: string | undefined;
}

export interface RecordDependencies {
  auditLog: AuditLog;
  /** Counts every finished request for `GET /v1/cache/stats`, as suggestions are counted. */
  count?: (request: { provider: string | undefined; cache: DropInCacheOutcome | undefined; upstreamCalls: number; inputTokens: number; outputTokens: number }) => void;
  /** Told of every finished request, for metrics (the same observation suggestions make). */
  observe?: (observation: { provider: string | undefined; outcome: string; calls: UpstreamCallRecord[] }) => void;
}

/**
 * Step 5, record: counters, metrics and one audit row with every upstream attempt. Resolves once
 * the row is committed; the response waits for it, as a suggestion's does.
 */
export async function recordDropInRequest(finished: FinishedDropIn, dependencies: RecordDependencies): Promise<void> {
  const { plan, resolved } = finished;
  const provider = plan?.target.provider.config.id;
  const hit = finished.outcome !== undefined && finished.outcome !== 'miss';
  const usage = { inputTokens: hit ? 0 : (finished.usage?.inputTokens ?? 0), outputTokens: hit ? 0 : (finished.usage?.outputTokens ?? 0) };
  const lastImage = resolved?.images.at(-1);
  const tags = finished.fallbackFrom ? { ...finished.tags, fallbackFrom: finished.fallbackFrom } : finished.tags;
  dependencies.observe?.({ provider, outcome: finished.outcome ?? 'error', calls: finished.calls });
  dependencies.count?.({ provider, cache: finished.outcome, upstreamCalls: finished.calls.length, ...usage });
  await dependencies.auditLog.record(
    {
      id: finished.requestId,
      time: finished.time,
      ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
      template: finished.wire === 'openai' ? 'openai/chat.completions' : 'gemini/generateContent',
      ...(plan
        ? {
            provider: plan.target.provider.config.id,
            model: plan.target.model,
            cacheKey: plan.key,
            method: plan.providerWire === finished.wire ? 'pass-through' : 'translated',
          }
        : {}),
      ...(finished.outcome ? { cache: finished.outcome } : {}),
      // A hit's prompt is its key's first miss's prompt; the log fills it in on read.
      ...(resolved && !hit ? { prompt: describePrompt(finished.wire, resolved.body, resolved.hashes) } : {}),
      ...(lastImage ? { imageSha256: lastImage.sha256 } : {}),
      latencyMs: finished.latencyMs,
      usage: { ...usage, upstreamCalls: finished.calls.length },
      status: finished.status,
      ...(finished.errorCode ? { errorCode: finished.errorCode } : {}),
      ...(finished.errorMessage ? { errorMessage: finished.errorMessage } : {}),
      ...(finished.tokenName ? { tokenName: finished.tokenName } : {}),
      ...(finished.result !== undefined ? { result: finished.result } : {}),
    },
    finished.calls,
  );
}
