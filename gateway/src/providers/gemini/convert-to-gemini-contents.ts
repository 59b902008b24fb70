import type { Content, Part } from '@google/generative-ai';
import type { Message } from '../provider.ts';

export interface GeminiContents {
  contents: Content[];
  systemInstruction?: Content;
}

/**
 * Translates gateway messages into Gemini `contents` plus a `systemInstruction`. Images go inline
 * (base64 `inlineData`), the only form that needs no prior upload.
 */
export function convertToGeminiContents(messages: Message[]): GeminiContents {
  const system: Part[] = [];
  const contents: Content[] = [];
  for (const message of messages) {
    const parts = message.parts.map((part): Part => {
      if (part.type === 'text') return { text: part.text };
      const data = Buffer.from(
        part.data.buffer,
        part.data.byteOffset,
        part.data.byteLength,
      ).toString('base64');
      return { inlineData: { mimeType: part.mediaType, data } };
    });
    if (message.role === 'system') system.push(...parts.filter((part) => 'text' in part));
    else contents.push({ role: 'user', parts });
  }
  return system.length > 0
    ? { contents, systemInstruction: { role: 'system', parts: system } }
    : { contents };
}
