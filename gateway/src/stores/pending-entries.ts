import type { CacheEntry } from './cache-store.ts';

export interface PendingWrite {
  entry: CacheEntry;
  replace: boolean;
}

/**
 * Answers queued for a commit but not yet committed, by key and sample slot, so a durable store can
 * answer with them at once. Same slot rules as the tables: the first answer stays unless replaced.
 */
export interface PendingEntries {
  add(write: PendingWrite): void;
  /** Forgets the write once its commit settled (unless a later write took its slot). */
  settle(write: PendingWrite): void;
  /** The stored answers of `key` overlaid with its pending ones, in slot order. */
  overlay(key: string, stored: CacheEntry[]): CacheEntry[];
}

export function createPendingEntries(): PendingEntries {
  const pending = new Map<string, Map<number, PendingWrite>>();
  return {
    add(write) {
      let slots = pending.get(write.entry.key);
      if (!slots) pending.set(write.entry.key, (slots = new Map()));
      // A second write to a waiting slot keeps the first answer, as the insert will.
      if (write.replace || !slots.has(write.entry.sample)) slots.set(write.entry.sample, write);
    },
    settle(write) {
      const slots = pending.get(write.entry.key);
      if (slots?.get(write.entry.sample) !== write) return;
      slots.delete(write.entry.sample);
      if (slots.size === 0) pending.delete(write.entry.key);
    },
    overlay(key, stored) {
      const slots = pending.get(key);
      if (!slots) return stored;
      for (const { entry, replace } of slots.values()) {
        const index = stored.findIndex((existing) => existing.sample === entry.sample);
        if (index === -1) stored.push(entry);
        else if (replace) stored[index] = entry;
      }
      return stored.sort((a, b) => a.sample - b.sample);
    },
  };
}
