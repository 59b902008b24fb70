import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { Message } from '../provider.ts';

/**
 * Translates gateway messages into chat-completions messages. Images go as base64 data URLs: the
 * one form every OpenAI-compatible server accepts (Ollama's /v1 rejects http URLs).
 */
export function convertToOpenAIMessages(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    if (message.role === 'system') {
      // System messages take text only; an image here would be a template bug, so it is dropped
      // rather than failing the call.
      const text = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
      return { role: 'system', content: text };
    }
    const content = message.parts.map((part): ChatCompletionContentPart => {
      if (part.type === 'text') return { type: 'text', text: part.text };
      const base64 = Buffer.from(
        part.data.buffer,
        part.data.byteOffset,
        part.data.byteLength,
      ).toString('base64');
      return { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${base64}` } };
    });
    return { role: 'user', content };
  });
}
