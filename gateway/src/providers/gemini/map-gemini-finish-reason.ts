import type { FinishReason } from '../provider.ts';

const filtered = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

/** Gemini's finishReason enum (plus a prompt-level blockReason) in the gateway's vocabulary. */
export function mapGeminiFinishReason(raw: string | undefined): FinishReason {
  if (raw === 'STOP') return { unified: 'stop', raw };
  if (raw === 'MAX_TOKENS') return { unified: 'length', raw };
  if (raw !== undefined && (filtered.has(raw) || raw.startsWith('blockReason:'))) {
    return { unified: 'content-filter', raw };
  }
  return { unified: 'other', raw };
}
