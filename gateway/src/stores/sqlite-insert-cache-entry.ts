/**
 * The SQLite statement that writes one `cache_entries` row, bound by name from a
 * {@link import('./storage-rows.ts').CacheRow}: `INSERT OR IGNORE` keeps the first answer for a
 * (key, sample), `INSERT OR REPLACE` overwrites it.
 */
export function sqliteInsertCacheEntry(verb: 'INSERT OR IGNORE' | 'INSERT OR REPLACE'): string {
  return `${verb} INTO cache_entries
       (key, sample, answer, provider, model, template_id, template_version, template_sha256,
        components, image_sha256, request_id, run, created_at)
     VALUES (@key, @sample, @answer, @provider, @model, @template_id, @template_version,
        @template_sha256, @components, @image_sha256, @request_id, @run, @created_at)`;
}
