import type { TokenLogprob } from '../providers/provider.ts';
import { readPosition } from './parse-choice-logprobs.ts';
import type { ParsedDistribution, ParseResult } from './parse-result.ts';
import { readChoiceLetter } from './read-choice-letter.ts';

/**
 * Reads one distribution per answer line of a packed prompt ("one letter per observation, one
 * per line"): the k-th generated token that reads as a letter is observation k's answer, and its
 * alternatives give the distribution. Missing positions are failures for those items only.
 */
export function parsePackedLogprobs(
  tokens: TokenLogprob[] | undefined,
  letters: readonly string[],
  count: number,
): ParseResult<ParsedDistribution & { position: number }>[] {
  const positions: number[] = [];
  (tokens ?? []).forEach((token, index) => {
    if (readChoiceLetter(token.token, letters) >= 0) positions.push(index);
  });
  return Array.from({ length: count }, (_, item) => {
    const position = positions[item];
    const token = position === undefined ? undefined : tokens?.[position];
    if (position === undefined || !token) {
      return { ok: false as const, reason: `the packed answer has no line ${item + 1}` };
    }
    return readPosition(token, letters, position);
  });
}
