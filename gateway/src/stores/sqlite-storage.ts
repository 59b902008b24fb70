import { probeSqliteStorage } from '../health/probe-sqlite-storage.ts';
import type { GroupCommit } from './group-commit.ts';
import { createGroupCommit } from './group-commit.ts';
import { createSqliteImageStore } from './image-store.ts';
import { createSqliteLogQueries } from './log-queries.ts';
import type { SqliteDatabase } from './open-database.ts';
import { createSqliteAuditLog } from './sqlite-audit-log.ts';
import { createSqliteCacheStore } from './sqlite-cache-store.ts';
import { createSqliteStorageRows } from './sqlite-storage-rows.ts';
import type { Storage } from './storage.ts';

/**
 * The stores on one SQLite file, sharing one group commit: a miss's answer, its image and its
 * audit rows are one transaction. The database stays the caller's to close.
 *
 * @example
 * const storage = createSqliteStorage(openDatabase('./data/teacher.db'), Date.now)
 */
export function createSqliteStorage(
  database: SqliteDatabase,
  now: () => number = Date.now,
  options: { idleCheckpointMs?: number } = {},
): Storage {
  const group = createGroupCommit(database);
  let writes = 0;
  const commits: GroupCommit = {
    add(write, settled) {
      writes += 1;
      return group.add(write, settled);
    },
    flush: () => group.flush(),
  };
  const stopTrimming = trimWalWhenIdle(database, () => writes, options.idleCheckpointMs ?? 2_000);
  return {
    backend: 'sqlite',
    cache: createSqliteCacheStore(database, commits),
    images: createSqliteImageStore(database, now, commits),
    auditLog: createSqliteAuditLog(database, commits),
    logQueries: createSqliteLogQueries(database),
    rows: createSqliteStorageRows(database),
    probe: () => probeSqliteStorage(database),
    flush: () => commits.flush(),
    async close() {
      stopTrimming();
      await commits.flush();
    },
  };
}

/**
 * Once writes have stopped for a whole interval, a truncating checkpoint empties the WAL file, so a
 * gateway that sits idle after a run holds no WAL at all. It never waits for readers: a busy
 * checkpoint is simply tried at the next idle interval.
 */
function trimWalWhenIdle(database: SqliteDatabase, writes: () => number, intervalMs: number): () => void {
  let seen = writes();
  let trimmed = seen;
  const timer = setInterval(() => {
    const now = writes();
    if (now !== seen || now === trimmed) {
      seen = now;
      return;
    }
    if (!database.open) {
      clearInterval(timer);
      return;
    }
    try {
      database.pragma('busy_timeout = 0');
      const [result] = database.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy === 0) trimmed = now;
    } catch {
      // A full disk or an I/O error: tried again at the next idle interval.
    } finally {
      // Writes must keep waiting for locks even when the checkpoint threw.
      database.pragma('busy_timeout = 5000');
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
