/**
 * @module
 * The teacher cache: answers by cache key. Several answers ("samples") may be kept under one key
 * for stochastic teachers; a request's seed picks among them.
 */

export interface CachedAnswer {
  /** How the distribution was obtained: logprobs, samples, verbalized or vector. */
  method: string;
  probs?: number[];
  vector?: number[];
  usage: { inputTokens: number; outputTokens: number };
  warnings?: string[];
}

export interface CacheEntry {
  key: string;
  answer: CachedAnswer;
  provider: string;
  model: string;
  template: { id: string; version: number; sha256: string };
  /** The hash of each key component, so a miss can say which part differs from what is stored. */
  components: Record<string, string>;
  imageSha256?: string;
  /** Audit id of the request whose upstream call produced this answer. */
  requestId: string;
  run?: string;
  createdAt: number;
  /** Which of the key's sample slots this answer fills (0 unless the request asked for sampling). */
  sample: number;
}

export interface CacheStats {
  entries: number;
  keys: number;
  bytes: number;
}

export interface CacheStore {
  /** Every answer stored under the key, by sample slot; empty when none. */
  get(key: string): Promise<CacheEntry[]>;
  /**
   * Stores an answer in its sample slot. An occupied slot keeps its first answer unless
   * `replace` is set (record mode and `cache: "refresh"`: the newest answer is the one served).
   * `get` sees the answer at once; the promise resolves once it is durable and rejects (with
   * `storage_unavailable` for a disk or file fault) if it could not be stored.
   */
  put(entry: CacheEntry, options?: { replace?: boolean }): Promise<void>;
  stats(): Promise<CacheStats>;
  /** The most recent entries for a template, to name the nearest recorded request on a miss. */
  recent(templateId: string, limit: number): Promise<CacheEntry[]>;
}
