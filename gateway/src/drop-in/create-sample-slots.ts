import type { CacheEntry } from '../stores/cache-store.ts';
import type { DropInPlan } from './plan-drop-in-request.ts';

export interface SampleSlots {
  /** The slot to read or fill: the seed's, else the first free one, else a stored one in turn. */
  choose(plan: DropInPlan, stored: CacheEntry[], upstream: boolean): number;
  /** Marks a slot as being filled until `release`, so a concurrent request picks another. */
  hold(flightKey: string): () => void;
}

/**
 * The sample slots of sampling requests (temperature > 0): `cache.samplesPerKey` answers per key,
 * filled by misses, then handed out in turn.
 */
export function createSampleSlots(samplesPerKey: number): SampleSlots {
  const filling = new Set<string>();
  let rotation = 0;
  return {
    choose(plan, stored, upstream) {
      if (!plan.sampling) return 0;
      if (plan.seed !== undefined) return Math.abs(Math.trunc(plan.seed)) % samplesPerKey;
      const taken = new Set(stored.map((entry) => entry.sample));
      if (upstream) {
        for (let slot = 0; slot < samplesPerKey; slot += 1) {
          if (!taken.has(slot) && !filling.has(`${plan.key}:${slot}`)) return slot;
        }
      }
      if (stored.length === 0) return 0;
      rotation = (rotation + 1) % 1_000_000;
      return (stored[rotation % stored.length] as CacheEntry).sample;
    },
    hold(flightKey) {
      filling.add(flightKey);
      return () => filling.delete(flightKey);
    },
  };
}
