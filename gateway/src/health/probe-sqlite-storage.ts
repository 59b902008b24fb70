import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import type { SqliteDatabase } from '../stores/open-database.ts';

export interface StorageHealth {
  writable: boolean;
  /** Why not, naming the SQLite or file-system code. */
  reason?: string;
}

/**
 * Whether the gateway can write to its SQLite database now, without changing it: a savepoint that
 * creates a table and fills a few pages, then rolls back (a read-only file or handle, or a full page
 * budget, fails here), and for a file database a 16 KiB probe file beside it, written and removed
 * (a full disk or read-only file system fails there: rolled-back pages never reach the disk).
 *
 * @example
 * probeSqliteStorage(openDatabase(':memory:')) // { writable: true }
 */
export function probeSqliteStorage(database: SqliteDatabase): StorageHealth {
  if (!database.open) return { writable: false, reason: 'the database is closed' };
  let failure: unknown;
  try {
    // Never inside another transaction: better-sqlite3 runs every write synchronously to its end.
    database.exec('SAVEPOINT healthz_probe');
    try {
      database.exec('CREATE TABLE healthz_probe (value BLOB); INSERT INTO healthz_probe VALUES (zeroblob(16384))');
    } catch (error) {
      failure = error;
    }
    // SQLITE_FULL and some I/O errors roll the whole transaction back on their own.
    if (database.inTransaction) database.exec('ROLLBACK TO healthz_probe; RELEASE healthz_probe');
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) return { writable: false, reason: `database: ${describe(failure)}` };
  if (database.memory) return { writable: true };
  const probe = `${database.name}-healthz-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(probe, Buffer.alloc(16_384));
  } catch (error) {
    return { writable: false, reason: `disk: ${describe(error)}` };
  } finally {
    rmSync(probe, { force: true });
  }
  return { writable: true };
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code} (${message})` : message;
}
