import { createPostgresFlightClaims } from './postgres-flight-claims.ts';
import { openPostgresPool } from './open-postgres-pool.ts';
import { createPostgresAuditLog } from './postgres-audit-log.ts';
import { createPostgresCacheStore } from './postgres-cache-store.ts';
import { createPostgresGroupCommit } from './postgres-group-commit.ts';
import { createPostgresImageStore } from './postgres-image-store.ts';
import { createPostgresLogQueries } from './postgres-log-queries.ts';
import { createPostgresStorageRows } from './postgres-storage-rows.ts';
import type { Storage } from './storage.ts';

/**
 * The stores on a PostgreSQL database shared by every replica: connects, migrates (once, under an
 * advisory lock) and shares one group commit between the cache, images and the audit log.
 *
 * @example
 * const storage = await openPostgresStorage('postgres://gateway:secret@db:5432/teacher', Date.now)
 */
export async function openPostgresStorage(
  url: string,
  now: () => number = Date.now,
  options: { maxConnections?: number } = {},
): Promise<Storage> {
  const pool = await openPostgresPool(url, options);
  const commits = createPostgresGroupCommit(pool);
  const claims = createPostgresFlightClaims(url);
  return {
    backend: 'postgres',
    cache: createPostgresCacheStore(pool, commits),
    images: createPostgresImageStore(pool, now, commits),
    auditLog: createPostgresAuditLog(pool, commits),
    logQueries: createPostgresLogQueries(pool),
    rows: createPostgresStorageRows(pool),
    claims,
    // A temporary table in a rolled-back transaction: reaches the server and needs it to accept writes.
    async probe() {
      try {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('CREATE TEMP TABLE healthz_probe (value bytea) ON COMMIT DROP');
          await client.query('ROLLBACK');
        } finally {
          client.release();
        }
        return { writable: true };
      } catch (error) {
        return { writable: false, reason: `postgres: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    flush: () => commits.flush(),
    async close() {
      await commits.flush();
      await claims.close();
      await pool.end();
    },
  };
}
