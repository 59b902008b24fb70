import type { SqliteDatabase } from './open-database.ts';
import { toStorageError } from './to-storage-error.ts';

/**
 * Writes that share transactions: everything added while a commit is being prepared goes into
 * one transaction, run on the next turn of the event loop. One transaction per write would cap
 * the gateway near the per-commit cost; sharing them makes a commit's cost per write shrink as
 * load grows, and lets a cache miss's answer and its audit rows land in the same commit.
 */
export interface GroupCommit {
  /**
   * Queues `write` (synchronous SQLite statements) for the next shared transaction and resolves
   * once that transaction has committed. `settled` runs synchronously right after the commit or
   * the rollback, before any other code can observe the outcome.
   */
  add(write: () => void, settled?: (error?: unknown) => void): Promise<void>;
  /** Resolves once everything queued so far has been committed or has failed. */
  flush(): Promise<void>;
}

interface Queued {
  write: () => void;
  settled: ((error?: unknown) => void) | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes committed in order: a write added after another is in the same transaction or a later
 * one, so a response that waits for its own rows also waits for every write queued before them.
 *
 * @example
 * const commits = createGroupCommit(database)
 * await commits.add(() => insert.run(row))
 */
export function createGroupCommit(
  database: SqliteDatabase,
  schedule: (callback: () => void) => void = setImmediate,
): GroupCommit {
  let queue: Queued[] = [];
  let idle: Promise<void> = Promise.resolve();
  let release: (() => void) | undefined;
  const commit = database.transaction((batch: Queued[]) => {
    for (const item of batch) item.write();
  });

  function run(): void {
    const batch = queue;
    queue = [];
    let failure: unknown;
    let failed = false;
    try {
      commit(batch);
    } catch (error) {
      failed = true;
      failure = toStorageError(error, 'commit');
    }
    for (const item of batch) item.settled?.(failed ? failure : undefined);
    for (const item of batch) {
      if (failed) item.reject(failure);
      else item.resolve();
    }
    const done = release;
    release = undefined;
    done?.();
  }

  return {
    add(write, settled) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ write, settled, resolve, reject });
        if (queue.length === 1) {
          idle = new Promise<void>((resolveIdle) => (release = resolveIdle));
          schedule(run);
        }
      });
    },
    flush: () => idle,
  };
}
