/**
 * @module
 * Step 4, ask: a drop-in miss goes upstream through single flight (identical requests share one
 * call, on this replica and, with a shared store's claims, across replicas) and the provider's
 * scheduler. The answer is written to the cache as the policy says before the flight ends, so a
 * request arriving a moment later is a hit.
 */
import type { CacheStore } from '../stores/cache-store.ts';
import type { ReplicaClaims } from '../suggestion/ask-upstream.ts';
import type { CachePolicy } from '../suggestion/cache-policy.ts';
import { claimAcrossReplicas } from '../suggestion/claim-across-replicas.ts';
import type { DurableWrites } from '../suggestion/durable-writes.ts';
import { createSingleFlight } from '../suggestion/single-flight.ts';
import type { SampleSlots } from './create-sample-slots.ts';
import type { FetchDependencies, Fetched } from './fetch-pass-through.ts';
import { fetchPassThrough } from './fetch-pass-through.ts';
import type { DropInPlan } from './plan-drop-in-request.ts';

export type DropInAsked = Fetched & { outcome: 'miss' | 'coalesced' };

export interface DropInAsker {
  ask(
    plan: DropInPlan,
    slot: number,
    policy: CachePolicy,
    request: { requestId: string; run: string | undefined; signal: AbortSignal | undefined },
    writes: DurableWrites,
  ): Promise<DropInAsked>;
  /** Upstream calls currently shared by coalesced requests. */
  inFlight(): number;
}

export interface DropInAskerDependencies extends FetchDependencies {
  cache: CacheStore;
  slots: SampleSlots;
  /** Cross-replica single flight (a store shared by replicas); absent for one process's store. */
  claims?: ReplicaClaims;
}

/** `peer`: answered by another replica's upstream call. */
type Shared = Fetched & { peer?: true };

export function createDropInAsker(dependencies: DropInAskerDependencies): DropInAsker {
  const { cache, slots } = dependencies;
  const flights = createSingleFlight<Shared>();

  async function call(plan: DropInPlan, slot: number, policy: CachePolicy, request: Parameters<DropInAsker['ask']>[3], writes: DurableWrites): Promise<Fetched> {
    const fetched = await fetchPassThrough(plan, slot, request, dependencies);
    if (fetched.ok && fetched.cacheable && policy.write) writes.add(cache.put(fetched.entry, { replace: policy.replace }));
    return fetched;
  }

  return {
    async ask(plan, slot, policy, request, writes) {
      // Without reading the cache there is nothing to share: each request makes its own call.
      if (!policy.read) return { ...(await call(plan, slot, policy, request, writes)), outcome: 'miss' };
      const flightKey = `${plan.key}:${slot}`;
      const work = (signal: AbortSignal): Promise<Shared> => call(plan, slot, policy, { ...request, signal }, writes);
      const shared = dependencies.claims
        ? claimAcrossReplicas<Shared>(
            {
              ...dependencies.claims,
              key: flightKey,
              lookUp: async () => (await cache.get(plan.key)).find((entry) => entry.sample === slot),
              fromPeer: (entry) => ({ ok: true, entry, cacheable: false, headers: {}, calls: [], peer: true }),
            },
            work,
          )
        : work;
      const release = slots.hold(flightKey);
      const flight = flights.run(flightKey, shared, request.signal);
      flight.promise.then(release, release);
      const result = await flight.promise;
      if (!flight.joined && !result.peer) return { ...result, outcome: 'miss' };
      // A follower paid for nothing: the leader's request logs the call.
      return result.ok
        ? { ok: true, entry: result.entry, cacheable: false, headers: {}, calls: [], outcome: 'coalesced' }
        : { ok: false, error: result.error, calls: [], outcome: 'coalesced' };
    },
    inFlight: () => flights.inFlight(),
  };
}
