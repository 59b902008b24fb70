import { insertStatement, rowValues } from './audit-log-rows.ts';
import type { CallRow, RequestRow } from './audit-log-rows.ts';
import type { SqliteDatabase } from './open-database.ts';
import { sqliteInsertCacheEntry } from './sqlite-insert-cache-entry.ts';
import type { CacheFileStats, CacheRow, ImageRow, StorageRows } from './storage-rows.ts';
import { rowBatchSize } from './storage-rows.ts';

/**
 * The stores' rows in a SQLite file: the gateway's own database or an exported cache file.
 *
 * @example
 * for await (const batch of createSqliteStorageRows(database).entries('doorkey-s1')) console.log(batch.length)
 */
export function createSqliteStorageRows(database: SqliteDatabase): StorageRows {
  const insertEntry = database.prepare(sqliteInsertCacheEntry('keep'));
  const insertImage = database.prepare(
    'INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (@sha256, @media_type, @bytes, @created_at)',
  );
  const insertRequest = database.prepare<unknown[]>(insertStatement('requests', 'INSERT OR IGNORE'));
  const insertCall = database.prepare<unknown[]>(insertStatement('upstream_calls'));
  const selectImage = database.prepare<[string], ImageRow>('SELECT sha256, media_type, bytes, created_at FROM images WHERE sha256 = ?');
  const selectRequest = database.prepare<[string], RequestRow>('SELECT * FROM requests WHERE id = ?');
  const selectCalls = database.prepare<[string], CallRow & { id: number }>(
    'SELECT * FROM upstream_calls WHERE request_id = ? ORDER BY id',
  );

  const addEntries = database.transaction((rows: readonly CacheRow[]) =>
    rows.reduce((added, row) => added + insertEntry.run(row).changes, 0),
  );
  const addImages = database.transaction((rows: readonly ImageRow[]) =>
    rows.reduce((added, row) => added + insertImage.run(row).changes, 0),
  );
  const addRequests = database.transaction((rows: readonly RequestRow[]) =>
    rows.filter((row) => insertRequest.run(rowValues('requests', row)).changes > 0).map((row) => row.id),
  );
  const addCalls = database.transaction((rows: readonly CallRow[]) => {
    for (const row of rows) insertCall.run(rowValues('upstream_calls', row));
  });

  return {
    entries: (run) =>
      batches(
        run === undefined
          ? database.prepare<[], CacheRow>('SELECT * FROM cache_entries').iterate()
          : database.prepare<[string], CacheRow>('SELECT * FROM cache_entries WHERE run = ?').iterate(run),
      ),
    images: (hashes) =>
      batches(
        hashes === undefined
          ? database.prepare<[], ImageRow>('SELECT sha256, media_type, bytes, created_at FROM images').iterate()
          : lookUp(hashes, (sha256) => selectImage.get(sha256)),
      ),
    requests: (ids) =>
      batches(
        ids === undefined
          ? database.prepare<[], RequestRow>('SELECT * FROM requests').iterate()
          : lookUp(ids, (id) => selectRequest.get(id)),
      ),
    calls: (requestIds) =>
      batches(
        requestIds === undefined
          ? database.prepare<[], CallRow & { id: number }>('SELECT * FROM upstream_calls ORDER BY id').iterate()
          : callsOf(requestIds, (id) => selectCalls.all(id)),
        withoutId,
      ),
    addEntries: async (rows) => addEntries(rows),
    addImages: async (rows) => addImages(rows),
    addRequests: async (rows) => addRequests(rows),
    addCalls: async (rows) => addCalls(rows),
    async stats(): Promise<CacheFileStats> {
      const totals = database
        .prepare<[], { entries: number; keys: number; bytes: number }>(
          `SELECT count(*) AS entries, count(DISTINCT key) AS keys,
             coalesce(sum(length(answer) + length(components)), 0) AS bytes FROM cache_entries`,
        )
        .get() ?? { entries: 0, keys: 0, bytes: 0 };
      const images = database
        .prepare<[], { count: number; bytes: number }>(
          'SELECT count(*) AS count, coalesce(sum(length(bytes)), 0) AS bytes FROM images',
        )
        .get() ?? { count: 0, bytes: 0 };
      return {
        ...totals,
        images,
        byProvider: database
          .prepare<[], { provider: string; model: string; entries: number }>(
            'SELECT provider, model, count(*) AS entries FROM cache_entries GROUP BY provider, model ORDER BY entries DESC',
          )
          .all(),
        byRun: database
          .prepare<[], { run: string | null; entries: number }>(
            'SELECT run, count(*) AS entries FROM cache_entries GROUP BY run ORDER BY entries DESC',
          )
          .all(),
      };
    },
  };
}

function* lookUp<Row>(keys: readonly string[], read: (key: string) => Row | undefined): Generator<Row> {
  for (const key of keys) {
    const row = read(key);
    if (row !== undefined) yield row;
  }
}

function* callsOf<Row>(ids: readonly string[], read: (id: string) => Row[]): Generator<Row> {
  for (const id of ids) yield* read(id);
}

function withoutId({ id: _id, ...row }: CallRow & { id: number }): CallRow {
  return row;
}

// Iterating reads lazily; the consumer writes a batch per transaction.
async function* batches<Raw, Row = Raw>(
  rows: Iterable<Raw>,
  map: (row: Raw) => Row = (row) => row as unknown as Row,
): AsyncGenerator<Row[]> {
  let batch: Row[] = [];
  for (const row of rows) {
    batch.push(map(row));
    if (batch.length === rowBatchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
