import Mustache from 'mustache';
import type { Actions, Observation } from '@teacher-gateway/client';
import type { Message, MessagePart } from '../providers/provider.ts';
import type { Template } from './template.ts';

export const actionLetters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface RenderInput {
  template: Template;
  observation: Observation;
  actions: Actions;
  /** The decoded image, when the template takes one. */
  image?: { mediaType: string; data: Uint8Array; sha256: string };
  /** Rendering one observation of a packed prompt: templates hide their own answer instruction. */
  packed?: boolean;
}

export interface RenderedPrompt {
  messages: Message[];
  /** The prompt as text, image parts shown by hash, for the audit log and cache explanation. */
  text: string;
  letters: string[];
}

/** Values go in as written: prompts are not HTML. */
const noEscape = { escape: (value: unknown) => String(value) };

/**
 * Renders a template for one observation. Pure: the same input always gives the same messages.
 *
 * @example
 * const prompt = renderTemplate({ template, observation: { text: 'get to the goal' }, actions })
 */
export function renderTemplate(input: RenderInput): RenderedPrompt {
  const { template, observation, actions } = input;
  const letters = actions.labels.map((_, index) => actionLetters[index] ?? `A${index}`);
  const view = {
    text: observation.text ?? '',
    state: observation.state ?? {},
    actions: actions.labels.map((label, index) => ({
      index,
      label,
      letter: letters[index],
      low: actions.kind === 'continuous' ? actions.low[index] : undefined,
      high: actions.kind === 'continuous' ? actions.high[index] : undefined,
    })),
    letters: letters.join(', '),
    packed: input.packed === true,
    example:
      actions.kind === 'continuous'
        ? actions.low.map((low, index) => round((low + (actions.high[index] ?? low)) / 2)).join(', ')
        : '',
  };
  const body = Mustache.render(template.body, view, {}, noEscape).trim();
  const messages: Message[] = [];
  const textParts: string[] = [];
  if (template.system) {
    const system = Mustache.render(template.system, view, {}, noEscape).trim();
    messages.push({ role: 'system', parts: [{ type: 'text', text: system }] });
    textParts.push(`[system]\n${system}`);
  }
  const userParts: MessagePart[] = [];
  if (input.image && template.inputs.includes('image')) {
    userParts.push({ type: 'image', ...input.image });
    textParts.push(`[user]\n[image sha256:${input.image.sha256}]`);
  } else {
    textParts.push('[user]');
  }
  userParts.push({ type: 'text', text: body });
  textParts.push(body);
  messages.push({ role: 'user', parts: userParts });
  return { messages, text: textParts.join('\n'), letters };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
