import type { TokenCandidate, TokenLogprob } from '../provider.ts';

/**
 * Reads a candidate's `logprobsResult` into TokenLogprob[], pairing `chosenCandidates[i]` with
 * `topCandidates[i]` by position. The two lists are documented to align but are not trusted to:
 * a missing top entry gives `top: []`, a missing chosen entry falls back to the best top candidate,
 * and proto3 JSON omits zero values, so an absent `logProbability` means 0.
 */
export function normalizeGeminiLogprobs(logprobsResult: unknown): TokenLogprob[] | undefined {
  if (!isRecord(logprobsResult)) return undefined;
  const chosen = Array.isArray(logprobsResult.chosenCandidates)
    ? logprobsResult.chosenCandidates
    : [];
  const topSteps = Array.isArray(logprobsResult.topCandidates) ? logprobsResult.topCandidates : [];
  if (chosen.length === 0 && topSteps.length === 0) return undefined;
  const tokens: TokenLogprob[] = [];
  const steps = Math.max(chosen.length, topSteps.length);
  for (let index = 0; index < steps; index += 1) {
    const step: unknown = topSteps[index];
    const top =
      isRecord(step) && Array.isArray(step.candidates) ? readCandidates(step.candidates) : [];
    const picked = readCandidate(chosen[index]) ?? top[0];
    if (!picked) continue;
    tokens.push({ token: picked.token, logprob: picked.logprob, top });
  }
  return tokens;
}

function readCandidates(values: unknown[]): TokenCandidate[] {
  const out: TokenCandidate[] = [];
  for (const value of values) {
    const candidate = readCandidate(value);
    if (candidate) out.push(candidate);
  }
  return out;
}

function readCandidate(value: unknown): TokenCandidate | undefined {
  if (!isRecord(value)) return undefined;
  const token = typeof value.token === 'string' ? value.token : '';
  const logprob = typeof value.logProbability === 'number' ? value.logProbability : 0;
  if (token === '' && value.logProbability === undefined) return undefined;
  return { token, logprob };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
