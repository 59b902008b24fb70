import pg from 'pg';
import { postgresMigrations } from './postgres-migrations.ts';

// Any constant works: it names "the gateway's migrations" among the advisory locks of the database.
const migrationLock = 0x7465_6163;

/**
 * Connects to PostgreSQL and brings the schema up to date. Replicas starting together take an
 * advisory lock around the migrations, so each runs once; a database newer than this gateway is
 * refused. A server that is down refuses connections at once (`503 storage_unavailable`); an
 * unreachable one, or a pool whose connections are all busy for `connectTimeoutMs`, also gives a
 * 503 rather than a request that hangs.
 *
 * @example
 * const pool = await openPostgresPool('postgres://gateway:secret@db:5432/teacher')
 */
export async function openPostgresPool(
  url: string,
  options: { maxConnections?: number; connectTimeoutMs?: number } = {},
): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Also the longest wait for a free pooled connection: generous, so a busy replica queues rather than refuses.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // A replica should notice a dead server within seconds, not at the OS's TCP timeout.
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server emits here; without a listener that would crash the process.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
    return pool;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      const current = rows[0]?.version ?? 0;
      if (current > postgresMigrations.length) {
        throw new Error(
          `the database schema (version ${current}) is newer than this gateway understands (${postgresMigrations.length})`,
        );
      }
      for (const [index, sql] of postgresMigrations.entries()) {
        if (index < current) continue;
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]);
    }
  } finally {
    client.release();
  }
}
