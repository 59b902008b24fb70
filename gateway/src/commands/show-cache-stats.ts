import type { Writable } from 'node:stream';
import type { CacheFileStats, StorageRows } from '../stores/storage-rows.ts';

export type { CacheFileStats } from '../stores/storage-rows.ts';

/**
 * `teacher-gateway cache stats`: what the store holds, by provider and by run, printed as JSON.
 * (The running gateway's `GET /v1/cache/stats` adds hit and miss counters, which live in memory.)
 *
 * @example
 * await showCacheStats({ rows: storage.rows, output: process.stdout })
 */
export async function showCacheStats(options: { rows: StorageRows; output: Writable }): Promise<CacheFileStats> {
  const stats = await options.rows.stats();
  options.output.write(JSON.stringify(stats, null, 2) + '\n');
  return stats;
}
