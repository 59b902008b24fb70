import type { z } from 'zod';
import { CallRowSchema, RequestRowSchema } from '../stores/audit-log-rows.ts';
import type { StorageRows } from '../stores/storage-rows.ts';
import { CacheRowSchema, ImageRowSchema } from '../stores/storage-rows.ts';

export interface ImportCacheOptions {
  /** The file to import (`openReadOnlyDatabase` under `createSqliteStorageRows`). */
  source: StorageRows;
  /** The gateway's stores (SQLite or PostgreSQL). */
  target: StorageRows;
  progress?: (rows: number) => void;
  progressEvery?: number;
}

export interface ImportCacheResult {
  entries: { added: number; present: number };
  images: { added: number; present: number };
  /** The audit rows of the requests that filled the entries (with their upstream calls). */
  requests: { added: number; present: number };
}

/**
 * `teacher-gateway cache import f.db`: merges an exported cache file into the gateway's stores,
 * with the audit rows of the requests that filled its entries. Entries already present keep their
 * first answer (the cache's first-writer-wins rule), so importing the same file twice changes
 * nothing the second time. A laptop's run is pushed to a shared PostgreSQL store this way.
 *
 * @example
 * const counts = await importCache({ source: createSqliteStorageRows(openReadOnlyDatabase('run.db')), target: storage.rows })
 */
export async function importCache(options: ImportCacheOptions): Promise<ImportCacheResult> {
  const { source, target } = options;
  const every = options.progressEvery ?? 10_000;
  const result: ImportCacheResult = {
    entries: { added: 0, present: 0 },
    images: { added: 0, present: 0 },
    requests: { added: 0, present: 0 },
  };
  // The file came from someone else: every row is checked before it can reach the gateway's cache.
  // Images first: an entry is only replayable once the image it names is there.
  for await (const batch of source.images()) {
    count(result.images, batch.length, await target.addImages(check(batch, ImageRowSchema, 'image')));
  }
  let rows = 0;
  for await (const batch of source.entries()) {
    count(result.entries, batch.length, await target.addEntries(check(batch, CacheRowSchema, 'cache entry')));
    const before = rows;
    rows += batch.length;
    if (options.progress && Math.floor(rows / every) > Math.floor(before / every)) options.progress(rows);
  }
  // A request already logged here keeps its calls: importing twice must not log them twice.
  const addedRequests = new Set<string>();
  for await (const batch of source.requests()) {
    const added = await target.addRequests(check(batch, RequestRowSchema, 'logged request'));
    count(result.requests, batch.length, added.length);
    for (const id of added) addedRequests.add(id);
  }
  for await (const batch of source.calls()) {
    const calls = check(batch, CallRowSchema, 'upstream call').filter((call) => addedRequests.has(call.request_id));
    if (calls.length > 0) await target.addCalls(calls);
  }
  return result;
}

function check<Row>(batch: readonly unknown[], schema: z.ZodType<Row>, what: string): Row[] {
  return batch.map((raw) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    // Batches before this one are committed: a live gateway keeps writing during a long import,
    // and importing again after fixing the file is idempotent.
    throw new Error(`the file holds an invalid ${what}: ${issue?.path.join('.')}: ${issue?.message}`);
  });
}

function count(counts: { added: number; present: number }, rows: number, added: number): void {
  counts.added += added;
  counts.present += rows - added;
}
