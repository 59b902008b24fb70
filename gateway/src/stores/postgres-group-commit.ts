import type pg from 'pg';
import { GatewayError } from '../errors/gateway-error.ts';
import { rowValues } from './audit-log-rows.ts';
import type { CallRow, RequestRow } from './audit-log-rows.ts';
import type { CacheRow, ImageRow } from './storage-rows.ts';
import { toStorageError } from './to-storage-error.ts';

/** The rows one shared commit writes, by table. */
export interface PostgresWrites {
  images: ImageRow[];
  entries: { row: CacheRow; replace: boolean }[];
  requests: RequestRow[];
  calls: CallRow[];
}

/**
 * PostgreSQL's group commit: everything queued while a commit is being prepared is written by
 * one statement (one round trip, one transaction), its rows passed as arrays and unnested per
 * table. Same contract as SQLite's: writes commit in the order they were queued, a promise
 * resolves once its rows are committed, and `settled` runs before anyone can observe the outcome.
 */
export interface PostgresGroupCommit {
  add(write: (writes: PostgresWrites) => void, settled?: (error?: unknown) => void): Promise<void>;
  flush(): Promise<void>;
}

interface Queued {
  write: (writes: PostgresWrites) => void;
  settled: ((error?: unknown) => void) | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const columns = {
  images: [
    ['sha256', 'text'],
    ['media_type', 'text'],
    ['bytes', 'bytea'],
    ['created_at', 'float8'],
  ],
  cache_entries: [
    ['key', 'text'],
    ['sample', 'int4'],
    ['answer', 'text'],
    ['provider', 'text'],
    ['model', 'text'],
    ['template_id', 'text'],
    ['template_version', 'int4'],
    ['template_sha256', 'text'],
    ['components', 'text'],
    ['image_sha256', 'text'],
    ['request_id', 'text'],
    ['run', 'text'],
    ['created_at', 'float8'],
  ],
  requests: [
    ['id', 'text'],
    ['time', 'float8'],
    ['run', 'text'],
    ['tags', 'text'],
    ['template', 'text'],
    ['template_sha256', 'text'],
    ['provider', 'text'],
    ['model', 'text'],
    ['cache', 'text'],
    ['cache_key', 'text'],
    ['method', 'text'],
    ['latency_ms', 'float8'],
    ['input_tokens', 'int4'],
    ['output_tokens', 'int4'],
    ['upstream_calls', 'int4'],
    ['status', 'int4'],
    ['error_code', 'text'],
    ['error_message', 'text'],
    ['token_name', 'text'],
    ['prompt', 'text'],
    ['image_sha256', 'text'],
    ['result', 'text'],
    ['served_sample', 'int4'],
  ],
  upstream_calls: [
    ['request_id', 'text'],
    ['attempt', 'int4'],
    ['provider', 'text'],
    ['model', 'text'],
    ['started_at', 'float8'],
    ['duration_ms', 'float8'],
    ['url', 'text'],
    ['request_body', 'text'],
    ['status', 'int4'],
    ['headers', 'text'],
    ['response_body', 'text'],
    ['error_kind', 'text'],
    ['error_message', 'text'],
  ],
} as const;

type Table = keyof typeof columns;
type Conflict = 'nothing' | { update: readonly string[] };

/** Builds one `INSERT … SELECT FROM unnest($n::type[], …)` and appends its arrays to `values`. */
export function unnestInsert(table: Table, rows: readonly unknown[][], values: unknown[], conflict: Conflict): string {
  const names = columns[table].map(([name]) => name);
  const arrays = columns[table].map(([, type], column) => {
    values.push(rows.map((row) => (type === 'text' ? withoutNul(row[column]) : row[column])));
    return `$${values.length}::${type}[]`;
  });
  const onConflict =
    conflict === 'nothing'
      ? 'ON CONFLICT DO NOTHING'
      : `ON CONFLICT (${conflict.update.join(', ')}) DO UPDATE SET ${names
          .filter((name) => !conflict.update.includes(name))
          .map((name) => `${name} = EXCLUDED.${name}`)
          .join(', ')}`;
  return `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ${onConflict}`;
}

/**
 * PostgreSQL text cannot hold U+0000, which SQLite stores and a client can send inside a prompt's
 * text; one such row would fail its whole group commit. It is stored as U+FFFD.
 */
function withoutNul(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

function sortedValues<Row>(rows: Map<string, Row>, values: (row: Row) => unknown[] = (row) => row as unknown[]): unknown[][] {
  return [...rows.keys()].sort().map((key) => values(rows.get(key) as Row));
}

export function imageValues(row: ImageRow): unknown[] {
  return [row.sha256, row.media_type, row.bytes, row.created_at];
}

export function cacheValues(row: CacheRow): unknown[] {
  return columns.cache_entries.map(([name]) => row[name]);
}

/**
 * @example
 * const commits = createPostgresGroupCommit(pool)
 * await commits.add((writes) => writes.requests.push(row))
 */
export function createPostgresGroupCommit(
  pool: pg.Pool,
  schedule: (callback: () => void) => void = setImmediate,
): PostgresGroupCommit {
  let queue: Queued[] = [];
  // The last write queued: commits run in order, so it settles after every write before it.
  let last: Promise<void> = Promise.resolve();
  // One statement at a time keeps commits in queue order; writes queued meanwhile share the next.
  let running: Promise<void> = Promise.resolve();

  async function commit(batch: Queued[]): Promise<void> {
    const writes: PostgresWrites = { images: [], entries: [], requests: [], calls: [] };
    for (const item of batch) item.write(writes);
    const values: unknown[] = [];
    const statements: string[] = [];
    // Rows go in key order: two replicas committing overlapping rows then take their row locks in
    // the same order and cannot deadlock.
    if (writes.images.length > 0) {
      const images = new Map(writes.images.map((row) => [row.sha256, imageValues(row)]));
      statements.push(unnestInsert('images', sortedValues(images), values, 'nothing'));
    }
    // A statement may touch a row once: the slot's first write (kept, as SQLite's INSERT OR
    // IGNORE would) unless a later write replaces it.
    const kept = new Map<string, CacheRow>();
    const replaced = new Map<string, CacheRow>();
    for (const { row, replace } of writes.entries) {
      const slot = `${row.key}:${row.sample}`;
      if (replace) {
        kept.delete(slot);
        replaced.set(slot, row);
      } else if (!kept.has(slot) && !replaced.has(slot)) kept.set(slot, row);
    }
    if (kept.size > 0) statements.push(unnestInsert('cache_entries', sortedValues(kept, cacheValues), values, 'nothing'));
    if (replaced.size > 0) {
      statements.push(unnestInsert('cache_entries', sortedValues(replaced, cacheValues), values, { update: ['key', 'sample'] }));
    }
    if (writes.requests.length > 0) {
      // INSERT OR REPLACE, as in SQLite: the last row for an id wins.
      const requests = new Map(writes.requests.map((row) => [row.id, rowValues('requests', row)]));
      statements.push(unnestInsert('requests', sortedValues(requests), values, { update: ['id'] }));
    }
    if (writes.calls.length > 0) {
      statements.push(unnestInsert('upstream_calls', writes.calls.map((row) => rowValues('upstream_calls', row)), values, 'nothing'));
    }
    if (statements.length === 0) return;
    // One statement is one transaction: every table's rows commit together or not at all.
    const text =
      statements.length === 1
        ? statements[0]
        : `WITH ${statements.slice(1).map((statement, index) => `w${index} AS (${statement})`).join(', ')} ${statements[0]}`;
    // A deadlock or serialization failure is PostgreSQL choosing a victim among concurrent
    // statements, not a fault: the statement is run again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await pool.query(text as string, values);
        return;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      }
    }
  }

