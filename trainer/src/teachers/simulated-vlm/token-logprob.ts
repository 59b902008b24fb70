/** One entry of `choices[i].logprobs.content` (OpenAI's `ChatCompletionTokenLogprob`). */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

const bytesOf = (token: string): number[] => [...Buffer.from(token, 'utf8')];

/**
 * A generated token with its top alternatives, most likely first, cut to `topK` (0..20) as
 * OpenAI does; the chosen token appears among them only if it ranks within `topK`.
 */
export function tokenLogprob(
  token: string,
  logprob: number,
  alternatives: readonly { token: string; logprob: number }[],
  topK: number,
): TokenLogprob {
  const top = [...alternatives]
    .sort((a, b) => b.logprob - a.logprob)
    .slice(0, topK)
    .map((alt) => ({ token: alt.token, logprob: alt.logprob, bytes: bytesOf(alt.token) }));
  return { token, logprob, bytes: bytesOf(token), top_logprobs: top };
}
