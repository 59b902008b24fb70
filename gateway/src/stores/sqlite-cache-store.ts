import type { Statement } from 'better-sqlite3';
import type { CacheEntry, CacheStats, CacheStore } from './cache-store.ts';
import type { GroupCommit } from './group-commit.ts';
import { createGroupCommit } from './group-commit.ts';
import type { SqliteDatabase } from './open-database.ts';
import type { PendingWrite } from './pending-entries.ts';
import { createPendingEntries } from './pending-entries.ts';
import { sqliteInsertCacheEntry } from './sqlite-insert-cache-entry.ts';
import type { CacheRow } from './storage-rows.ts';

/**
 * The durable cache tier. A `put` joins the group commit (shared with the audit log in the
 * gateway) and resolves once committed; until then `get` already answers with it, so a request
 * for the same key in that window is a hit rather than a second upstream call. A request that
 * reads a pending answer queues its own audit rows after it, so its response, which waits for
 * those rows, also waits for the answer to be durable.
 */
export function createSqliteCacheStore(
  database: SqliteDatabase,
  commits: GroupCommit = createGroupCommit(database),
): CacheStore {
  const select = database.prepare<[string], CacheRow>(
    'SELECT * FROM cache_entries WHERE key = ? ORDER BY sample',
  );
  const insert = database.prepare(sqliteInsertCacheEntry('keep'));
  const replace = database.prepare(sqliteInsertCacheEntry('replace'));
  // Prepared on first use: a file still being migrated has no cache_totals yet.
  let statistics: Statement<[], CacheStats> | undefined;
  const selectRecent = database.prepare<[string, number], CacheRow>(
    'SELECT * FROM cache_entries WHERE template_id = ? ORDER BY created_at DESC LIMIT ?',
  );
  const pending = createPendingEntries();

  return {
    recent: async (templateId, limit) => selectRecent.all(templateId, limit).map(fromRow),
    async get(key) {
      return pending.overlay(key, select.all(key).map(fromRow));
    },
    put(entry, options) {
      const write: PendingWrite = { entry, replace: options?.replace ?? false };
      const row = toRow(entry);
      pending.add(write);
      return commits.add(
        () => (write.replace ? replace : insert).run(row),
        () => pending.settle(write),
      );
    },
    async stats(): Promise<CacheStats> {
      statistics ??= database.prepare<[], CacheStats>(
        'SELECT entries, keys, bytes FROM cache_totals WHERE id = 0',
      );
      return statistics.get() ?? { entries: 0, keys: 0, bytes: 0 };
    },
  };
}

export function toRow(entry: CacheEntry): CacheRow {
  return {
    key: entry.key,
    sample: entry.sample,
    answer: JSON.stringify(entry.answer),
    provider: entry.provider,
    model: entry.model,
    template_id: entry.template.id,
    template_version: entry.template.version,
    template_sha256: entry.template.sha256,
    components: JSON.stringify(entry.components),
    image_sha256: entry.imageSha256 ?? null,
    request_id: entry.requestId,
    run: entry.run ?? null,
    created_at: entry.createdAt,
  };
}

export function fromRow(row: CacheRow): CacheEntry {
  return {
    key: row.key,
    answer: JSON.parse(row.answer) as CacheEntry['answer'],
    provider: row.provider,
    model: row.model,
    template: { id: row.template_id, version: row.template_version, sha256: row.template_sha256 },
    components: JSON.parse(row.components) as Record<string, string>,
    ...(row.image_sha256 ? { imageSha256: row.image_sha256 } : {}),
    requestId: row.request_id,
    ...(row.run ? { run: row.run } : {}),
    createdAt: row.created_at,
    sample: row.sample,
  };
}