  function run(): void {
    running = running.then(async () => {
      const batch = queue;
      queue = [];
      let failure: unknown;
      let failed = false;
      try {
        await commit(batch);
      } catch (error) {
        failed = true;
        // Whatever PostgreSQL refused, the answers were not stored: the client gets a retryable
        // 503 (with PostgreSQL's reason in its details), never an answer the store lost.
        failure = toStorageError(error, 'commit');
        if (!(failure instanceof GatewayError)) {
          const code = (error as { code?: unknown }).code;
          failure = new GatewayError(
            'storage_unavailable',
            `PostgreSQL did not commit the gateway's writes (${error instanceof Error ? error.message : String(error)}); retry shortly`,
            { operation: 'commit', ...(typeof code === 'string' ? { postgresCode: code } : {}) },
            5,
          );
        }
      }
      for (const item of batch) item.settled?.(failed ? failure : undefined);
      for (const item of batch) {
        if (failed) item.reject(failure);
        else item.resolve();
      }
    });
  }

  return {
    add(write, settled) {
      const written = new Promise<void>((resolve, reject) => {
        queue.push({ write, settled, resolve, reject });
        if (queue.length === 1) schedule(run);
      });
      last = written.catch(() => undefined);
      return written;
    },
    flush: () => last,
  };
}
