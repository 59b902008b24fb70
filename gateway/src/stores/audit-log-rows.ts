/**
 * @module
 * The audit log's rows as SQLite holds them: one definition of each table's columns, their order
 * and their types. The audit log binds inserts by position from it; `cache import` validates rows
 * from someone else's file with it.
 */
import { z } from 'zod';

/** A TEXT column that must hold JSON. */
export const jsonText = z.string().refine((text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}, 'not JSON');

const text = z.string().nullable();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/).nullable();

export const RequestRowSchema = z.object({
  id: z.string().min(1),
  time: z.number(),
  run: text,
  tags: jsonText.nullable(),
  template: text,
  template_sha256: text,
  provider: text,
  model: text,
  cache: text,
  cache_key: sha256,
  method: text,
  latency_ms: z.number(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  upstream_calls: z.number().int(),
  status: z.number().int(),
  error_code: text,
  error_message: text,
  token_name: text,
  prompt: text,
  image_sha256: sha256,
  result: jsonText.nullable(),
  /** Set on a hit's row: `result` then holds only what is the request's own (see sqlite-audit-log.ts). */
  served_sample: z.number().int().nullable().default(null),
});
export type RequestRow = z.infer<typeof RequestRowSchema>;

/** An `upstream_calls` row without its own id: a copied call gets a new one. */
export const CallRowSchema = z.object({
  request_id: z.string().min(1),
  attempt: z.number().int(),
  provider: z.string(),
  model: z.string(),
  started_at: z.number(),
  duration_ms: z.number(),
  url: text,
  request_body: jsonText.nullable(),
  status: z.number().int().nullable(),
  headers: jsonText.nullable(),
  response_body: jsonText.nullable(),
  error_kind: text,
  error_message: text,
});
export type CallRow = z.infer<typeof CallRowSchema>;

const columns = {
  requests: Object.keys(RequestRowSchema.shape) as (keyof RequestRow)[],
  upstream_calls: Object.keys(CallRowSchema.shape) as (keyof CallRow)[],
};

/** `INSERT … (columns) VALUES (?, …)` for one of the audit log's tables, bound by `rowValues`. */
export function insertStatement(table: keyof typeof columns, verb = 'INSERT'): string {
  const names = columns[table];
  return `${verb} INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
}

/** A row's values in its table's column order (better-sqlite3 binds by name much more slowly). */
export function rowValues(table: 'requests', row: Record<keyof RequestRow, unknown>): unknown[];
export function rowValues(table: 'upstream_calls', row: Record<keyof CallRow, unknown>): unknown[];
export function rowValues(table: keyof typeof columns, row: Record<string, unknown>): unknown[] {
  return columns[table].map((column) => row[column]);
}
