import type { GatewayConfig } from '../config/config-schema.ts';
import { openDatabase } from './open-database.ts';
import { openPostgresStorage } from './open-postgres-storage.ts';
import { createSqliteStorage } from './sqlite-storage.ts';
import type { SqliteDatabase } from './open-database.ts';
import type { Storage } from './storage.ts';

/**
 * Opens the configured store: PostgreSQL when `storage.url` is set, else the SQLite file at
 * `storage.path`. For SQLite the open database is returned too (the checkpoint worker needs it).
 *
 * @example
 * const { storage } = await openStorage(config.storage)
 */
export async function openStorage(
  config: GatewayConfig['storage'],
  now: () => number = Date.now,
): Promise<{ storage: Storage; database?: SqliteDatabase }> {
  if (config.url !== undefined) return { storage: await openPostgresStorage(config.url, now) };
  const database = openDatabase(config.path);
  const storage = createSqliteStorage(database, now);
  return {
    storage: {
      ...storage,
      async close() {
        await storage.close();
        database.close();
      },
    },
    database,
  };
}
