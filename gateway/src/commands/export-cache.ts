import type { StorageRows } from '../stores/storage-rows.ts';
import { rowBatchSize } from '../stores/storage-rows.ts';

export interface ExportCacheOptions {
  /** The gateway's stores (SQLite or PostgreSQL). */
  source: StorageRows;
  /** Normally a new SQLite file opened with `openDatabase` (so it carries the gateway schema). */
  target: StorageRows;
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

/**
 * `teacher-gateway cache export --run R --out f.db`: copies a run's cache entries, every image they
 * reference and the audit rows of the requests that filled them into another gateway store, which
 * then replays the run on its own (or is merged into a colleague's store with `cache import`). The
 * audit rows let whoever replays see each answer's prompt and raw response. Works from either
 * backend: a shared PostgreSQL run can be pulled into a file for offline replay.
 *
 * @example
 * await exportCache({ source: storage.rows, target: createSqliteStorageRows(openDatabase('run.db')), run: 'doorkey-s1' })
 */
export async function exportCache(options: ExportCacheOptions): Promise<ExportCacheResult> {
  const { source, target, run } = options;
  const every = options.progressEvery ?? 10_000;
  const imageHashes = new Set<string>();
  const requestIds = new Set<string>();
  let entries = 0;
  for await (const batch of source.entries(run)) {
    await target.addEntries(batch);
    for (const row of batch) {
      if (row.image_sha256 !== null) imageHashes.add(row.image_sha256);
      requestIds.add(row.request_id);
      entries += 1;
      if (options.progress && entries % every === 0) options.progress(entries);
    }
  }
  let images = 0;
  for await (const batch of source.images([...imageHashes])) images += await target.addImages(batch);
  // An entry whose request is not in this log (from an older export, or labelled by an older
  // version) leaves without it. A request already in the target keeps its calls.
  let requests = 0;
  const ids = [...requestIds];
  for (let start = 0; start < ids.length; start += rowBatchSize) {
    for await (const batch of source.requests(ids.slice(start, start + rowBatchSize))) {
      const added = await target.addRequests(batch);
      requests += added.length;
      for await (const calls of source.calls(added)) await target.addCalls(calls);
    }
  }
  return { entries, images, requests, missingImages: imageHashes.size - images };
}
