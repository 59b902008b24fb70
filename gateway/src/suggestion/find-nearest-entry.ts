import type { CacheEntry } from '../stores/cache-store.ts';

export interface NearestEntry {
  requestId: string;
  key: string;
  /** Key components whose hashes differ from the request's. */
  differs: string[];
}

/** The recorded entry sharing the most key components with a request: what a replay miss points to. */
export function findNearestEntry(
  components: Record<string, string>,
  candidates: CacheEntry[],
): NearestEntry | undefined {
  let best: NearestEntry | undefined;
  for (const entry of candidates) {
    const differs = Object.keys(components).filter(
      (name) => entry.components[name] !== components[name],
    );
    if (!best || differs.length < best.differs.length) {
      best = { requestId: entry.requestId, key: entry.key, differs };
    }
  }
  return best;
}
