import type { ProviderCallError, RawExchange, VisionLanguageModel } from '../providers/provider.ts';
import type { UpstreamCallRecord } from '../stores/audit-log.ts';
import { replaceInlineImages } from './replace-inline-images.ts';

/** One upstream attempt as the audit log keeps it: the exchange as sent and received, images by hash. */
export function toCallRecord(attempt: {
  requestId: string;
  attempt: number;
  model: VisionLanguageModel;
  startedAt: number;
  durationMs: number;
  raw: Partial<RawExchange>;
  error?: ProviderCallError;
}): UpstreamCallRecord {
  const { raw, error } = attempt;
  return {
    requestId: attempt.requestId,
    attempt: attempt.attempt,
    provider: attempt.model.id,
    model: attempt.model.model,
    startedAt: attempt.startedAt,
    durationMs: attempt.durationMs,
    ...(raw.url !== undefined ? { url: raw.url } : {}),
    ...(raw.requestBody !== undefined ? { requestBody: replaceInlineImages(raw.requestBody) } : {}),
    ...(raw.status !== undefined ? { status: raw.status } : {}),
    ...(raw.headers !== undefined ? { headers: raw.headers } : {}),
    ...(raw.responseBody !== undefined ? { responseBody: raw.responseBody } : {}),
    ...(error ? { errorKind: error.kind, errorMessage: error.message } : {}),
  };
}
