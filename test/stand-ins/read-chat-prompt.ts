/** What a chat-completions request asked, as far as a stand-in needs to know. */
export interface ChatPrompt {
  text: string;
  /** `image_url.url` of every image part, in order. */
  imageUrls: string[];
}

/** Collects the prompt text and image URLs of a chat-completions body; tolerant of odd shapes. */
export function readChatPrompt(body: unknown): ChatPrompt {
  const texts: string[] = [];
  const imageUrls: string[] = [];
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (Array.isArray(messages)) {
    for (const message of messages as Array<{ content?: unknown }>) {
      const content = message?.content;
      if (typeof content === 'string') texts.push(content);
      else if (Array.isArray(content)) {
        for (const part of content as Array<Record<string, unknown>>) {
          if (part?.type === 'text' && typeof part.text === 'string') texts.push(part.text);
          const image = part?.image_url;
          if (part?.type === 'image_url') {
            const url =
              typeof image === 'string' ? image : (image as { url?: unknown } | undefined)?.url;
            imageUrls.push(typeof url === 'string' ? url : '');
          }
        }
      }
    }
  }
  return { text: texts.join('\n'), imageUrls };
}
