import { createHash } from 'node:crypto';
import type { CacheEntry } from '@teacher-gateway/gateway/internal/stores/cache-store';

/** A cache entry for store tests; `name` becomes its key (hashed, as real keys are). */
export function makeCacheEntry(name: string, overrides: Partial<CacheEntry> & { probCount?: number } = {}): CacheEntry {
  const { probCount = 7, ...rest } = overrides;
  const probs = Array.from({ length: probCount }, (_, index) => (index === 0 ? 1 - (probCount - 1) * 0.001 : 0.001));
  return {
    key: createHash('sha256').update(name).digest('hex'),
    sample: 0,
    answer: { method: 'logprobs', probs, usage: { inputTokens: 100, outputTokens: 1 } },
    provider: 'fake',
    model: 'fake-model',
    template: { id: 'minigrid-lvlm2p', version: 1, sha256: 'a'.repeat(64) },
    components: { provider: 'p'.repeat(64), template: 't'.repeat(64), variables: createHash('sha256').update(name).digest('hex') },
    requestId: `sug_${name}`,
    createdAt: 1_700_000_000_000,
    ...rest,
  };
}
