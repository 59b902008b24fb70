type Json = Record<string, unknown>;

const finishReasons: Record<string, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  content_filter: 'SAFETY',
  tool_calls: 'STOP',
  function_call: 'STOP',
};

/**
 * A chat completion as a Gemini GenerateContentResponse: choices become candidates (a refusal
 * becomes its text), `logprobs.content` becomes logprobsResult and avgLogprobs, usage becomes
 * usageMetadata.
 *
 * @example
 * openAIResponseToGemini(completion).candidates[0].content.parts[0].text
 */
export function openAIResponseToGemini(completion: Json): Json {
  const choices = Array.isArray(completion.choices) ? (completion.choices as Json[]) : [];
  const candidates = choices.map((choice, position) => {
    const message = (choice.message ?? {}) as Json;
    const text = typeof message.content === 'string' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
    const tokens = ((choice.logprobs as Json | null | undefined)?.content ?? undefined) as Json[] | undefined;
    const logprobs = Array.isArray(tokens) ? toLogprobsResult(tokens) : undefined;
    return {
      content: { role: 'model', parts: [{ text }] },
      finishReason: finishReasons[String(choice.finish_reason)] ?? 'OTHER',
      index: typeof choice.index === 'number' ? choice.index : position,
      ...(logprobs ?? {}),
    };
  });
  const usage = (completion.usage ?? {}) as Json;
  const prompt = Number(usage.prompt_tokens ?? 0);
  const output = Number(usage.completion_tokens ?? 0);
  return {
    candidates,
    // Only fields every generativelanguage proto version knows: Python's REST stream parser
    // refuses unknown ones (so no responseId, modelVersion or logProbabilitySum).
    usageMetadata: { promptTokenCount: prompt, candidatesTokenCount: output, totalTokenCount: prompt + output },
  };
}

function toLogprobsResult(tokens: Json[]): Json {
  const entry = (token: Json) => ({ token: String(token.token ?? ''), logProbability: Number(token.logprob ?? 0) });
  const sum = tokens.reduce((total, token) => total + Number(token.logprob ?? 0), 0);
  return {
    ...(tokens.length > 0 ? { avgLogprobs: sum / tokens.length } : {}),
    logprobsResult: {
      topCandidates: tokens.map((token) => ({
        candidates: (Array.isArray(token.top_logprobs) ? (token.top_logprobs as Json[]) : []).map(entry),
      })),
      chosenCandidates: tokens.map(entry),
    },
  };
}
