import type { Wire } from './wire.ts';

type Json = Record<string, unknown>;

/** The conversation as text for the audit log, one turn per paragraph, images by their hash. */
export function describePrompt(wire: Wire, body: Json, hashes: Map<string, string>): string {
  const image = (text: string) => `[image sha256:${hashes.get(text) ?? 'unknown'}]`;
  const turns: string[] = [];
  if (wire === 'openai') {
    for (const message of (body.messages as Json[] | undefined) ?? []) {
      const { content } = message;
      const text = Array.isArray(content)
        ? (content as Json[])
            .map((part) => {
              if (part.type === 'text') return String(part.text ?? '');
              if (part.type === 'image_url') {
                const url = part.image_url as Json | string | undefined;
                return image(typeof url === 'string' ? url : String(url?.url ?? ''));
              }
              return `[${String(part.type)}]`;
            })
            .join('\n')
        : typeof content === 'string'
          ? content
          : JSON.stringify(message.tool_calls ?? content ?? null);
      turns.push(`${String(message.role)}: ${text}`);
    }
    return turns.join('\n\n');
  }
  const partsText = (parts: unknown) =>
    (Array.isArray(parts) ? (parts as Json[]) : [])
      .map((part) => {
        if (typeof part.text === 'string') return part.text;
        const inline = (part.inlineData ?? part.inline_data) as Json | undefined;
        if (inline) return image(String(inline.data ?? ''));
        return `[${Object.keys(part)[0] ?? 'part'}]`;
      })
      .join('\n');
  const system = (body.systemInstruction ?? body.system_instruction) as Json | string | undefined;
  if (system !== undefined) turns.push(`system: ${typeof system === 'string' ? system : partsText(system.parts)}`);
  for (const content of (body.contents as Json[] | undefined) ?? []) turns.push(`${String(content.role ?? 'user')}: ${partsText(content.parts)}`);
  return turns.join('\n\n');
}
