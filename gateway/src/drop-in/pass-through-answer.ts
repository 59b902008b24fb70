import type { CachedAnswer } from '../stores/cache-store.ts';
import type { Wire } from './wire.ts';

type Json = Record<string, unknown>;

/** What a drop-in answer keeps in the cache: the provider's response body, as it came. */
export interface PassThroughAnswer extends CachedAnswer {
  wire: Wire;
  response: Json;
  /** The response's size as received: the memory tier counts it against cache.memoryBytes. */
  bytes: number;
}

/**
 * The provider's response as a cache answer, with its token usage, and whether it may be cached:
 * a degenerate answer (no choices, a prompt blocked with no candidates) reaches the client but the
 * next request asks again.
 */
export function toPassThroughAnswer(wire: Wire, response: Json, bytes: number): { answer: PassThroughAnswer; cacheable: boolean } {
  const usage = ((wire === 'openai' ? response.usage : response.usageMetadata) ?? {}) as Json;
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const tokens =
    wire === 'openai'
      ? { inputTokens: count(usage.prompt_tokens), outputTokens: count(usage.completion_tokens) }
      : { inputTokens: count(usage.promptTokenCount), outputTokens: count(usage.candidatesTokenCount) + count(usage.thoughtsTokenCount) };
  return { answer: { method: 'pass-through', usage: tokens, wire, response, bytes }, cacheable: isCacheable(wire, response) };
}

function isCacheable(wire: Wire, response: Json): boolean {
  if (wire === 'openai') {
    const choices = response.choices;
    return Array.isArray(choices) && choices.length > 0 && choices.every((choice: unknown) => typeof (choice as Json | null)?.message === 'object');
  }
  const candidates = response.candidates;
  return Array.isArray(candidates) && candidates.length > 0 && candidates.some((candidate: unknown) => Array.isArray(((candidate as Json | null)?.content as Json | undefined)?.parts));
}
