import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { CacheEntry, CacheStore } from '../stores/cache-store.ts';
import type { CachePolicy } from '../suggestion/cache-policy.ts';
import type { SampleSlots } from './create-sample-slots.ts';
import type { DropInPlan } from './plan-drop-in-request.ts';

export type DropInLookup =
  | { found: true; entry: CacheEntry; outcome: 'hit' | 'replayed'; slot: number }
  /** Not stored: ask upstream for `slot`, or, when the policy forbids that, answer with `error`. */
  | { found: false; slot: number; error?: GatewayError };

/** Step 3, look up: the stored answer for the request's sample slot, if the policy lets it read one. */
export async function lookUpDropIn(
  plan: DropInPlan,
  policy: CachePolicy,
  mode: GatewayConfig['cache']['mode'],
  dependencies: { cache: CacheStore; slots: SampleSlots },
): Promise<DropInLookup> {
  const stored = policy.read ? await dependencies.cache.get(plan.key) : [];
  const slot = dependencies.slots.choose(plan, stored, policy.upstream);
  const hit = stored.find((entry) => entry.sample === slot);
  if (hit) return { found: true, entry: hit, outcome: mode === 'replay' ? 'replayed' : 'hit', slot };
  if (policy.upstream) return { found: false, slot };
  const error = new GatewayError('not_cached', 'replay mode: this request was never recorded', {
    key: plan.key,
    sample: slot,
    components: plan.components,
    provider: plan.target.provider.config.id,
  });
  return { found: false, slot, error };
}
