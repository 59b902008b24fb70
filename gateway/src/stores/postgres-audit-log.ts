import type pg from 'pg';
import type { AuditLog, LogEntryDetail, LogFilter } from './audit-log.ts';
import type { CallRow } from './audit-log-rows.ts';
import type { PostgresGroupCommit } from './postgres-group-commit.ts';
import { pageOfRows } from './page-of-rows.ts';
import { decodeCursor, encodeCursor } from './request-cursor.ts';
import {
  fromCallRow,
  fromRequestRow,
  toCallRow,
  toRequestRow,
} from './sqlite-audit-log.ts';
import { servedColumn } from './served-reference.ts';
import type { ReadRow } from './sqlite-audit-log.ts';
import { toStorageError } from './to-storage-error.ts';

/**
 * The audit log in PostgreSQL: one log for every replica, so the viewer and `/v1/logs` on any
 * replica read the whole fleet's requests. Rows go through the group commit shared with the cache.
 */
export function createPostgresAuditLog(pool: pg.Pool, commits: PostgresGroupCommit): AuditLog {
  const read = async <Row extends pg.QueryResultRow>(text: string, values: unknown[], name?: string) => {
    try {
      return (await pool.query<Row>(name ? { name, text, values } : { text, values })).rows;
    } catch (error) {
      throw toStorageError(error, 'audit log read');
    }
  };

  function query(filter: LogFilter, limit: number, cursor?: string): Promise<ReadRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filter.run !== undefined) where.push(`run = ${bind(filter.run)}`);
    if (filter.provider !== undefined) where.push(`provider = ${bind(filter.provider)}`);
    if (filter.template !== undefined) where.push(`template = ${bind(filter.template)}`);
    if (filter.cache !== undefined) where.push(`cache = ${bind(filter.cache)}`);
    if (filter.status === 'ok') where.push('status < 300');
    else if (filter.status === 'error') where.push('status >= 300');
    else if (filter.status !== undefined) {
      where.push(
        /^\d+$/.test(filter.status) ? `status = ${bind(Number(filter.status))}` : `error_code = ${bind(filter.status)}`,
      );
    }
    if (filter.since !== undefined) where.push(`time >= ${bind(filter.since)}`);
    if (filter.until !== undefined) where.push(`time < ${bind(filter.until)}`);
    const position = cursor ? decodeCursor(cursor) : undefined;
    if (position) where.push(`(time, id) < (${bind(position.time)}, ${bind(position.id)})`);
    const sql = `SELECT *, ${servedColumn.postgres} FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY time DESC, id DESC ${limit > 0 ? `LIMIT ${bind(limit)}` : ''}`;
    return read<ReadRow>(sql, values);
  }

  return {
    record(request, calls) {
      const requestRow = toRequestRow(request);
      const callRows = calls.map(toCallRow);
      return commits.add((writes) => {
        writes.requests.push(requestRow);
        writes.calls.push(...callRows);
      });
    },
    async list(filter, limit, cursor) {
      const { rows, nextCursor } = pageOfRows(await query(filter, limit + 1, cursor), limit);
      return { entries: rows.map(fromRequestRow), ...(nextCursor !== undefined ? { nextCursor } : {}) };
    },
    async get(id): Promise<LogEntryDetail | undefined> {
      const [row] = await read<ReadRow>(`SELECT *, ${servedColumn.postgres} FROM requests WHERE id = $1`, [id], 'log_get');
      if (!row) return undefined;
      // Hits store no prompt of their own: it is the prompt of the request that filled the cache.
      if (row.prompt === null && row.cache_key !== null) {
        const [filled] = await read<{ prompt: string }>(
          'SELECT prompt FROM requests WHERE cache_key = $1 AND prompt IS NOT NULL LIMIT 1',
          [row.cache_key],
          'log_prompt_by_key',
        );
        row.prompt = filled?.prompt ?? null;
      }
      const calls = await read<CallRow & { id: string }>(
        'SELECT * FROM upstream_calls WHERE request_id = $1 ORDER BY attempt, id',
        [id],
        'log_calls',
      );
      return { ...fromRequestRow(row), upstreamCalls: calls.map((call) => fromCallRow({ ...call, id: Number(call.id) })) };
    },
    async *iterate(filter) {
      let cursor: string | undefined;
      for (;;) {
        const rows = await query(filter, 500, cursor);
        for (const row of rows) yield fromRequestRow(row);
        const last = rows[rows.length - 1];
        if (rows.length < 500 || !last) return;
        cursor = encodeCursor(last);
      }
    },
    async prune(olderThan) {
      try {
        const { rows } = await pool.query<{ deleted: number }>(
          `WITH old AS (DELETE FROM requests WHERE time < $1 RETURNING id),
             calls AS (DELETE FROM upstream_calls WHERE request_id IN (SELECT id FROM old))
           SELECT count(*)::int AS deleted FROM old`,
          [olderThan],
        );
        return rows[0]?.deleted ?? 0;
      } catch (error) {
        throw toStorageError(error, 'prune');
      }
    },
    flush: () => commits.flush(),
  };
}
