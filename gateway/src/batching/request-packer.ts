export interface RequestPackerOptions<Item, Result> {
  /** How long items wait for company while a call of their group is in flight. */
  windowMs: number;
  /** A group this large is sent at once. */
  maxBatchSize: number;
  setTimer: (callback: () => void, ms: number) => void;
  /**
   * Runs a callback once the current turn's work is done (after pending promise callbacks), so the
   * items of one `:batch` request, submitted in one turn, go out together. Default `setImmediate`.
   */
  defer?: (callback: () => void) => void;
  /** Answers one group; resolves with one result per item, in order. */
  flush: (items: Item[]) => Promise<Result[]>;
}

export interface RequestPacker<Item, Result> {
  submit(groupKey: string, item: Item): Promise<Result>;
}

interface Pending<Item, Result> {
  items: Item[];
  resolvers: { resolve: (result: Result) => void; reject: (error: unknown) => void }[];
}

/**
 * Collects items that may share one upstream call, adaptively: with no call of its group in
 * flight, a group goes out at the end of the turn it was started in (a lone miss waits for nothing;
 * a batch's items still share a call). While a call of the group is in flight, items gather for
 * up to `windowMs`, as under load waiting costs less than a call. A group reaching
 * `maxBatchSize` goes at once.
 */
export function createRequestPacker<Item, Result>(
  options: RequestPackerOptions<Item, Result>,
): RequestPacker<Item, Result> {
  const groups = new Map<string, Pending<Item, Result>>();
  const inFlight = new Map<string, number>();
  const defer = options.defer ?? ((callback: () => void) => void setImmediate(callback));
  const send = (groupKey: string, group: Pending<Item, Result>) => {
    if (groups.get(groupKey) !== group) return;
    groups.delete(groupKey);
    inFlight.set(groupKey, (inFlight.get(groupKey) ?? 0) + 1);
    const landed = () => {
      const left = (inFlight.get(groupKey) ?? 1) - 1;
      if (left > 0) inFlight.set(groupKey, left);
      else inFlight.delete(groupKey);
    };
    options.flush(group.items).then(
      (results) => {
        landed();
        group.resolvers.forEach((resolver, index) => {
          if (index < results.length) resolver.resolve(results[index] as Result);
          else
            resolver.reject(new Error('the packed flush answered fewer items than it was given'));
        });
      },
      (error: unknown) => {
        landed();
        group.resolvers.forEach((resolver) => resolver.reject(error));
      },
    );
  };
  return {
    submit(groupKey, item) {
      return new Promise<Result>((resolve, reject) => {
        let group = groups.get(groupKey);
        if (!group) {
          const created: Pending<Item, Result> = { items: [], resolvers: [] };
          groups.set(groupKey, created);
          if (inFlight.has(groupKey))
            options.setTimer(() => send(groupKey, created), options.windowMs);
          else defer(() => send(groupKey, created));
          group = created;
        }
        group.items.push(item);
        group.resolvers.push({ resolve, reject });
        if (group.items.length >= options.maxBatchSize) send(groupKey, group);
      });
    },
  };
}
