import { GatewayError } from '../errors/gateway-error.ts';
import type { DurableWrites } from './durable-writes.ts';

/**
 * Whether an answer fetched now could be stored. After a write fails for want of storage (disk
 * full, read-only file), a miss is refused before it pays for an upstream call, unless its own
 * writes (its image) commit first, which shows storage is back. A miss with nothing of its own to
 * write is let through one at a time, once per Retry-After window, to find out.
 */
export interface StorageGate {
  /** Resolves with the error to refuse a miss with, or undefined to go ahead. */
  check(writes: DurableWrites): Promise<GatewayError | undefined>;
  failed(error: GatewayError): void;
  wrote(): void;
}

export function createStorageGate(monotonic: () => number): StorageGate {
  let failure: { error: GatewayError; until: number } | undefined;
  const windowMs = (error: GatewayError) => (error.retryAfterSeconds ?? 5) * 1000;
  return {
    async check(writes) {
      if (!failure) return undefined;
      if (writes.count() > 0) {
        try {
          await writes.settled();
          failure = undefined;
          return undefined;
        } catch (error) {
          return error instanceof GatewayError ? error : failure?.error;
        }
      }
      if (monotonic() < failure.until) return failure.error;
      failure.until = monotonic() + windowMs(failure.error);
      return undefined;
    },
    failed(error) {
      failure = { error, until: monotonic() + windowMs(error) };
    },
    wrote() {
      failure = undefined;
    },
  };
}
