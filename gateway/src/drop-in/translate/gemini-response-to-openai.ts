type Json = Record<string, unknown>;

const finishReasons: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

/**
 * A Gemini GenerateContentResponse as a chat completion: candidates become choices, chosen and top
 * candidates become `logprobs.content` (with UTF-8 `bytes`), usageMetadata becomes usage. A
 * blocked prompt (no candidates) becomes one empty `content_filter` choice.
 *
 * @example
 * geminiResponseToOpenAI(response, 'gemini-2.0-flash', 1733550000).choices[0].message.content
 */
export function geminiResponseToOpenAI(response: Json, model: string, created: number): Json {
  const candidates = Array.isArray(response.candidates) ? (response.candidates as Json[]) : [];
  const choices = candidates.map((candidate, position) => {
    const content = (candidate.content ?? {}) as Json;
    const parts = Array.isArray(content.parts) ? (content.parts as Json[]) : [];
    const text = parts.filter((part) => part.thought !== true && typeof part.text === 'string').map((part) => part.text as string).join('');
    const finish = typeof candidate.finishReason === 'string' ? candidate.finishReason : 'STOP';
    return {
      index: typeof candidate.index === 'number' ? candidate.index : position,
      message: { role: 'assistant', content: text, refusal: null },
      logprobs: toLogprobs(candidate.logprobsResult),
      finish_reason: finishReasons[finish] ?? 'stop',
    };
  });
  if (choices.length === 0) {
    choices.push({ index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' });
  }
  const usage = (response.usageMetadata ?? {}) as Json;
  const prompt = Number(usage.promptTokenCount ?? 0);
  const completion = Number(usage.candidatesTokenCount ?? 0) + Number(usage.thoughtsTokenCount ?? 0);
  return {
    id: `chatcmpl-${typeof response.responseId === 'string' ? response.responseId : 'gemini'}`,
    object: 'chat.completion',
    created,
    model: typeof response.modelVersion === 'string' ? response.modelVersion : model,
    choices,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

function toLogprobs(result: unknown): Json | null {
  if (typeof result !== 'object' || result === null) return null;
  const { chosenCandidates, topCandidates } = result as Json;
  if (!Array.isArray(chosenCandidates)) return null;
  const tops = Array.isArray(topCandidates) ? (topCandidates as Json[]) : [];
  const entry = (candidate: Json) => {
    const token = String(candidate.token ?? '');
    return { token, logprob: Number(candidate.logProbability ?? 0), bytes: [...Buffer.from(token, 'utf8')] };
  };
  return {
    content: (chosenCandidates as Json[]).map((chosen, index) => {
      const alternatives = tops[index]?.candidates;
      return { ...entry(chosen), top_logprobs: Array.isArray(alternatives) ? (alternatives as Json[]).map(entry) : [] };
    }),
    refusal: null,
  };
}
