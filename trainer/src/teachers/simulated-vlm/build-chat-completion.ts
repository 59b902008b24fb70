/** A generated token with its alternatives, before it is rendered with UTF-8 `bytes`. */
export interface CompletionToken {
  token: string;
  logprob: number;
  /** The model's top alternatives at this position; the body sorts them and cuts them to `topLogprobs`. */
  top?: readonly { token: string; logprob: number }[];
}

/** One choice of a completion, as every OpenAI-compatible server computes it. */
export interface CompletionChoice {
  /** null when the model refused (the refusal is in `refusal`). */
  content: string | null;
  refusal: string | null;
  /** Generated tokens: the content's, or the refusal's when the model refused. */
  tokens: readonly CompletionToken[];
  finishReason: string;
}

/**
 * Whose `chat.completion` body to write. The completion and logprob shapes are one; the servers
 * differ in the fields around them (OpenAI's refusal and usage details, vLLM's `stop_reason` and
 * `reasoning_content`, Ollama's bare message and usage).
 */
export type ChatCompletionDialect = 'openai' | 'vllm' | 'ollama';

export interface ChatCompletionInput {
  dialect: ChatCompletionDialect;
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
  /** One per sample (`n`); Ollama answers one. */
  choices: readonly CompletionChoice[];
  /** The request asked for logprobs and the server gives them. */
  logprobs: boolean;
  /** `top_logprobs` as asked (0 when absent). */
  topLogprobs: number;
  promptTokens: number;
  completionTokens: number;
  /** OpenAI's and Ollama's `system_fingerprint`. */
  systemFingerprint?: string;
}

const bytesOf = (token: string): number[] => [...Buffer.from(token, 'utf8')];

/**
 * `choices[i].logprobs.content` entries: UTF-8 `bytes` on every token, `top_logprobs` most
 * likely first and cut to `topLogprobs`. A position with fewer alternatives than asked comes back
 * with fewer, as the API may answer.
 */
export function renderTokenLogprobs(tokens: readonly CompletionToken[], topLogprobs: number) {
  return tokens.map((token) => ({
    token: token.token,
    logprob: token.logprob,
    bytes: bytesOf(token.token),
    top_logprobs: [...(token.top ?? [])]
      .sort((a, b) => b.logprob - a.logprob)
      .slice(0, topLogprobs)
      .map((alt) => ({ token: alt.token, logprob: alt.logprob, bytes: bytesOf(alt.token) })),
  }));
}

function renderChoice(choice: CompletionChoice, index: number, input: ChatCompletionInput) {
  const tokens = input.logprobs ? renderTokenLogprobs(choice.tokens, input.topLogprobs) : null;
  switch (input.dialect) {
    case 'openai': {
      const refused = choice.refusal !== null;
      return {
        index,
        message: {
          role: 'assistant',
          content: choice.content,
          refusal: choice.refusal,
          annotations: [],
        },
        // A refusal's tokens are in `logprobs.refusal`, with `content` null.
        logprobs: tokens
          ? refused
            ? { content: null, refusal: tokens }
            : { content: tokens, refusal: null }
          : null,
        finish_reason: choice.finishReason,
      };
    }
    case 'vllm':
      return {
        index,
        message: {
          role: 'assistant',
          reasoning_content: null,
          content: choice.content,
          tool_calls: [],
        },
        logprobs: tokens ? { content: tokens } : null,
        finish_reason: choice.finishReason,
        stop_reason: null,
      };
    case 'ollama':
      return {
        index,
        message: { role: 'assistant', content: choice.content },
        finish_reason: choice.finishReason,
        ...(tokens ? { logprobs: { content: tokens } } : {}),
      };
  }
}

/**
 * The success body of `POST /v1/chat/completions` — ids, `choices[].message`, token logprobs
 * with `top_logprobs` and `bytes`, `finish_reason`, `usage` — written once for the simulated VLM
 * and the test stand-ins, so the two cannot drift.
 */
export function buildChatCompletion(input: ChatCompletionInput): Record<string, unknown> {
  const { promptTokens, completionTokens } = input;
  const choices = input.choices.map((choice, index) => renderChoice(choice, index, input));
  const head = {
    id: input.id,
    object: 'chat.completion',
    created: input.created,
    model: input.model,
  };
  switch (input.dialect) {
    case 'openai':
      return {
        ...head,
        choices,
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
        service_tier: 'default',
        system_fingerprint: input.systemFingerprint ?? null,
      };
    case 'vllm':
      return {
        ...head,
        choices,
        usage: {
          prompt_tokens: promptTokens,
          total_tokens: promptTokens + completionTokens,
          completion_tokens: completionTokens,
          prompt_tokens_details: null,
        },
        prompt_logprobs: null,
        kv_transfer_params: null,
      };
    case 'ollama':
      return {
        ...head,
        ...(input.systemFingerprint !== undefined
          ? { system_fingerprint: input.systemFingerprint }
          : {}),
        choices,
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      };
  }
}
