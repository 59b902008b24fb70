/** One item's outcome: a batch answers per item, so one failure must not reject the others. */
export type ItemOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

export interface BatchSchedulerOptions<Item, Result> {
  /** Sends one batch; must answer one outcome per item, in order. A rejection fails every item of the batch. */
  run(items: Item[]): Promise<Array<ItemOutcome<Result>>>;
  maxBatchSize: number;
  /** When the collected items go out; default `setImmediate`, after every microtask of this tick. */
  schedule?: (flush: () => void) => void;
}

/**
 * DataLoader-style collection: calls made in the same tick (a vectorised environment stepping
 * all its copies) are gathered and sent as batches of at most `maxBatchSize`.
 *
 * @example
 * const load = createBatchScheduler({ maxBatchSize: 64, run: async (xs) => xs.map((x) => ({ ok: true, value: x * 2 })) })
 * await Promise.all([load(1), load(2)]) // one run([1, 2])
 */
export function createBatchScheduler<Item, Result>(
  options: BatchSchedulerOptions<Item, Result>,
): (item: Item) => Promise<Result> {
  const schedule = options.schedule ?? ((flush: () => void) => void setImmediate(flush));
  if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) {
    throw new RangeError(`maxBatchSize must be a positive integer, got ${options.maxBatchSize}`);
  }
  interface Waiting {
    item: Item;
    resolve: (value: Result) => void;
    reject: (error: unknown) => void;
  }
  let queue: Waiting[] = [];

  const dispatch = (batch: Waiting[]) => {
    let outcomes: Promise<Array<ItemOutcome<Result>>>;
    try {
      outcomes = options.run(batch.map((waiting) => waiting.item));
    } catch (error) {
      outcomes = Promise.reject(error);
    }
    outcomes.then(
      (results) => {
        batch.forEach((waiting, index) => {
          const outcome = results[index];
          if (!outcome)
            waiting.reject(
              new Error(`the batch answered ${results.length} results for ${batch.length} items`),
            );
          else if (outcome.ok) waiting.resolve(outcome.value);
          else waiting.reject(outcome.error);
        });
      },
      (error: unknown) => {
        for (const waiting of batch) waiting.reject(error);
      },
    );
  };

  const flush = () => {
    const collected = queue;
    queue = [];
    for (let start = 0; start < collected.length; start += options.maxBatchSize) {
      dispatch(collected.slice(start, start + options.maxBatchSize));
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      if (queue.length === 0) schedule(flush);
      queue.push({ item, resolve, reject });
    });
}
