import type { ParsedDistribution, ParseResult } from './parse-result.ts';
import { readChoiceLetter } from './read-choice-letter.ts';

/**
 * Counts sampled answers per letter. Answers that name no letter are reported, not counted.
 * Smoothing (the floor) is the caller's, so votes stay raw counts here.
 *
 * @example
 * parseChoiceVotes(['C', 'C', 'b'], ['A', 'B', 'C']) // probs [0, 1, 2]
 */
export function parseChoiceVotes(
  texts: string[],
  letters: readonly string[],
): ParseResult<ParsedDistribution> {
  const votes = letters.map(() => 0);
  let unparsed = 0;
  for (const text of texts) {
    const index = readChoiceLetter(text, letters);
    if (index >= 0) votes[index] = (votes[index] ?? 0) + 1;
    else unparsed += 1;
  }
  if (unparsed === texts.length) {
    return { ok: false, reason: `none of the ${texts.length} sampled answers named an action letter` };
  }
  return { ok: true, value: { probs: votes, unparsedSamples: unparsed } };
}
