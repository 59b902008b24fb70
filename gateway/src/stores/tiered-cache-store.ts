import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheStore } from './cache-store.ts';

export interface TieredCacheStoreOptions {
  durable: CacheStore;
  maxEntries: number;
  maxBytes: number;
}

/**
 * An in-memory LRU in front of the durable store. Memory only ever holds what the durable tier
 * has committed: a key with a write in flight is read through to the durable tier (which sees
 * its own pending writes) and kept in memory only once the write has settled.
 */
export interface TieredCacheStore extends CacheStore {
  /** What the memory tier holds now: keys and their estimated bytes (for bounds checks and stats). */
  memory(): { keys: number; bytes: number };
}

export function createTieredCacheStore(options: TieredCacheStoreOptions): TieredCacheStore {
  const { durable } = options;
  const memory =
    options.maxEntries > 0
      ? new LRUCache<string, CacheEntry[]>({
          max: options.maxEntries,
          maxSize: options.maxBytes,
          sizeCalculation: estimateBytes,
        })
      : undefined;
  // Keys with writes not yet settled, and how many.
  const writing = new Map<string, number>();
  return {
    async get(key) {
      const remembered = memory?.get(key);
      if (remembered) return remembered;
      const stored = await durable.get(key);
      if (stored.length > 0 && !writing.has(key)) memory?.set(key, stored);
      return stored;
    },
    put(entry, putOptions) {
      memory?.delete(entry.key);
      writing.set(entry.key, (writing.get(entry.key) ?? 0) + 1);
      const settled = () => {
        const left = (writing.get(entry.key) ?? 1) - 1;
        if (left > 0) writing.set(entry.key, left);
        else writing.delete(entry.key);
      };
      const written = durable.put(entry, putOptions);
      written.then(settled, settled);
      return written;
    },
    stats: () => durable.stats(),
    recent: (templateId, limit) => durable.recent(templateId, limit),
    memory: () => ({ keys: memory?.size ?? 0, bytes: memory?.calculatedSize ?? 0 }),
  };
}

function estimateBytes(entries: CacheEntry[]): number {
  // A rough size is enough to bound memory; exact accounting would cost a stringify per write.
  return entries.reduce(
    (total, entry) =>
      total +
      512 +
      16 * ((entry.answer.probs?.length ?? 0) + (entry.answer.vector?.length ?? 0)) +
      // Drop-in answers keep the provider's whole response (gateway/src/drop-in).
      2 * ((entry.answer as { bytes?: number }).bytes ?? 0),
    0,
  );
}
