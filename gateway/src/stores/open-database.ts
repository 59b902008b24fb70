import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the gateway's SQLite file and brings its schema up to date.
 * WAL lets readers (the viewer, exports) run beside the writer; synchronous=NORMAL in WAL mode
 * keeps every commit across a process crash (kill -9), losing only what the OS had not written
 * at a power cut.
 *
 * @example
 * const database = openDatabase('./data/teacher.db')
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  database.pragma('foreign_keys = ON');
  // Each time a checkpoint lets the WAL start over, SQLite cuts the file back to this size; without
  // it the WAL keeps the size of its largest burst for good (~150 MB after 20,000 requests).
  database.pragma(`journal_size_limit = ${32 * 1024 * 1024}`);
  migrate(database);
  return database;
}

/** Applies the migrations newer than the file's `user_version`, each in its own transaction. */
export function migrate(database: SqliteDatabase): void {
  const current = database.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `the database schema (version ${current}) is newer than this gateway understands (${migrations.length})`,
    );
  }
  migrations.slice(current).forEach((sql, index) => {
    database.transaction(() => {
      database.exec(sql);
      database.pragma(`user_version = ${current + index + 1}`);
    })();
  });
}
