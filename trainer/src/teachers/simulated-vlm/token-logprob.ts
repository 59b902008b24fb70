import type { CompletionToken } from './build-chat-completion.ts';

/** A generated token with its top alternatives, as `buildChatCompletion` renders it. */
export type TokenLogprob = CompletionToken & { top: { token: string; logprob: number }[] };

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
    .map((alt) => ({ token: alt.token, logprob: alt.logprob }));
  return { token, logprob, top };
}
