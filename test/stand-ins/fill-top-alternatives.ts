/**
 * Tokens a vision-language model ranks far below a one-letter answer: what fills a top-k list
 * once the scripted alternatives run out. None is an answer label the tests use.
 */
const FILLER_TOKENS = [
  '\n',
  '**',
  'The',
  'Answer',
  'Option',
  'Based',
  'Looking',
  'Sure',
  'Action',
  'Given',
  'Here',
  'From',
  'After',
  'Since',
  'This',
  'My',
  'We',
  'Step',
  'Final',
  'So',
];

/**
 * Exactly `k` alternatives, most likely first, as a real model's top-k over its whole vocabulary
 * always has: the scripted ones (without -9999 sentinels, which are OpenAI's alone), then filler
 * tokens, each less likely than the last, where the script gave fewer than `k`.
 */
export function fillTopAlternatives(
  scripted: readonly { token: string; logprob: number }[],
  k: number,
): { token: string; logprob: number }[] {
  const top = scripted
    .filter((entry) => entry.logprob > -9999)
    .sort((a, b) => b.logprob - a.logprob)
    .slice(0, k);
  const taken = new Set(top.map((entry) => entry.token));
  let logprob = Math.min(top.at(-1)?.logprob ?? 0, -10);
  for (const token of FILLER_TOKENS) {
    if (top.length >= k) break;
    if (taken.has(token)) continue;
    logprob -= 0.5;
    top.push({ token, logprob });
  }
  return top;
}
