export interface RequestPackerOptions<Item, Result> {
  /** How long the first item of a group waits for company. */
  windowMs: number;
  /** A group this large is sent at once. */
  maxBatchSize: number;
  setTimer: (callback: () => void, ms: number) => void;
  /** Answers one group; must settle one result per item, in order. */
  flush: (items: Item[]) => Promise<PromiseSettledResult<Result>[]>;
}

export interface RequestPacker<Item, Result> {
  submit(groupKey: string, item: Item): Promise<Result>;
}

interface Pending<Item, Result> {
  items: Item[];
  resolvers: { resolve: (result: Result) => void; reject: (error: unknown) => void }[];
}

/**
 * Collects items that may share one upstream call: a group goes out when it reaches
 * `maxBatchSize` or when its first item has waited `windowMs`, whichever is first.
 */
export function createRequestPacker<Item, Result>(
  options: RequestPackerOptions<Item, Result>,
): RequestPacker<Item, Result> {
  const groups = new Map<string, Pending<Item, Result>>();
  const send = (groupKey: string, group: Pending<Item, Result>) => {
    if (groups.get(groupKey) !== group) return;
    groups.delete(groupKey);
    options.flush(group.items).then(
      (results) =>
        results.forEach((result, index) => {
          const resolver = group.resolvers[index];
          if (result.status === 'fulfilled') resolver?.resolve(result.value);
          else resolver?.reject(result.reason);
        }),
      (error: unknown) => group.resolvers.forEach((resolver) => resolver.reject(error)),
    );
  };
  return {
    submit(groupKey, item) {
      return new Promise<Result>((resolve, reject) => {
        let group = groups.get(groupKey);
        if (!group) {
          const created: Pending<Item, Result> = { items: [], resolvers: [] };
          groups.set(groupKey, created);
          options.setTimer(() => send(groupKey, created), options.windowMs);
          group = created;
        }
        group.items.push(item);
        group.resolvers.push({ resolve, reject });
        if (group.items.length >= options.maxBatchSize) send(groupKey, group);
      });
    },
  };
}
