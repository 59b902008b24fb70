/**
 * The stores' writes a request made (its image, the answer it fetched). They share the audit log's
 * group commit, so a response that waits for these and its own audit rows waits for one commit.
 */
export interface DurableWrites {
  add(written: Promise<void>): void;
  /** Resolves once every write has committed; rejects with the first failure. */
  settled(): Promise<unknown>;
  /** Writes added so far. */
  count(): number;
}

export function createDurableWrites(): DurableWrites {
  const writes: Promise<void>[] = [];
  return {
    add(written) {
      // Marked handled here: the request reports a failure through settled(), or not at all if it
      // failed for another reason first.
      written.catch(() => undefined);
      writes.push(written);
    },
    settled: () => Promise.all(writes),
    count: () => writes.length,
  };
}
