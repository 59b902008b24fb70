/**
 * @module
 * The stores' rows as a backend holds them, for copying between backends (`cache export` and
 * `cache import`, SQLite ⇄ PostgreSQL) and for `cache stats`. One zod definition per table: rows
 * from someone else's file are checked against it before they reach the gateway's cache.
 */
import { z } from 'zod';
import { jsonText } from './audit-log-rows.ts';
import type { CallRow, RequestRow } from './audit-log-rows.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const CacheRowSchema = z.object({
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
export type CacheRow = z.infer<typeof CacheRowSchema>;

export const ImageRowSchema = z.object({
  sha256: hex64,
  media_type: z.string(),
  bytes: z.instanceof(Buffer),
  created_at: z.number(),
});
export type ImageRow = z.infer<typeof ImageRowSchema>;

export interface CacheFileStats {
  entries: number;
  keys: number;
  bytes: number;
  images: { count: number; bytes: number };
  byProvider: { provider: string; model: string; entries: number }[];
  byRun: { run: string | null; entries: number }[];
}

/** Rows read in batches (memory stays flat on large stores) and written in batches, each batch one transaction. */
export interface StorageRows {
  /** Cache entries, of one run (`run` column) or all. */
  entries(run?: string): AsyncIterable<CacheRow[]>;
  /** Images by hash, or all of them. */
  images(hashes?: readonly string[]): AsyncIterable<ImageRow[]>;
  /** Logged requests by id, or all of them. */
  requests(ids?: readonly string[]): AsyncIterable<RequestRow[]>;
  /** Upstream calls of these requests (or all), in the order they were made. */
  calls(requestIds?: readonly string[]): AsyncIterable<CallRow[]>;
  /** Each insert keeps what is there already; they return what was new. */
  addEntries(rows: readonly CacheRow[]): Promise<number>;
  addImages(rows: readonly ImageRow[]): Promise<number>;
  addRequests(rows: readonly RequestRow[]): Promise<string[]>;
  addCalls(rows: readonly CallRow[]): Promise<void>;
  stats(): Promise<CacheFileStats>;
}

/** How many rows a batch holds, read or written. */
export const rowBatchSize = 1_000;
