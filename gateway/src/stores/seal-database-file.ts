import type { SqliteDatabase } from './open-database.ts';

/**
 * Leaves a SQLite file self-contained, for handing over: the WAL folded in and rollback-journal
 * mode, so no `-wal` file has to travel beside it.
 *
 * @example
 * sealDatabaseFile(target)
 */
export function sealDatabaseFile(database: SqliteDatabase): void {
  database.pragma('wal_checkpoint(TRUNCATE)');
  database.pragma('journal_mode = DELETE');
}
