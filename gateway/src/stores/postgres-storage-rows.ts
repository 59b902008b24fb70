import type pg from 'pg';
import { rowValues } from './audit-log-rows.ts';
import type { CallRow, RequestRow } from './audit-log-rows.ts';
import { cacheValues, imageValues, unnestInsert } from './postgres-group-commit.ts';
import type { CacheFileStats, CacheRow, ImageRow, StorageRows } from './storage-rows.ts';
import { rowBatchSize } from './storage-rows.ts';

/**
 * The stores' rows in PostgreSQL, for `cache export/import/stats`. Reads page by key so memory
 * stays flat and a live fleet keeps writing meanwhile; each write batch is one statement.
 *
 * @example
 * await importCache({ source: createSqliteStorageRows(openReadOnlyDatabase('run.db')), target: createPostgresStorageRows(pool) })
 */
export function createPostgresStorageRows(pool: pg.Pool): StorageRows {
  const rows = async <Row extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    (await pool.query<Row>(text, values)).rows;
  async function* byIds<Row extends pg.QueryResultRow>(sql: string, ids: readonly string[]): AsyncGenerator<Row[]> {
    for (let start = 0; start < ids.length; start += rowBatchSize) {
      const batch = await rows<Row>(sql, [ids.slice(start, start + rowBatchSize)]);
      if (batch.length > 0) yield batch;
    }
  }
  return {
    async *entries(run) {
      // Keyset pages on the primary key: no cursor held open across a long copy.
      let after: [string, number] = ['', -1];
      for (;;) {
        const batch = await rows<CacheRow>(
          `SELECT * FROM cache_entries WHERE (key, sample) > ($1, $2) ${run === undefined ? '' : 'AND run = $4'}
           ORDER BY key, sample LIMIT $3`,
          run === undefined ? [...after, rowBatchSize] : [...after, rowBatchSize, run],
        );
        if (batch.length > 0) yield batch;
        const last = batch.at(-1);
        if (batch.length < rowBatchSize || !last) return;
        after = [last.key, last.sample];
      }
    },
    async *images(hashes) {
      const columns = 'sha256, media_type, bytes, created_at';
      if (hashes !== undefined) {
        yield* byIds<ImageRow>(`SELECT ${columns} FROM images WHERE sha256 = ANY($1::text[])`, hashes);
        return;
      }
      let after = '';
      for (;;) {
        const batch = await rows<ImageRow>(
          `SELECT ${columns} FROM images WHERE sha256 > $1 ORDER BY sha256 LIMIT $2`,
          [after, rowBatchSize],
        );
        if (batch.length > 0) yield batch;
        const last = batch.at(-1);
        if (batch.length < rowBatchSize || !last) return;
        after = last.sha256;
      }
    },
    async *requests(ids) {
      if (ids !== undefined) {
        yield* byIds<RequestRow>('SELECT * FROM requests WHERE id = ANY($1::text[])', ids);
        return;
      }
      let after = '';
      for (;;) {
        const batch = await rows<RequestRow>('SELECT * FROM requests WHERE id > $1 ORDER BY id LIMIT $2', [after, rowBatchSize]);
        if (batch.length > 0) yield batch;
        const last = batch.at(-1);
        if (batch.length < rowBatchSize || !last) return;
        after = last.id;
      }
    },
    async *calls(requestIds) {
      const withoutId = (batch: (CallRow & { id: string })[]): CallRow[] => batch.map(({ id: _id, ...row }) => row);
      if (requestIds !== undefined) {
        for await (const batch of byIds<CallRow & { id: string }>(
          'SELECT * FROM upstream_calls WHERE request_id = ANY($1::text[]) ORDER BY id',
          requestIds,
        )) {
          yield withoutId(batch);
        }
        return;
      }
      let after = '0';
      for (;;) {
        const batch = await rows<CallRow & { id: string }>(
          'SELECT * FROM upstream_calls WHERE id > $1 ORDER BY id LIMIT $2',
          [after, rowBatchSize],
        );
        if (batch.length > 0) yield withoutId(batch);
        const last = batch.at(-1);
        if (batch.length < rowBatchSize || !last) return;
        after = last.id;
      }
    },
    async addEntries(batch) {
      const values: unknown[] = [];
      const sql = unnestInsert('cache_entries', dedupe(batch, (row) => `${row.key}:${row.sample}`).map(cacheValues), values, 'nothing');
      return (await pool.query(sql, values)).rowCount ?? 0;
    },
    async addImages(batch) {
      const values: unknown[] = [];
      const sql = unnestInsert('images', dedupe(batch, (row) => row.sha256).map(imageValues), values, 'nothing');
      return (await pool.query(sql, values)).rowCount ?? 0;
    },
    async addRequests(batch) {
      const values: unknown[] = [];
      const unique = dedupe(batch, (row) => row.id);
      const sql = `${unnestInsert('requests', unique.map((row) => rowValues('requests', row)), values, 'nothing')} RETURNING id`;
      return (await pool.query<{ id: string }>(sql, values)).rows.map((row) => row.id);
    },
    async addCalls(batch) {
      const values: unknown[] = [];
      await pool.query(unnestInsert('upstream_calls', batch.map((row) => rowValues('upstream_calls', row)), values, 'nothing'), values);
    },
    async stats(): Promise<CacheFileStats> {
      const [totals] = await rows<{ entries: number; keys: number; bytes: number }>(
        `SELECT count(*)::float8 AS entries, count(DISTINCT key)::float8 AS keys,
           coalesce(sum(octet_length(answer) + octet_length(components)), 0)::float8 AS bytes FROM cache_entries`,
        [],
      );
      const [images] = await rows<{ count: number; bytes: number }>(
        'SELECT count(*)::float8 AS count, coalesce(sum(octet_length(bytes)), 0)::float8 AS bytes FROM images',
        [],
      );
      return {
        ...(totals ?? { entries: 0, keys: 0, bytes: 0 }),
        images: images ?? { count: 0, bytes: 0 },
        byProvider: await rows(
          'SELECT provider, model, count(*)::float8 AS entries FROM cache_entries GROUP BY provider, model ORDER BY entries DESC',
          [],
        ),
        byRun: await rows('SELECT run, count(*)::float8 AS entries FROM cache_entries GROUP BY run ORDER BY entries DESC', []),
      };
    },
  };
}

// One statement may not insert the same key twice; the first row wins, as a row-by-row insert would.
function dedupe<Row>(rows: readonly Row[], key: (row: Row) => string): Row[] {
  const seen = new Map<string, Row>();
  for (const row of rows) if (!seen.has(key(row))) seen.set(key(row), row);
  return [...seen.values()];
}
