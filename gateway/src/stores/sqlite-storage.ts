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
export function createSqliteStorage(database: SqliteDatabase, now: () => number = Date.now): Storage {
  const commits = createGroupCommit(database);
  return {
    backend: 'sqlite',
    cache: createSqliteCacheStore(database, commits),
    images: createSqliteImageStore(database, now, commits),
    auditLog: createSqliteAuditLog(database, commits),
    logQueries: createSqliteLogQueries(database),
    rows: createSqliteStorageRows(database),
    flush: () => commits.flush(),
    close: () => commits.flush(),
  };
}
