type Json = Record<string, unknown>;

/**
 * A whole chat completion as the server-sent events `stream: true` answers with: per choice a role
 * chunk, a content chunk (with its logprobs, tool calls or refusal) and a finish chunk; a usage
 * chunk when `stream_options.include_usage` asked for one; then `[DONE]`. Cached and fresh
 * answers stream alike.
 *
 * @example
 * renderOpenAIStream(completion, { includeUsage: true }) // 'data: {...}\n\n...data: [DONE]\n\n'
 */
export function renderOpenAIStream(completion: Json, options: { includeUsage: boolean }): string {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
    ...(completion.service_tier !== undefined ? { service_tier: completion.service_tier } : {}),
    ...(completion.system_fingerprint !== undefined ? { system_fingerprint: completion.system_fingerprint } : {}),
  };
  const events: string[] = [];
  const send = (choices: Json[], extra: Json = {}) => events.push(`data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`);
  const choices = Array.isArray(completion.choices) ? (completion.choices as Json[]) : [];
  for (const choice of choices) {
    const index = choice.index ?? 0;
    const message = (choice.message ?? {}) as Json;
    const logprobs = choice.logprobs as Json | null | undefined;
    send([{ index, delta: { role: 'assistant', content: '' }, logprobs: logprobs ? { content: [], refusal: null } : null, finish_reason: null }]);
    const delta: Json = {};
    if (typeof message.content === 'string' && message.content !== '') delta.content = message.content;
    if (typeof message.refusal === 'string') delta.refusal = message.refusal;
    if (Array.isArray(message.tool_calls)) delta.tool_calls = (message.tool_calls as Json[]).map((call, position) => ({ index: position, ...call }));
    if (message.function_call !== undefined && message.function_call !== null) delta.function_call = message.function_call;
    if (Object.keys(delta).length > 0 || logprobs) send([{ index, delta, logprobs: logprobs ?? null, finish_reason: null }]);
    send([{ index, delta: {}, logprobs: null, finish_reason: choice.finish_reason ?? 'stop' }]);
  }
  if (options.includeUsage) send([], { usage: completion.usage ?? null });
  events.push('data: [DONE]\n\n');
  return events.join('');
}
