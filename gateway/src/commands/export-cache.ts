import { insertStatement, rowValues } from '../stores/audit-log-rows.ts';
import type { CallRow, RequestRow } from '../stores/audit-log-rows.ts';
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
  /** The logged requests that filled the entries, each with its upstream calls. */
  requests: number;
  /** Referenced images the source does not hold (their entries replay only with the bytes resent). */
  missingImages: number;
}

const batchSize = 1_000;

/**
 * `teacher-gateway cache export --run R --out f.db`: copies a run's cache entries, every image they
 * reference and the audit rows of the requests that filled them into another gateway database,
 * which then replays the run on its own (or is merged into a colleague's database with
 * `cache import`). The audit rows let whoever replays see each answer's prompt and raw response.
 * The target ends in rollback-journal mode so the result is one self-contained file with no -wal
 * beside it.
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

  const selectRequest = source.prepare<[string], RequestRow>('SELECT * FROM requests WHERE id = ?');
  const selectCalls = source.prepare<[string], CallRow>('SELECT * FROM upstream_calls WHERE request_id = ? ORDER BY id');
  const insertRequest = target.prepare<unknown[]>(insertStatement('requests', 'INSERT OR IGNORE'));
  const insertCall = target.prepare<unknown[]>(insertStatement('upstream_calls'));
  const insertRequests = target.transaction((ids: string[]) => {
    let found = 0;
    for (const id of ids) {
      const request = selectRequest.get(id);
      if (!request || insertRequest.run(rowValues('requests', request)).changes === 0) continue;
      for (const call of selectCalls.all(id)) insertCall.run(rowValues('upstream_calls', call));
      found += 1;
    }
    return found;
  });

  const imageHashes = new Set<string>();
  const requestIds = new Set<string>();
  let entries = 0;
  let batch: Record<string, unknown>[] = [];
  // Iterating reads the source lazily; batching the writes costs one commit per thousand rows.
  for (const row of run === undefined ? select.iterate() : select.iterate(run)) {
    batch.push(row);
    if (typeof row.image_sha256 === 'string') imageHashes.add(row.image_sha256);
    if (typeof row.request_id === 'string') requestIds.add(row.request_id);
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
  // An entry whose request is not in this log (from an older export, or labelled by an older
  // version) leaves without it.
  const ids = [...requestIds];
  let requests = 0;
  for (let start = 0; start < ids.length; start += batchSize) {
    requests += insertRequests(ids.slice(start, start + batchSize));
  }
  target.pragma('wal_checkpoint(TRUNCATE)');
  target.pragma('journal_mode = DELETE');
  return { entries, images, requests, missingImages: hashes.length - images };
}
