import { GatewayError } from '../../errors/gateway-error.ts';
import { untranslatable } from './untranslatable.ts';

type Json = Record<string, unknown>;

const handledConfig = new Set(['temperature', 'topP', 'maxOutputTokens', 'candidateCount', 'stopSequences', 'seed', 'responseLogprobs', 'logprobs', 'presencePenalty', 'frequencyPenalty', 'responseMimeType']);

/**
 * A Gemini generateContent body as a chat-completions body for `model`, for the common subset (see
 * openAIRequestToGemini). `safetySettings` have no OpenAI counterpart and are dropped; everything
 * else without one (tools, topK, a response schema, files) is refused naming the field.
 *
 * @example
 * geminiRequestToOpenAI({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, 'gpt-4o-mini', 'max_completion_tokens')
 */
export function geminiRequestToOpenAI(body: Json, model: string, maxTokensField: 'max_tokens' | 'max_completion_tokens'): Json {
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (!['contents', 'systemInstruction', 'system_instruction', 'generationConfig', 'generation_config', 'safetySettings', 'safety_settings', 'model'].includes(field)) {
      throw untranslatable(field, 'Gemini', 'OpenAI');
    }
  }
  const messages: Json[] = [];
  const system = (body.systemInstruction ?? body.system_instruction) as Json | string | undefined;
  if (system !== undefined) {
    const parts = typeof system === 'string' ? [{ text: system }] : toParts(system.parts, 'systemInstruction', false);
    messages.push({ role: 'system', content: parts.map((part) => part.text).join('') });
  }
  const contents = Array.isArray(body.contents) ? body.contents : [];
  contents.forEach((content: unknown, index) => {
    const { role, parts } = content as Json;
    const path = `contents[${index}]`;
    if (role === 'model') {
      const text = toParts(parts, path, false).map((part) => part.text).join('');
      messages.push({ role: 'assistant', content: text });
    } else if (role === 'user' || role === undefined) {
      messages.push({ role: 'user', content: toParts(parts, path, true) });
    } else {
      throw untranslatable(`${path}.role "${String(role)}"`, 'Gemini', 'OpenAI');
    }
  });
  const config = (body.generationConfig ?? body.generation_config ?? {}) as Json;
  for (const [field, value] of Object.entries(config)) {
    if (value !== undefined && value !== null && !handledConfig.has(field)) throw untranslatable(`generationConfig.${field}`, 'Gemini', 'OpenAI');
  }
  const out: Json = { model, messages };
  const copy = (from: string, to: string) => {
    if (config[from] !== undefined && config[from] !== null) out[to] = config[from];
  };
  copy('temperature', 'temperature');
  copy('topP', 'top_p');
  copy('maxOutputTokens', maxTokensField);
  copy('candidateCount', 'n');
  copy('stopSequences', 'stop');
  copy('seed', 'seed');
  copy('presencePenalty', 'presence_penalty');
  copy('frequencyPenalty', 'frequency_penalty');
  if (config.responseLogprobs === true) {
    out.logprobs = true;
    copy('logprobs', 'top_logprobs');
  }
  if (config.responseMimeType === 'application/json') out.response_format = { type: 'json_object' };
  else if (config.responseMimeType !== undefined && config.responseMimeType !== 'text/plain') {
    throw untranslatable(`generationConfig.responseMimeType "${String(config.responseMimeType)}"`, 'Gemini', 'OpenAI');
  }
  return out;
}

function toParts(parts: unknown, path: string, images: boolean): Json[] {
  if (!Array.isArray(parts)) throw new GatewayError('invalid_request', `${path}.parts must be an array`);
  return parts.map((part: unknown, index) => {
    const record = part as Json;
    if (typeof record.text === 'string') return { type: 'text', text: record.text };
    const inline = (record.inlineData ?? record.inline_data) as Json | undefined;
    if (inline && images) {
      return { type: 'image_url', image_url: { url: `data:${String(inline.mimeType ?? inline.mime_type)};base64,${String(inline.data)}` } };
    }
    const field = Object.keys(record)[0] ?? 'part';
    throw untranslatable(`${path}.parts[${index}].${field}`, 'Gemini', 'OpenAI');
  });
}
