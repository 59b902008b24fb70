import { z } from 'zod';
import { CallRowSchema, insertStatement, jsonText, RequestRowSchema, rowValues } from '../stores/audit-log-rows.ts';
import type { SqliteDatabase } from '../stores/open-database.ts';

export interface ImportCacheOptions {
  /** The file to import, opened with `openReadOnlyDatabase`. */
  source: SqliteDatabase;
  /** The gateway's database. */
  target: SqliteDatabase;
  progress?: (rows: number) => void;
  progressEvery?: number;
}

export interface ImportCacheResult {
  entries: { added: number; present: number };
  images: { added: number; present: number };
  /** The audit rows of the requests that filled the entries (with their upstream calls). */
  requests: { added: number; present: number };
}

// The file came from someone else: every row is checked before it can reach the gateway's cache.
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const CacheRowSchema = z.object({
  key: hex64,
  sample: z.number().int().min(0),
  answer: jsonText,
  provider: z.string(),
  model: z.string(),
  template_id: z.string(),
  template_version: z.number().int(),
  template_sha256: z.string(),
  components: jsonText,
  image_sha256: hex64.nullable(),
  request_id: z.string(),
  run: z.string().nullable(),
  created_at: z.number(),
});

const ImageRowSchema = z.object({
  sha256: hex64,
  media_type: z.string(),
  bytes: z.instanceof(Buffer),
  created_at: z.number(),
});

const batchSize = 1_000;

/**
 * `teacher-gateway cache import f.db`: merges an exported cache file into the gateway's database,
 * with the audit rows of the requests that filled its entries. Entries already present keep their
 * first answer (the cache's first-writer-wins rule), so importing the same file twice changes
 * nothing the second time.
 *
 * @example
 * const counts = importCache({ source: openReadOnlyDatabase('run.db'), target: openDatabase('data/teacher.db') })
 */
export function importCache(options: ImportCacheOptions): ImportCacheResult {
  const { source, target } = options;
  const every = options.progressEvery ?? 10_000;
  const insertEntry = target.prepare(
    `INSERT OR IGNORE INTO cache_entries
       (key, sample, answer, provider, model, template_id, template_version, template_sha256,
        components, image_sha256, request_id, run, created_at)
     VALUES (@key, @sample, @answer, @provider, @model, @template_id, @template_version,
        @template_sha256, @components, @image_sha256, @request_id, @run, @created_at)`,
  );
  const insertImage = target.prepare(
    'INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (@sha256, @media_type, @bytes, @created_at)',
  );
  const insertRequest = target.prepare<unknown[]>(insertStatement('requests', 'INSERT OR IGNORE'));
  const insertCall = target.prepare<unknown[]>(insertStatement('upstream_calls'));
  const result: ImportCacheResult = {
    entries: { added: 0, present: 0 },
    images: { added: 0, present: 0 },
    requests: { added: 0, present: 0 },
  };
  // A request already logged here keeps its calls: importing twice must not log them twice.
  const addedRequests = new Set<string>();
  const insertRequests = target.transaction((rows: z.infer<typeof RequestRowSchema>[]) => {
    for (const row of rows) {
      const changes = insertRequest.run(rowValues('requests', row)).changes;
      count(result.requests, changes);
      if (changes > 0) addedRequests.add(row.id);
    }
  });
  const insertCalls = target.transaction((rows: z.infer<typeof CallRowSchema>[]) => {
    for (const row of rows) {
      if (addedRequests.has(row.request_id)) insertCall.run(rowValues('upstream_calls', row));
    }
  });
  const insertImages = target.transaction((rows: z.infer<typeof ImageRowSchema>[]) => {
    for (const row of rows) count(result.images, insertImage.run(row).changes);
  });
  const insertEntries = target.transaction((rows: z.infer<typeof CacheRowSchema>[]) => {
    for (const row of rows) count(result.entries, insertEntry.run(row).changes);
  });

  // Images first: an entry is only replayable once the image it names is there.
  copy(source.prepare('SELECT * FROM images').iterate(), ImageRowSchema, 'image', insertImages);
  let rows = 0;
  copy(source.prepare('SELECT * FROM cache_entries').iterate(), CacheRowSchema, 'cache entry', (batch) => {
    insertEntries(batch);
    const before = rows;
    rows += batch.length;
    if (options.progress && Math.floor(rows / every) > Math.floor(before / every)) options.progress(rows);
  });
  copy(source.prepare('SELECT * FROM requests').iterate(), RequestRowSchema, 'logged request', insertRequests);
  copy(source.prepare('SELECT * FROM upstream_calls ORDER BY id').iterate(), CallRowSchema, 'upstream call', insertCalls);
  return result;
}

function copy<Row>(
  rows: IterableIterator<unknown>,
  schema: z.ZodType<Row>,
  what: string,
  write: (batch: Row[]) => void,
): void {
  let batch: Row[] = [];
  for (const raw of rows) {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Batches before this one are committed: a live gateway keeps writing during a long import,
      // and importing again after fixing the file is idempotent.
      throw new Error(`the file holds an invalid ${what}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    batch.push(parsed.data);
    if (batch.length === batchSize) {
      write(batch);
      batch = [];
    }
  }
  if (batch.length > 0) write(batch);
}

function count(counts: { added: number; present: number }, changes: number): void {
  if (changes > 0) counts.added += 1;
  else counts.present += 1;
}
