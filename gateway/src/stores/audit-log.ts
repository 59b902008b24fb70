/**
 * @module
 * The audit log: one row per suggestion request and one per upstream call, linked by request id.
 */

export interface RequestRecord {
  id: string;
  time: number;
  tags?: Record<string, string | number>;
  template?: string;
  templateSha256?: string;
  provider?: string;
  model?: string;
  cache?: string;
  cacheKey?: string;
  method?: string;
  latencyMs: number;
  usage: { inputTokens: number; outputTokens: number; upstreamCalls: number };
  status: number;
  errorCode?: string;
  errorMessage?: string;
  /** The name of the bearer token that made the request, never the token. */
  tokenName?: string;
  /** The rendered prompt, image parts shown by hash. */
  prompt?: string;
  imageSha256?: string;
  /** The response body sent to the client (or the error body). */
  result?: unknown;
  /**
   * The sample slot of the cache entry that answered. A hit's row stores a reference to that
   * entry (key and slot) instead of a copy of the answer, and the log rebuilds the response on read.
   */
  sample?: number;
}

export interface UpstreamCallRecord {
  requestId: string;
  attempt: number;
  provider: string;
  model: string;
  startedAt: number;
  durationMs: number;
  url?: string;
  /** As sent, with image bytes replaced by their hashes and secrets removed. */
  requestBody?: unknown;
  status?: number;
  headers?: Record<string, string>;
  responseBody?: unknown;
  errorKind?: string;
  errorMessage?: string;
}

export interface LogFilter {
  run?: string;
  provider?: string;
  cache?: string;
  /** `ok` (2xx), `error` (anything else) or an HTTP status. */
  status?: string;
  template?: string;
  since?: number;
  until?: number;
}

export interface LogPage {
  entries: RequestRecord[];
  nextCursor?: string;
}

export interface LogEntryDetail extends RequestRecord {
  upstreamCalls: (UpstreamCallRecord & { id: number })[];
}

export interface AuditLog {
  /** Resolves once the rows are committed; the gateway answers only after that. */
  record(request: RequestRecord, calls: UpstreamCallRecord[]): Promise<void>;
  list(filter: LogFilter, limit: number, cursor?: string): Promise<LogPage>;
  get(id: string): Promise<LogEntryDetail | undefined>;
  /** Every matching entry, newest first, without loading them all at once. */
  iterate(filter: LogFilter): AsyncIterableIterator<RequestRecord>;
  /** Deletes requests (and their calls) older than the time; returns how many. */
  prune(olderThan: number): Promise<number>;
  /** Waits for pending writes. */
  flush(): Promise<void>;
}
