import type { CacheEntry, CacheStats, CacheStore } from './cache-store.ts';
import type { SqliteDatabase } from './open-database.ts';
import { toStorageError } from './to-storage-error.ts';

interface CacheRow {
  key: string;
  sample: number;
  answer: string;
  provider: string;
  model: string;
  template_id: string;
  template_version: number;
  template_sha256: string;
  components: string;
  image_sha256: string | null;
  request_id: string;
  run: string | null;
  created_at: number;
}

/**
 * The durable cache tier. Each `add` commits before it returns, so an answer the gateway has
 * sent survives a crash of the process right after.
 */
export function createSqliteCacheStore(database: SqliteDatabase): CacheStore {
  const select = database.prepare<[string], CacheRow>(
    'SELECT * FROM cache_entries WHERE key = ? ORDER BY sample',
  );
  const insert = database.prepare(
    `INSERT OR IGNORE INTO cache_entries
       (key, sample, answer, provider, model, template_id, template_version, template_sha256,
        components, image_sha256, request_id, run, created_at)
     VALUES (@key, @sample, @answer, @provider, @model, @template_id, @template_version,
        @template_sha256, @components, @image_sha256, @request_id, @run, @created_at)`,
  );
  const replace = database.prepare(
    `INSERT OR REPLACE INTO cache_entries
       (key, sample, answer, provider, model, template_id, template_version, template_sha256,
        components, image_sha256, request_id, run, created_at)
     VALUES (@key, @sample, @answer, @provider, @model, @template_id, @template_version,
        @template_sha256, @components, @image_sha256, @request_id, @run, @created_at)`,
  );
  const statistics = database.prepare<[], { entries: number; keys: number; bytes: number }>(
    `SELECT count(*) AS entries, count(DISTINCT key) AS keys,
            coalesce(sum(length(answer) + length(components)), 0) AS bytes FROM cache_entries`,
  );
  const selectRecent = database.prepare<[string, number], CacheRow>(
    'SELECT * FROM cache_entries WHERE template_id = ? ORDER BY created_at DESC LIMIT ?',
  );
  return {
    recent: (templateId, limit) => selectRecent.all(templateId, limit).map(fromRow),
    get: (key) => select.all(key).map(fromRow),
    put(entry, options) {
      try {
        (options?.replace ? replace : insert).run(toRow(entry));
      } catch (error) {
        throw toStorageError(error, 'cache write');
      }
    },
    stats(): CacheStats {
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
