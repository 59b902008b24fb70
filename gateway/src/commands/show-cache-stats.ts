import type { Writable } from 'node:stream';
import type { SqliteDatabase } from '../stores/open-database.ts';
import { createSqliteCacheStore } from '../stores/sqlite-cache-store.ts';

export interface CacheFileStats {
  entries: number;
  keys: number;
  bytes: number;
  images: { count: number; bytes: number };
  byProvider: { provider: string; model: string; entries: number }[];
  byRun: { run: string | null; entries: number }[];
}

/**
 * `teacher-gateway cache stats`: what the database holds, by provider and by run, printed as JSON.
 * (The running gateway's `GET /v1/cache/stats` adds hit and miss counters, which live in memory.)
 *
 * @example
 * showCacheStats({ database, output: process.stdout })
 */
export function showCacheStats(options: { database: SqliteDatabase; output: Writable }): CacheFileStats {
  const { database } = options;
  const images = database
    .prepare<[], { count: number; bytes: number }>('SELECT count(*) AS count, coalesce(sum(length(bytes)), 0) AS bytes FROM images')
    .get() ?? { count: 0, bytes: 0 };
  const stats: CacheFileStats = {
    ...createSqliteCacheStore(database).stats(),
    images,
    byProvider: database
      .prepare<[], { provider: string; model: string; entries: number }>(
        'SELECT provider, model, count(*) AS entries FROM cache_entries GROUP BY provider, model ORDER BY entries DESC',
      )
      .all(),
    byRun: database
      .prepare<[], { run: string | null; entries: number }>(
        'SELECT run, count(*) AS entries FROM cache_entries GROUP BY run ORDER BY entries DESC',
      )
      .all(),
  };
  options.output.write(JSON.stringify(stats, null, 2) + '\n');
  return stats;
}
