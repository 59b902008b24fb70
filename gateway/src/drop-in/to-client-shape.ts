import type { PassThroughAnswer } from './pass-through-answer.ts';
import { geminiResponseToOpenAI } from './translate/gemini-response-to-openai.ts';
import { openAIResponseToGemini } from './translate/openai-response-to-gemini.ts';
import type { Wire } from './wire.ts';

/** The stored provider response in the client's API shape: as it came, or translated. */
export function toClientShape(clientWire: Wire, stored: PassThroughAnswer, model: string, created: number): Record<string, unknown> {
  if (stored.wire === clientWire) return stored.response;
  return clientWire === 'openai' ? geminiResponseToOpenAI(stored.response, model, created) : openAIResponseToGemini(stored.response);
}
