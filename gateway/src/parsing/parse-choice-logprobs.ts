import type { TokenLogprob } from '../providers/provider.ts';
import type { ParsedDistribution, ParseResult } from './parse-result.ts';
import { readChoiceLetter } from './read-choice-letter.ts';

/** OpenAI reports tokens outside its top-k with this value: it means "unknown", not a probability. */
const sentinelLogprob = -9999;

/**
 * Reads a distribution over answer letters from the log-probabilities of the answer token.
 * The answer position is the first generated token that reads as a letter (a model may emit a
 * space or quote first). Spellings of one letter (" C", "c", "C.") are summed. Letters the provider
 * did not list get no weight here; the floor is applied by the caller. Mass on non-letter tokens is
 * reported as `massOutside`.
 *
 * @example
 * parseChoiceLogprobs(choice.logprobs, ['A', 'B', 'C'])
 */
export function parseChoiceLogprobs(
  tokens: TokenLogprob[] | undefined,
  letters: readonly string[],
): ParseResult<ParsedDistribution & { position: number }> {
  if (!tokens || tokens.length === 0) {
    return { ok: false, reason: 'the answer carried no token log-probabilities' };
  }
  const position = tokens.findIndex(
    (token) =>
      readChoiceLetter(token.token, letters) >= 0 ||
      token.top.some((candidate) => readChoiceLetter(candidate.token, letters) >= 0),
  );
  const answer = tokens[position];
  if (!answer) return { ok: false, reason: 'no answer token names an action letter' };
  return readPosition(answer, letters, position);
}

/** Reads the distribution at one known answer position (packed prompts read several). */
export function readPosition(
  answer: TokenLogprob,
  letters: readonly string[],
  position: number,
): ParseResult<ParsedDistribution & { position: number }> {
  const candidates = new Map<string, number>();
  for (const candidate of [answer, ...answer.top]) {
    if (!Number.isFinite(candidate.logprob) || candidate.logprob <= sentinelLogprob) continue;
    // The chosen token usually appears in top too: count each spelling once.
    if (!candidates.has(candidate.token)) candidates.set(candidate.token, candidate.logprob);
  }
  const weights = letters.map(() => 0);
  let total = 0;
  for (const [token, logprob] of candidates) {
    const probability = Math.exp(Math.min(0, logprob));
    total += probability;
    const index = readChoiceLetter(token, letters);
    if (index >= 0) weights[index] = (weights[index] ?? 0) + probability;
  }
  const inside = weights.reduce((sum, weight) => sum + weight, 0);
  if (!(inside > 0)) {
    return { ok: false, reason: `the answer token "${answer.token}" put no mass on any action letter` };
  }
  return {
    ok: true,
    value: { probs: weights, massOutside: Math.max(0, Math.min(1, total) - inside), position },
  };
}
