import type { ScriptedToken } from './start-stand-in-server.ts';

export interface RenderOpenAILogprobsOptions {
  topLogprobs: number;
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
    // A scripted position with fewer alternatives than asked comes back with fewer, as the API
    // may answer; -9999 appears only where a script gives it (a logprob the API cannot represent).
    content: tokens.map((token) => ({
      ...withBytes(token.token, token.logprob),
      top_logprobs: (token.top ?? [])
        .slice(0, options.topLogprobs)
        .map((entry) => withBytes(entry.token, entry.logprob)),
    })),
    refusal: null,
  };
}
