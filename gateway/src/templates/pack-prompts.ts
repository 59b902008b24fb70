import type { Message, MessagePart } from '../providers/provider.ts';
import type { RenderedPrompt } from './render-template.ts';

/**
 * Joins several rendered observations into one upstream prompt that asks for one answer letter
 * per observation, one per line. The system message is shared; each observation keeps its image.
 */
export function packPrompts(prompts: RenderedPrompt[]): { messages: Message[]; text: string } {
  const first = prompts[0];
  const system = first?.messages.find((message) => message.role === 'system');
  const letters = first?.letters.join(', ') ?? '';
  const parts: MessagePart[] = [
    { type: 'text', text: `There are ${prompts.length} separate observations below. Answer each one on its own.` },
  ];
  prompts.forEach((prompt, index) => {
    parts.push({ type: 'text', text: `Observation ${index + 1}:` });
    for (const message of prompt.messages) {
      if (message.role === 'user') parts.push(...message.parts);
    }
  });
  parts.push({
    type: 'text',
    text: `Reply with exactly ${prompts.length} lines: line k holds the single letter (${letters}) for observation k, and nothing else.`,
  });
  const messages: Message[] = [...(system ? [system] : []), { role: 'user', parts }];
  const text = prompts.map((prompt, index) => `[observation ${index + 1}]\n${prompt.text}`).join('\n');
  return { messages, text };
}
