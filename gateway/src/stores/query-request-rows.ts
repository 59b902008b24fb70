import type { SqliteDatabase } from './open-database.ts';
import { pageOfRows } from './page-of-rows.ts';
import { decodeCursor } from './request-cursor.ts';
import { sentResultSql } from './served-reference.ts';

export interface RequestRowFilter {
  run?: string;
  provider?: string;
  model?: string;
  template?: string;
  cache?: string;
  /** `ok` (2xx) or `error` (anything else). */
  status?: 'ok' | 'error';
  since?: number;
  until?: number;
}

/** One line of the viewer's request list: the columns a table shows, not the prompt or bodies. */
export interface RequestRow {
  id: string;
  time: number;
  run: string | null;
  template: string | null;
  provider: string | null;
  model: string | null;
  cache: string | null;
  method: string | null;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  upstreamCalls: number;
  status: number;
  errorCode: string | null;
  /** The label of the suggested action, read from the stored response. */
  actionLabel: string | null;
  plannerAction: number | null;
  action: number | null;
}

export interface RequestRowPage {
  rows: RequestRow[];
  nextCursor?: string;
}

/**
 * A page of the audit log's requests, newest first, for the viewer. Unlike `AuditLog.list` it
 * filters by model and leaves the prompt and response bodies in the database, so a page of
 * requests with large prompts stays cheap to render.
 *
 * @example
 * const { rows, nextCursor } = queryRequestRows(database, { run: 'ppo-7', status: 'error' }, 50)
 */
export function queryRequestRows(
  database: SqliteDatabase,
  filter: RequestRowFilter,
  limit: number,
  cursor?: string,
): RequestRowPage {
  const where: string[] = [];
  const parameters: Record<string, string | number> = {};
  for (const column of ['run', 'provider', 'model', 'template', 'cache'] as const) {
    const value = filter[column];
    if (value !== undefined) {
      where.push(`${column} = @${column}`);
      parameters[column] = value;
    }
  }
  if (filter.status === 'ok') where.push('status < 300');
  if (filter.status === 'error') where.push('status >= 300');
  if (filter.since !== undefined) {
    where.push('time >= @since');
    parameters.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push('time < @until');
    parameters.until = filter.until;
  }
  const position = cursor === undefined ? undefined : decodeCursor(cursor);
  if (position) {
    where.push('(time < @cursorTime OR (time = @cursorTime AND id < @cursorId))');
    parameters.cursorTime = position.time;
    parameters.cursorId = position.id;
  }
  parameters.limit = limit + 1;
  const rows = database
    .prepare<[Record<string, string | number>], RequestRow>(
      `SELECT id, time, run, template, provider, model, cache, method,
         latency_ms AS latencyMs, input_tokens AS inputTokens, output_tokens AS outputTokens,
         upstream_calls AS upstreamCalls, status, error_code AS errorCode,
         json_extract(${sentResultSql}, '$.actions[' || json_extract(${sentResultSql}, '$.action') || ']') AS actionLabel,
         json_extract(${sentResultSql}, '$.action') AS action,
         CASE WHEN json_type(tags, '$.plannerAction') IN ('integer', 'real')
           THEN json_extract(tags, '$.plannerAction') END AS plannerAction
       FROM requests ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY time DESC, id DESC LIMIT @limit`,
    )
    .all(parameters);
  return pageOfRows(rows, limit);
}
