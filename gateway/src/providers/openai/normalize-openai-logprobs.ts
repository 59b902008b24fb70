import type { TokenCandidate, TokenLogprob } from '../provider.ts';

/**
 * Reads `choices[i].logprobs.content` into TokenLogprob[]. Tolerant by design: a malformed entry is
 * skipped, a missing `top_logprobs` becomes `[]`, and -9999 sentinels pass through untouched (the
 * parser knows they mean "outside the reported top-k"). Returns undefined when there is nothing.
 */
export function normalizeOpenAILogprobs(logprobs: unknown): TokenLogprob[] | undefined {
  if (!isRecord(logprobs) || !Array.isArray(logprobs.content)) return undefined;
  const tokens: TokenLogprob[] = [];
  for (const entry of logprobs.content) {
    const chosen = readCandidate(entry);
    if (!chosen) continue;
    const top: TokenCandidate[] = [];
    const rawTop = isRecord(entry) ? entry.top_logprobs : undefined;
    if (Array.isArray(rawTop)) {
      for (const candidate of rawTop) {
        const read = readCandidate(candidate);
        if (read) top.push(read);
      }
    }
    tokens.push({ ...chosen, top });
  }
  return tokens;
}

function readCandidate(value: unknown): TokenCandidate | undefined {
  if (!isRecord(value)) return undefined;
  const { token, logprob } = value;
  if (typeof token !== 'string') return undefined;
  // Some llama.cpp builds send null for -inf; keep the position with the most negative number.
  const number = typeof logprob === 'number' ? logprob : Number.NEGATIVE_INFINITY;
  return { token, logprob: number };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
