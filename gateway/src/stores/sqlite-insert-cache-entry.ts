/**
 * The SQLite statement that writes one `cache_entries` row, bound by name from a
 * {@link import('./storage-rows.ts').CacheRow}: `keep` keeps the first answer for a (key, sample),
 * `replace` overwrites it. Both are plain inserts or updates, so the `cache_totals` triggers see
 * every change (INSERT OR REPLACE's implicit delete would fire none).
 */
export function sqliteInsertCacheEntry(onConflict: 'keep' | 'replace'): string {
  const update = `UPDATE SET answer = excluded.answer, provider = excluded.provider,
        model = excluded.model, template_id = excluded.template_id,
        template_version = excluded.template_version, template_sha256 = excluded.template_sha256,
        components = excluded.components, image_sha256 = excluded.image_sha256,
        request_id = excluded.request_id, run = excluded.run, created_at = excluded.created_at`;
  return `INSERT INTO cache_entries
       (key, sample, answer, provider, model, template_id, template_version, template_sha256,
        components, image_sha256, request_id, run, created_at)
     VALUES (@key, @sample, @answer, @provider, @model, @template_id, @template_version,
        @template_sha256, @components, @image_sha256, @request_id, @run, @created_at)
     ON CONFLICT (key, sample) DO ${onConflict === 'keep' ? 'NOTHING' : update}`;
}
