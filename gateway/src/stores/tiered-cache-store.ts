import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheStore } from './cache-store.ts';

export interface TieredCacheStoreOptions {
  durable: CacheStore;
  maxEntries: number;
  maxBytes: number;
}

/**
 * An in-memory LRU in front of the durable store. Writes go through to the durable tier first, so
 * memory never holds an answer the file does not.
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
  return {
    get(key) {
      const remembered = memory?.get(key);
      if (remembered) return remembered;
      const stored = durable.get(key);
      if (stored.length > 0) memory?.set(key, stored);
      return stored;
    },
    put(entry, options) {
      durable.put(entry, options);
      memory?.delete(entry.key);
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
      total + 512 + 16 * ((entry.answer.probs?.length ?? 0) + (entry.answer.vector?.length ?? 0)),
    0,
  );
}
