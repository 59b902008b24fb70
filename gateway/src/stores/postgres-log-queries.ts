import type pg from 'pg';
import type { LogQueries } from './log-queries.ts';
import type { RequestRow } from './query-request-rows.ts';
import { pageOfRows } from './page-of-rows.ts';
import { decodeCursor } from './request-cursor.ts';
import type { ErrorRow, GroupRow } from './summarize-runs.ts';
import { combineRunGroups } from './summarize-runs.ts';
import { sentResultSql } from './served-reference.ts';
import { toStorageError } from './to-storage-error.ts';

// JSON columns are text (rows copy between backends unchanged); these read them as jsonb, which
// refuses the escape \u0000 that JSON (and so a client's tag or label) may hold.
const asJsonb = (text: string) => `replace(${text}, '\\u0000', '\\uFFFD')::jsonb`;
const result = `(${asJsonb(sentResultSql)})`;
const tags = `(${asJsonb('tags')})`;
const integerAction = `(jsonb_typeof(${result}->'action') = 'number' AND ${result}->>'action' ~ '^-?[0-9]+$')`;
const plannerNumber = `(jsonb_typeof(${tags}->'plannerAction') = 'number')`;

/** The viewer's queries in PostgreSQL: the same answers as SQLite's, in its SQL dialect. */
export function createPostgresLogQueries(pool: pg.Pool): LogQueries {
  const read = async <Row extends pg.QueryResultRow>(text: string, values: unknown[]) => {
    try {
      return (await pool.query<Row>(text, values)).rows;
    } catch (error) {
      throw toStorageError(error, 'audit log read');
    }
  };
  return {
    async requestRows(filter, limit, cursor) {
      const where: string[] = [];
      const values: unknown[] = [];
      const bind = (value: unknown) => {
        values.push(value);
        return `$${values.length}`;
      };
      for (const column of ['run', 'provider', 'model', 'template', 'cache'] as const) {
        const value = filter[column];
        if (value !== undefined) where.push(`${column} = ${bind(value)}`);
      }
      if (filter.status === 'ok') where.push('status < 300');
      if (filter.status === 'error') where.push('status >= 300');
      if (filter.since !== undefined) where.push(`time >= ${bind(filter.since)}`);
      if (filter.until !== undefined) where.push(`time < ${bind(filter.until)}`);
      const position = cursor === undefined ? undefined : decodeCursor(cursor);
      if (position) where.push(`(time, id) < (${bind(position.time)}, ${bind(position.id)})`);
      const rows = await read<RequestRow>(
        `SELECT id, time, run, template, provider, model, cache, method,
           latency_ms AS "latencyMs", input_tokens AS "inputTokens", output_tokens AS "outputTokens",
           upstream_calls AS "upstreamCalls", status, error_code AS "errorCode",
           CASE WHEN ${integerAction} THEN ${result}->'actions'->>((${result}->>'action')::int) END AS "actionLabel",
           CASE WHEN ${integerAction} THEN (${result}->>'action')::int END AS action,
           CASE WHEN ${plannerNumber} THEN (${tags}->>'plannerAction')::float8 END AS "plannerAction"
         FROM requests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY time DESC, id DESC LIMIT ${bind(limit + 1)}`,
        values,
      );
      return pageOfRows(rows, limit);
    },
    async facets() {
      const values = async (sql: string) => (await read<{ value: string }>(sql, [200])).map((row) => row.value);
      return {
        runs: await values(
          'SELECT run AS value FROM requests WHERE run IS NOT NULL GROUP BY run ORDER BY MAX(time) DESC LIMIT $1',
        ),
        providers: await values('SELECT DISTINCT provider AS value FROM requests WHERE provider IS NOT NULL ORDER BY 1 LIMIT $1'),
        models: await values('SELECT DISTINCT model AS value FROM requests WHERE model IS NOT NULL ORDER BY 1 LIMIT $1'),
        templates: await values('SELECT DISTINCT template AS value FROM requests WHERE template IS NOT NULL ORDER BY 1 LIMIT $1'),
      };
    },
    async summarizeRuns(options) {
      const where = options.run === undefined ? '' : 'WHERE run = $1';
      const values = options.run === undefined ? [] : [options.run];
      const comparable = `(status < 300 AND ${plannerNumber} AND ${integerAction})`;
      const groups = await read<GroupRow>(
        `SELECT run, provider,
           MIN(time) AS first_time, MAX(time) AS last_time,
           COUNT(*)::float8 AS requests,
           SUM(upstream_calls)::float8 AS upstream_calls,
           ${count("cache = 'hit'")} AS hit,
           ${count("cache = 'miss'")} AS miss,
           ${count("cache = 'coalesced'")} AS coalesced,
           ${count("cache = 'replayed'")} AS replayed,
           SUM(CASE WHEN cache = 'miss' THEN input_tokens ELSE 0 END)::float8 AS spent_input,
           SUM(CASE WHEN cache = 'miss' THEN output_tokens ELSE 0 END)::float8 AS spent_output,
           SUM(CASE WHEN status < 300 AND cache IN ('hit', 'replayed', 'coalesced') THEN input_tokens ELSE 0 END)::float8 AS saved_input,
           SUM(CASE WHEN status < 300 AND cache IN ('hit', 'replayed', 'coalesced') THEN output_tokens ELSE 0 END)::float8 AS saved_output,
           ${count('status >= 300')} AS errors,
           ${count(comparable)} AS compared,
           ${count(`${comparable} AND (${tags}->'plannerAction') = (${result}->'action')`)} AS agreed
         FROM requests ${where}
         GROUP BY run, provider`,
        values,
      );
      const errorRows = await read<ErrorRow>(
        `SELECT run, error_code, COUNT(*)::float8 AS count FROM requests
         ${where ? `${where} AND` : 'WHERE'} status >= 300
         GROUP BY run, error_code`,
        values,
      );
      return combineRunGroups(groups, errorRows, options.pricing);
    },
  };
}

function count(condition: string): string {
  return `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)::float8`;
}
