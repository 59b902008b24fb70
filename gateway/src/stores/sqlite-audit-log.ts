import type {
  AuditLog,
  LogEntryDetail,
  LogFilter,
  RequestRecord,
  UpstreamCallRecord,
} from './audit-log.ts';
import type { SqliteDatabase } from './open-database.ts';
import { insertStatement, rowValues } from './audit-log-rows.ts';
import type { CallRow, RequestRow } from './audit-log-rows.ts';
import type { GroupCommit } from './group-commit.ts';
import { createGroupCommit } from './group-commit.ts';
import { pageOfRows } from './page-of-rows.ts';
import { decodeCursor, encodeCursor } from './request-cursor.ts';
import { rebuildServed, servedColumn, servedDelta, servedSlot } from './served-reference.ts';

/** A call as read back, with its own id. */
type StoredCallRow = CallRow & { id: number };

/**
 * The audit log in SQLite. Rows go through the group commit it is given (shared with the cache
 * and images in the gateway), so every `record` promise resolves only after its rows are
 * committed, and a miss's answer and its audit rows cost one commit.
 */
export function createSqliteAuditLog(
  database: SqliteDatabase,
  commits: GroupCommit = createGroupCommit(database),
): AuditLog {
  // Bound by position: better-sqlite3 looks each named parameter up by name, a quarter of an insert.
  const insertRequest = database.prepare<unknown[]>(insertStatement('requests', 'INSERT OR REPLACE'));
  const insertCall = database.prepare<unknown[]>(insertStatement('upstream_calls'));
  const selectOne = database.prepare<[string], ReadRow>(`SELECT *, ${servedColumn.sqlite} FROM requests WHERE id = ?`);
  const selectPromptByKey = database.prepare<[string], { prompt: string }>(
    'SELECT prompt FROM requests WHERE cache_key = ? AND prompt IS NOT NULL LIMIT 1',
  );
  const selectCalls = database.prepare<[string], StoredCallRow>(
    'SELECT * FROM upstream_calls WHERE request_id = ? ORDER BY attempt, id',
  );
  const pruneCalls = database.prepare(
    'DELETE FROM upstream_calls WHERE request_id IN (SELECT id FROM requests WHERE time < ?)',
  );
  const pruneRequests = database.prepare('DELETE FROM requests WHERE time < ?');

  function query(filter: LogFilter, limit: number, cursor?: string): ReadRow[] {
    const where: string[] = [];
    const parameters: Record<string, string | number> = {};
    if (filter.run !== undefined) {
      where.push('run = @run');
      parameters.run = filter.run;
    }
    if (filter.provider !== undefined) {
      where.push('provider = @provider');
      parameters.provider = filter.provider;
    }
    if (filter.template !== undefined) {
      where.push('template = @template');
      parameters.template = filter.template;
    }
    if (filter.cache !== undefined) {
      where.push('cache = @cache');
      parameters.cache = filter.cache;
    }
    if (filter.status === 'ok') where.push('status < 300');
    else if (filter.status === 'error') where.push('status >= 300');
    else if (filter.status !== undefined) {
      where.push('(status = @status OR error_code = @status)');
      parameters.status = /^\d+$/.test(filter.status) ? Number(filter.status) : filter.status;
    }
    if (filter.since !== undefined) {
      where.push('time >= @since');
      parameters.since = filter.since;
    }
    if (filter.until !== undefined) {
      where.push('time < @until');
      parameters.until = filter.until;
    }
    const position = cursor ? decodeCursor(cursor) : undefined;
    if (position) {
      where.push('(time < @cursorTime OR (time = @cursorTime AND id < @cursorId))');
      parameters.cursorTime = position.time;
      parameters.cursorId = position.id;
    }
    const sql = `SELECT *, ${servedColumn.sqlite} FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY time DESC, id DESC ${limit > 0 ? 'LIMIT @limit' : ''}`;
    if (limit > 0) parameters.limit = limit;
    return database.prepare<[Record<string, string | number>], ReadRow>(sql).all(parameters);
  }

  return {
    record(request, calls) {
      // Serialised now, so a value JSON cannot write fails this request alone, not its batch.
      const requestValues = rowValues('requests', toRequestRow(request));
      const callValues = calls.map((call) => rowValues('upstream_calls', toCallRow(call)));
      return commits.add(() => {
        insertRequest.run(requestValues);
        for (const values of callValues) insertCall.run(values);
      });
    },
    async list(filter, limit, cursor) {
      const { rows, nextCursor } = pageOfRows(query(filter, limit + 1, cursor), limit);
      return { entries: rows.map(fromRequestRow), ...(nextCursor !== undefined ? { nextCursor } : {}) };
    },
    async get(id): Promise<LogEntryDetail | undefined> {
      const row = selectOne.get(id);
      if (!row) return undefined;
      // Hits store no prompt of their own: it is, by construction of the key, the prompt of the
      // request that filled the cache.
      if (row.prompt === null && row.cache_key !== null)
        row.prompt = selectPromptByKey.get(row.cache_key)?.prompt ?? null;
      return { ...fromRequestRow(row), upstreamCalls: selectCalls.all(id).map(fromCallRow) };
    },
    async *iterate(filter) {
      let cursor: string | undefined;
      // Pages keep memory flat on large exports while the writer keeps going.
      for (;;) {
        const rows = query(filter, 500, cursor);
        for (const row of rows) yield fromRequestRow(row);
        const last = rows[rows.length - 1];
        if (rows.length < 500 || !last) return;
        cursor = encodeCursor(last);
      }
    },
    async prune(olderThan) {
      return database.transaction(() => {
        pruneCalls.run(olderThan);
        return pruneRequests.run(olderThan).changes;
      })();
    },
    flush: () => commits.flush(),
  };
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parse<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

export function toRequestRow(request: RequestRecord): RequestRow {
  const run = request.tags?.run;
  const served = servedSlot(request);
  return {
    id: request.id,
    time: request.time,
    run: run === undefined ? null : String(run),
    tags: json(request.tags),
    template: request.template ?? null,
    // A reference row reads these from the entry it served.
    template_sha256: served === undefined ? (request.templateSha256 ?? null) : null,
    provider: request.provider ?? null,
    model: request.model ?? null,
    cache: request.cache ?? null,
    cache_key: request.cacheKey ?? null,
    method: request.method ?? null,
    latency_ms: request.latencyMs,
    input_tokens: request.usage.inputTokens,
    output_tokens: request.usage.outputTokens,
    upstream_calls: request.usage.upstreamCalls,
    status: request.status,
    error_code: request.errorCode ?? null,
    error_message: request.errorMessage ?? null,
    token_name: request.tokenName ?? null,
    prompt: request.prompt ?? null,
    image_sha256: served === undefined ? (request.imageSha256 ?? null) : null,
    result: json(served === undefined ? request.result : servedDelta(request.result)),
    served_sample: served ?? null,
  };
}

/** A row as the log reads it: with the entry it served, for a hit's reference row. */
export type ReadRow = RequestRow & { served?: string | null };

export function fromRequestRow(row: ReadRow): RequestRecord {
  const served = row.served_sample !== null && row.served ? rebuildServed(row, row.served) : undefined;
  const optional = {
    tags: parse<Record<string, string | number>>(row.tags),
    template: row.template,
    templateSha256: served?.templateSha256 ?? row.template_sha256,
    provider: row.provider,
    model: row.model,
    cache: row.cache,
    cacheKey: row.cache_key,
    method: row.method,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    tokenName: row.token_name,
    prompt: row.prompt,
    imageSha256: served ? served.imageSha256 : row.image_sha256,
    result: served ? served.result : parse<unknown>(row.result),
  };
  return {
    id: row.id,
    time: row.time,
    latencyMs: row.latency_ms,
    usage: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      upstreamCalls: row.upstream_calls,
    },
    status: row.status,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value != null)),
  };
}

export function toCallRow(call: UpstreamCallRecord): CallRow {
  return {
    request_id: call.requestId,
    attempt: call.attempt,
    provider: call.provider,
    model: call.model,
    started_at: call.startedAt,
    duration_ms: call.durationMs,
    url: call.url ?? null,
    request_body: json(call.requestBody),
    status: call.status ?? null,
    headers: json(call.headers),
    response_body: json(call.responseBody),
    error_kind: call.errorKind ?? null,
    error_message: call.errorMessage ?? null,
  };
}

export function fromCallRow(row: StoredCallRow): UpstreamCallRecord & { id: number } {
  const optional = {
    url: row.url,
    requestBody: parse<unknown>(row.request_body),
    status: row.status,
    headers: parse<Record<string, string>>(row.headers),
    responseBody: parse<unknown>(row.response_body),
    errorKind: row.error_kind,
    errorMessage: row.error_message,
  };
  return {
    id: row.id,
    requestId: row.request_id,
    attempt: row.attempt,
    provider: row.provider,
    model: row.model,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value != null)),
  };
}
