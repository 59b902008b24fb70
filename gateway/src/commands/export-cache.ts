import type { SqliteDatabase } from '../stores/open-database.ts';

export interface ExportCacheOptions {
  /** The gateway's database. */
  source: SqliteDatabase;
  /** A database opened with `openDatabase` (so it carries the gateway schema), normally a new file. */
  target: SqliteDatabase;
  /** Only this run's entries (`tags.run` of the requests that produced them); all entries when absent. */
  run?: string;
  progress?: (rows: number) => void;
  progressEvery?: number;
}

export interface ExportCacheResult {
  entries: number;
  images: number;
  /** Referenced images the source does not hold (their entries replay only with the bytes resent). */
  missingImages: number;
}

const batchSize = 1_000;

/**
 * `teacher-gateway cache export --run R --out f.db`: copies a run's cache entries and every image
 * they reference into another gateway database, which then replays the run on its own (or is
 * merged into a colleague's database with `cache import`). The target ends in rollback-journal mode
 * so the result is one self-contained file with no -wal beside it.
 *
 * @example
 * exportCache({ source: openDatabase('data/teacher.db'), target: openDatabase('run.db'), run: 'doorkey-s1' })
 */
export function exportCache(options: ExportCacheOptions): ExportCacheResult {
  const { source, target, run } = options;
  const every = options.progressEvery ?? 10_000;
  const select = source.prepare<unknown[], Record<string, unknown>>(
    run === undefined ? 'SELECT * FROM cache_entries' : 'SELECT * FROM cache_entries WHERE run = ?',
  );
  const insertEntry = target.prepare(
    `INSERT OR IGNORE INTO cache_entries
       (key, sample, answer, provider, model, template_id, template_version, template_sha256,
        components, image_sha256, request_id, run, created_at)
     VALUES (@key, @sample, @answer, @provider, @model, @template_id, @template_version,
        @template_sha256, @components, @image_sha256, @request_id, @run, @created_at)`,
  );
  const selectImage = source.prepare<[string], Record<string, unknown>>('SELECT * FROM images WHERE sha256 = ?');
  const insertImage = target.prepare(
    'INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (@sha256, @media_type, @bytes, @created_at)',
  );
  const insertEntries = target.transaction((rows: Record<string, unknown>[]) => {
    for (const row of rows) insertEntry.run(row);
  });
  const insertImages = target.transaction((hashes: string[]) => {
    let found = 0;
    for (const sha256 of hashes) {
      const image = selectImage.get(sha256);
      if (!image) continue;
      insertImage.run(image);
      found += 1;
    }
    return found;
  });

  const imageHashes = new Set<string>();
  let entries = 0;
  let batch: Record<string, unknown>[] = [];
  // Iterating reads the source lazily; batching the writes costs one commit per thousand rows.
  for (const row of run === undefined ? select.iterate() : select.iterate(run)) {
    batch.push(row);
    if (typeof row.image_sha256 === 'string') imageHashes.add(row.image_sha256);
    if (batch.length === batchSize) {
      insertEntries(batch);
      batch = [];
    }
    entries += 1;
    if (options.progress && entries % every === 0) options.progress(entries);
  }
  if (batch.length > 0) insertEntries(batch);
  const hashes = [...imageHashes];
  let images = 0;
  for (let start = 0; start < hashes.length; start += batchSize) {
    images += insertImages(hashes.slice(start, start + batchSize));
  }
  target.pragma('wal_checkpoint(TRUNCATE)');
  target.pragma('journal_mode = DELETE');
  return { entries, images, missingImages: hashes.length - images };
}
