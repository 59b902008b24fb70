import type { PoolEntry } from './provider-pool.ts';

/**
 * The URL a reachability probe checks for a provider: a self-hosted (keyless, OpenAI-compatible)
 * upstream that could otherwise be called. Hosted APIs are assumed up until a call fails.
 */
export function probedURL(entry: Pick<PoolEntry, 'config' | 'model'>): string | undefined {
  return entry.model && entry.config.kind === 'openai-compatible' ? entry.config.baseURL : undefined;
}
