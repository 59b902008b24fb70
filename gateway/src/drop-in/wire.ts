/** The two request shapes the drop-in endpoints speak; `openai-compatible` providers speak `openai`. */
export type Wire = 'openai' | 'gemini';

export function wireOf(providerKind: string): Wire {
  return providerKind === 'gemini' ? 'gemini' : 'openai';
}
