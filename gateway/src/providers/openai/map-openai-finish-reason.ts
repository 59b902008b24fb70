import type { FinishReason } from '../provider.ts';

/** A separate `refusal` on the message wins over the finish reason, which then usually says `stop`. */
export function mapOpenAIFinishReason(
  raw: string | null | undefined,
  refusal?: string | null,
): FinishReason {
  const rawValue = raw ?? undefined;
  if (refusal) return { unified: 'refusal', raw: rawValue };
  switch (raw) {
    case 'stop':
    case 'eos':
      return { unified: 'stop', raw: rawValue };
    case 'length':
      return { unified: 'length', raw: rawValue };
    case 'content_filter':
      return { unified: 'content-filter', raw: rawValue };
    case 'error':
      return { unified: 'error', raw: rawValue };
    default:
      return { unified: 'other', raw: rawValue };
  }
}
