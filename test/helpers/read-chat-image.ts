/** Finds the first image data URL in a recorded chat-completions body (the OpenAI wire form). */
export function readChatImage(body: unknown): { mediaType: string; base64: string } | undefined {
  const messages = (body as { messages?: Array<{ content: unknown }> } | undefined)?.messages ?? [];
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Array<{ image_url?: { url?: string } }>) {
      const match = /^data:([^;]+);base64,(.*)$/.exec(part.image_url?.url ?? '');
      if (match?.[1] && match[2] !== undefined) return { mediaType: match[1], base64: match[2] };
    }
  }
  return undefined;
}
