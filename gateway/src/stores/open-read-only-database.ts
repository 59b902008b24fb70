import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';
import type { SqliteDatabase } from './open-database.ts';

/**
 * Opens a gateway database someone handed over (an exported cache file) without writing to it,
 * after checking it is one: a file from a newer gateway, or not a gateway file at all, is refused
 * with a message instead of failing half-way through an import.
 *
 * @example
 * const source = openReadOnlyDatabase('doorkey-s1.db')
 */
export function openReadOnlyDatabase(path: string): SqliteDatabase {
  const database = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const version = database.pragma('user_version', { simple: true }) as number;
    if (version < 1) throw new Error(`${path} is not a teacher-gateway database (schema version ${version})`);
    if (version > migrations.length) {
      throw new Error(
        `${path} has schema version ${version}, newer than this gateway understands (${migrations.length}); upgrade the gateway`,
      );
    }
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}
