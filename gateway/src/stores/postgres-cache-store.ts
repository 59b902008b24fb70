import type pg from 'pg';
import type { CacheStats, CacheStore } from './cache-store.ts';
import { createPendingEntries } from './pending-entries.ts';
import type { PendingWrite } from './pending-entries.ts';
import type { PostgresGroupCommit } from './postgres-group-commit.ts';
import { fromRow, toRow } from './sqlite-cache-store.ts';
import type { CacheRow } from './storage-rows.ts';
import { toStorageError } from './to-storage-error.ts';

/**
 * The durable cache tier in PostgreSQL, shared by every replica. Same rules as SQLite's: a put is
 * readable at once from this replica and resolves once committed; other replicas see it after
 * the commit (their LRU misses read through to here).
 */
export function createPostgresCacheStore(pool: pg.Pool, commits: PostgresGroupCommit): CacheStore {
  const pending = createPendingEntries();
  const read = async <Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) => {
    try {
      return (await pool.query<Row>({ name, text, values })).rows;
    } catch (error) {
      throw toStorageError(error, 'cache read');
    }
  };
  return {
    async get(key) {
      const rows = await read<CacheRow>('cache_get', 'SELECT * FROM cache_entries WHERE key = $1 ORDER BY sample', [key]);
      return pending.overlay(key, rows.map(fromRow));
    },
    async recent(templateId, limit) {
      const rows = await read<CacheRow>(
        'cache_recent',
        'SELECT * FROM cache_entries WHERE template_id = $1 ORDER BY created_at DESC LIMIT $2',
        [templateId, limit],
      );
      return rows.map(fromRow);
    },
    put(entry, options) {
      const write: PendingWrite = { entry, replace: options?.replace ?? false };
      const row = toRow(entry);
      pending.add(write);
      return commits.add(
        (writes) => writes.entries.push({ row, replace: write.replace }),
        () => pending.settle(write),
      );
    },
    async stats(): Promise<CacheStats> {
      const [row] = await read<CacheStats>(
        'cache_stats',
        `SELECT count(*)::float8 AS entries, count(DISTINCT key)::float8 AS keys,
           coalesce(sum(octet_length(answer) + octet_length(components)), 0)::float8 AS bytes FROM cache_entries`,
        [],
      );
      return row ?? { entries: 0, keys: 0, bytes: 0 };
    },
  };
}
