import { GatewayError } from '../../errors/gateway-error.ts';
import { untranslatable } from './untranslatable.ts';

type Json = Record<string, unknown>;

/** Fields that cannot change the answer; they stay behind (the audit log keeps the original body). */
const ignored = new Set(['model', 'user', 'metadata', 'store', 'service_tier', 'stream', 'stream_options', 'safety_identifier', 'prompt_cache_key', 'prompt_cache_retention']);
const handled = new Set(['messages', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'n', 'stop', 'seed', 'logprobs', 'top_logprobs', 'presence_penalty', 'frequency_penalty', 'response_format']);

/**
 * A chat-completions body as a Gemini generateContent body, for the common subset: text and image
 * messages, the system prompt, sampling settings, stop sequences and logprobs. Anything else is
 * refused naming the field. Images must already be data URLs.
 *
 * @example
 * openAIRequestToGemini({ model: 'm', messages: [{ role: 'user', content: 'hi' }], n: 2 })
 * // { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { candidateCount: 2 } }
 */
export function openAIRequestToGemini(body: Json): Json {
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || value === null || ignored.has(field) || handled.has(field)) continue;
    throw untranslatable(field, 'OpenAI', 'Gemini');
  }
  const system: Json[] = [];
  const contents: Json[] = [];
  (body.messages as unknown[]).forEach((message, index) => {
    const { role, content } = message as Json;
    const path = `messages[${index}]`;
    for (const field of ['tool_calls', 'function_call', 'audio']) {
      if ((message as Json)[field] != null) throw untranslatable(`${path}.${field}`, 'OpenAI', 'Gemini');
    }
    const parts = toParts(content, path);
    if (role === 'system' || role === 'developer') system.push(...parts);
    else if (role === 'user') contents.push({ role: 'user', parts });
    else if (role === 'assistant') contents.push({ role: 'model', parts });
    else throw untranslatable(`${path}.role "${String(role)}"`, 'OpenAI', 'Gemini');
  });
  if (system.some((part) => part.text === undefined)) throw untranslatable('an image in a system message', 'OpenAI', 'Gemini');
  const generationConfig: Json = {};
  const copy = (from: string, to: string) => {
    if (body[from] !== undefined && body[from] !== null) generationConfig[to] = body[from];
  };
  copy('temperature', 'temperature');
  copy('top_p', 'topP');
  copy('max_tokens', 'maxOutputTokens');
  copy('max_completion_tokens', 'maxOutputTokens');
  copy('n', 'candidateCount');
  copy('seed', 'seed');
  copy('presence_penalty', 'presencePenalty');
  copy('frequency_penalty', 'frequencyPenalty');
  if (body.stop !== undefined && body.stop !== null) generationConfig.stopSequences = Array.isArray(body.stop) ? body.stop : [body.stop];
  if (body.logprobs === true) {
    generationConfig.responseLogprobs = true;
    copy('top_logprobs', 'logprobs');
  }
  const format = body.response_format as Json | undefined;
  if (format && format.type === 'json_object') generationConfig.responseMimeType = 'application/json';
  else if (format && format.type !== 'text') throw untranslatable(`response_format.type "${String(format.type)}"`, 'OpenAI', 'Gemini', 'only json_object and text are');
  return {
    contents,
    ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}),
    ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
  };
}

function toParts(content: unknown, path: string): Json[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw new GatewayError('invalid_request', `${path}.content must be a string or an array of parts`);
  return content.map((part: unknown, index) => {
    const { type } = part as Json;
    if (type === 'text') return { text: (part as Json).text };
    if (type === 'image_url') {
      const url = String(((part as Json).image_url as Json | undefined)?.url ?? '');
      const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
      if (!match) throw untranslatable(`${path}.content[${index}].image_url`, 'OpenAI', 'Gemini', 'only data URLs are');
      return { inlineData: { mimeType: match[1], data: match[2] } };
    }
    throw untranslatable(`${path}.content[${index}].type "${String(type)}"`, 'OpenAI', 'Gemini');
  });
}
