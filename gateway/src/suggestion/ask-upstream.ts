/**
 * @module
 * Step 4, ask: a miss goes upstream through single flight (identical requests share one call),
 * the image table (the image's bytes held once, within the bound), packing (misses of a packed
 * template share a call) and the provider's scheduler. The answer is written to the cache as the
 * policy says before the flight ends, so a request arriving a moment later is a hit.
 */
import type { GatewayConfig } from '../config/config-schema.ts';
import { createPackedAsker } from '../batching/ask-packed.ts';
import type { ImageTable } from '../images/create-image-table.ts';
import type { CacheStore } from '../stores/cache-store.ts';
import type { FlightClaims } from '../stores/flight-claims.ts';
import type { AskDependencies, AskResult } from './ask-single.ts';
import { askSingle } from './ask-single.ts';
import type { CachePolicy } from './cache-policy.ts';
import type { DurableWrites } from './durable-writes.ts';
import type { Prepared } from './prepare-request.ts';
import { claimAcrossReplicas } from './claim-across-replicas.ts';
import { createSingleFlight } from './single-flight.ts';

export interface AskContext {
  signal?: AbortSignal;
  /**
   * Set for the items of one `:batch` request: identical items share one call even when the
   * policy does not read the cache (`refresh`, `bypass`), as the batch contract promises.
   */
  batchId?: string;
}

export type Asked = AskResult & { outcome: 'miss' | 'coalesced' };

export interface UpstreamAsker {
  ask(
    prepared: Prepared,
    policy: CachePolicy,
    requestId: string,
    context: AskContext,
    writes: DurableWrites,
  ): Promise<Asked>;
  /** Upstream calls currently shared by coalesced requests. */
  inFlight(): number;
}

/** Claims shared by replicas on one store, and the commit a claimant waits for before releasing. */
export interface ReplicaClaims {
  claims: FlightClaims;
  committed: () => Promise<void>;
}

/** `peer`: answered by another replica's upstream call. */
type Shared = AskResult & { peer?: true };

export interface UpstreamAskerDependencies extends AskDependencies {
  claims?: ReplicaClaims;
  batching: GatewayConfig['batching'];
  cache: CacheStore;
  imageTable: ImageTable;
  setTimer: (callback: () => void, ms: number) => void;
}

export function createUpstreamAsker(dependencies: UpstreamAskerDependencies): UpstreamAsker {
  const flights = createSingleFlight<Shared>();
  const packed = createPackedAsker(dependencies.batching, dependencies);

  async function call(
    prepared: Prepared,
    policy: CachePolicy,
    requestId: string,
    signal: AbortSignal | undefined,
    writes: DurableWrites,
  ): Promise<AskResult> {
    // The image's bytes are held from here until the call is answered, shared with every other
    // request holding the same image.
    // A template that does not show the image never reads its bytes.
    const ref = prepared.template.inputs.includes('image') ? prepared.image : undefined;
    const leased = ref ? await dependencies.imageTable.acquire(ref.sha256, ref.inline) : undefined;
    if (leased && !leased.ok) return { ok: false, error: leased.error, calls: [] };
    try {
      const image = leased?.lease.image;
      const result = packed.packable(prepared, image)
        ? await packed.ask({ prepared, image, requestId, ...(signal ? { signal } : {}) })
        : await askSingle(prepared, image, requestId, signal, dependencies);
      if (result.ok && policy.write)
        writes.add(dependencies.cache.put(result.entry, { replace: policy.replace }));
      return result;
    } finally {
      leased?.lease.release();
    }
  }

  return {
    async ask(prepared, policy, requestId, context, writes) {
      const slot = `${prepared.cacheKey.key}:${prepared.sample}`;
      const flightKey = policy.read
        ? slot
        : context.batchId !== undefined
          ? `${context.batchId}:${slot}`
          : undefined;
      if (flightKey === undefined)
        return {
          ...(await call(prepared, policy, requestId, context.signal, writes)),
          outcome: 'miss',
        };
      const work = (signal: AbortSignal): Promise<Shared> =>
        call(prepared, policy, requestId, signal, writes);
      // Only requests that read the cache can be served by another replica's answer.
      const shared =
        dependencies.claims && policy.read
          ? claimAcrossReplicas<Shared>(
              {
                ...dependencies.claims,
                key: slot,
                lookUp: async () =>
                  (await dependencies.cache.get(prepared.cacheKey.key)).find(
                    (entry) => entry.sample === prepared.sample,
                  ),
                fromPeer: (entry) => ({ ok: true, entry, calls: [], peer: true }),
              },
              work,
            )
          : work;
      const flight = flights.run(flightKey, shared, context.signal);
      const result = await flight.promise;
      if (!flight.joined && !result.peer) return { ...result, outcome: 'miss' };
      // A follower paid for nothing: the leader's request logs the call.
      return result.ok
        ? { ok: true, entry: result.entry, calls: [], outcome: 'coalesced' }
        : { ok: false, error: result.error, calls: [], outcome: 'coalesced' };
    },
    inFlight: () => flights.inFlight(),
  };
}
