import type { ScriptedToken } from './start-stand-in-server.ts';

export interface RenderOpenAILogprobsOptions {
  topLogprobs: number;
  /** OpenAI pads positions whose alternatives ran out with -9999 entries; vLLM does not. */
  sentinelPadding: boolean;
  /** OpenAI and vLLM send UTF-8 `bytes`; llama.cpp and Ollama do not. */
  bytes: boolean;
}

/** Renders scripted tokens as `choices[i].logprobs` of chat completions. */
export function renderOpenAILogprobs(
  tokens: ScriptedToken[],
  options: RenderOpenAILogprobsOptions,
): unknown {
  const withBytes = (token: string, logprob: number) =>
    options.bytes ? { token, logprob, bytes: [...Buffer.from(token, 'utf8')] } : { token, logprob };
  return {
    content: tokens.map((token) => {
      const top = (token.top ?? [])
        .slice(0, options.topLogprobs)
        .map((entry) => withBytes(entry.token, entry.logprob));
      // A position with fewer alternatives than asked ends in one "unknown" entry, the way the
      // real API reports a token it has no probability for; the rest are simply missing.
      const variant = token.token.startsWith(' ') ? token.token.trimStart() : ` ${token.token}`;
      if (
        options.sentinelPadding &&
        top.length > 0 &&
        top.length < options.topLogprobs &&
        !top.some((entry) => entry.token === variant)
      ) {
        top.push(withBytes(variant, -9999));
      }
      return { ...withBytes(token.token, token.logprob), top_logprobs: top };
    }),
    refusal: null,
  };
}
