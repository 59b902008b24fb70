/**
 * @module
 * Step 6, record: every finished request, answered or refused, is counted, observed for metrics
 * and written to the audit log with every upstream attempt it made.
 */
import type { Suggestion, SuggestionRequest } from '@teacher-gateway/client';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { AuditLog, UpstreamCallRecord } from '../stores/audit-log.ts';
import type { Prepared } from './prepare-request.ts';
import type { UsageCounters } from './usage-counters.ts';

export interface FinishedRequest {
  requestId: string;
  time: number;
  /** The request as prepared for the provider that answered or failed last; none if it never got that far. */
  prepared: Prepared | undefined;
  /** Validated tags only: refused requests pass the subset that passed validation. */
  tags: SuggestionRequest['tags'];
  tokenName: string | undefined;
  /** Every upstream attempt this request made (none for hits and coalesced followers). */
  calls: UpstreamCallRecord[];
  latencyMs: number;
  outcome: { ok: true; suggestion: Suggestion } | { ok: false; error: GatewayError };
}

export interface RecordDependencies {
  auditLog: AuditLog;
  counters: UsageCounters;
  observe?:
    | ((observation: {
        provider: string | undefined;
        outcome: string;
        calls: UpstreamCallRecord[];
      }) => void)
    | undefined;
}

/** Resolves once the audit rows are committed. */
export function recordRequest(
  finished: FinishedRequest,
  { auditLog, counters, observe }: RecordDependencies,
): Promise<void> {
  const { requestId, prepared, tags, calls, outcome } = finished;
  const suggestion = outcome.ok ? outcome.suggestion : undefined;
  const error = outcome.ok ? undefined : outcome.error;
  const provider = suggestion?.provider ?? prepared?.provider.config.id;
  const spent = suggestion?.cache === 'miss';
  observe?.({ provider, outcome: suggestion?.cache ?? 'error', calls });
  counters.count({
    provider,
    cache: suggestion?.cache,
    upstreamCalls: calls.length,
    inputTokens: spent ? suggestion.usage.inputTokens : 0,
    outputTokens: spent ? suggestion.usage.outputTokens : 0,
  });
  const hit = suggestion !== undefined && suggestion.cache !== 'miss';
  return auditLog.record(
    {
      id: requestId,
      time: finished.time,
      ...(tags ? { tags } : {}),
      ...(prepared
        ? {
            template: `${prepared.template.id}@${prepared.template.version}`,
            templateSha256: prepared.template.sha256,
            provider: prepared.provider.config.id,
            model: prepared.provider.config.model,
            cacheKey: prepared.cacheKey.key,
            // A row that served a stored entry references it instead of copying the answer. A
            // coalesced answer may never be stored (refresh/bypass twins of one batch): it is copied.
            ...(suggestion?.cache === 'hit' || suggestion?.cache === 'replayed'
              ? { sample: prepared.sample }
              : {}),
            method: prepared.plan.name,
            // A hit's prompt is its cache key's first miss's prompt; the log fills it in on read.
            ...(hit ? {} : { prompt: prepared.prompt.text }),
            ...(prepared.image ? { imageSha256: prepared.image.sha256 } : {}),
          }
        : {}),
      ...(suggestion
        ? { cache: suggestion.cache, method: suggestion.method, provider: suggestion.provider }
        : {}),
      latencyMs: finished.latencyMs,
      usage: {
        inputTokens: suggestion?.usage.inputTokens ?? 0,
        outputTokens: suggestion?.usage.outputTokens ?? 0,
        upstreamCalls: calls.length,
      },
      status: suggestion ? 200 : (error?.status ?? 500),
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
      ...(finished.tokenName ? { tokenName: finished.tokenName } : {}),
      result: suggestion ?? error?.toBody(),
    },
    calls,
  );
}
