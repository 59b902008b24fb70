/**
 * @module
 * A hit's audit row as a reference: the cache key and sample slot it served, and in `result` only
 * what is the request's own (latency, fallback). A copy of the answer cost ~1 KB a hit; the
 * response is rebuilt on read from the entry and the response of the request that filled it
 * (same key, so same prompt, actions and answer).
 */
import type { RequestRecord } from './audit-log.ts';

const servedOutcomes = new Set(['hit', 'replayed', 'coalesced']);

interface Delta {
  latencyMs?: number;
  fallbackFrom?: string;
}

/** The slot a hit served, when its row can be a reference; undefined for misses and errors. */
export function servedSlot(request: RequestRecord): number | undefined {
  const result = request.result as Record<string, unknown> | undefined;
  const referable =
    request.status < 300 &&
    request.cache !== undefined &&
    servedOutcomes.has(request.cache) &&
    request.cacheKey !== undefined &&
    request.sample !== undefined &&
    typeof result === 'object' &&
    result !== null &&
    result.cacheKey === request.cacheKey;
  return referable ? request.sample : undefined;
}

/** What the reference row keeps in `result`. */
export function servedDelta(result: unknown): Delta {
  const { latencyMs, fallbackFrom } = result as Delta;
  return { ...(latencyMs !== undefined ? { latencyMs } : {}), ...(fallbackFrom !== undefined ? { fallbackFrom } : {}) };
}

/**
 * The entry a reference row served and the response of the request that filled it, as one JSON
 * text, selected beside `requests.*` (`… AS served`). NULL for rows that are not references.
 */
export const servedColumn = {
  sqlite: `(SELECT json_object('result', f.result, 'answer', e.answer, 'provider', e.provider, 'model', e.model,
      'template', json_object('id', e.template_id, 'version', e.template_version, 'sha256', e.template_sha256),
      'imageSha256', e.image_sha256)
    FROM cache_entries e LEFT JOIN requests f ON f.id = e.request_id
    WHERE requests.served_sample IS NOT NULL AND e.key = requests.cache_key AND e.sample = requests.served_sample) AS served`,
  postgres: `(SELECT json_build_object('result', f.result, 'answer', e.answer, 'provider', e.provider, 'model', e.model,
      'template', json_build_object('id', e.template_id, 'version', e.template_version, 'sha256', e.template_sha256),
      'imageSha256', e.image_sha256)::text
    FROM cache_entries e LEFT JOIN requests f ON f.id = e.request_id
    WHERE requests.served_sample IS NOT NULL AND e.key = requests.cache_key AND e.sample = requests.served_sample) AS served`,
};

/** The response a row sent, as SQL on `requests`: its own `result`, or for a reference the filling request's. */
export const sentResultSql = `(CASE WHEN requests.served_sample IS NULL THEN requests.result ELSE
  (SELECT f.result FROM cache_entries e JOIN requests f ON f.id = e.request_id
   WHERE e.key = requests.cache_key AND e.sample = requests.served_sample) END)`;

interface Served {
  result: string | null;
  answer: string;
  provider: string;
  model: string;
  template: { id: string; version: number; sha256: string };
  imageSha256: string | null;
}

/**
 * Rebuilds a reference row's response and hashes. Without the filling request's row (pruned) the
 * response is rebuilt from the entry alone, without the action labels.
 */
export function rebuildServed(
  row: { id: string; cache: string | null; cache_key: string | null; upstream_calls: number; result: string | null },
  servedText: string,
): { result: unknown; templateSha256: string; imageSha256: string | undefined } {
  const served = JSON.parse(servedText) as Served;
  const delta = (row.result === null ? {} : JSON.parse(row.result)) as Delta;
  const answer = JSON.parse(served.answer) as { probs?: number[]; vector?: number[]; method: string; usage: { inputTokens: number; outputTokens: number }; warnings?: string[] };
  const own = { id: row.id, cache: row.cache, latencyMs: delta.latencyMs };
  let result: Record<string, unknown>;
  if (served.result !== null) {
    const { fallbackFrom: _filling, ...filling } = JSON.parse(served.result) as Record<string, unknown> & { usage: Record<string, number> };
    result = { ...filling, ...own, usage: { ...filling.usage, upstreamCalls: row.upstream_calls } };
  } else {
    result = {
      id: row.id,
      ...(answer.probs ? { probs: answer.probs } : {}),
      ...(answer.vector ? { vector: answer.vector } : {}),
      method: answer.method,
      provider: served.provider,
      model: served.model,
      template: served.template,
      cache: row.cache,
      cacheKey: row.cache_key,
      latencyMs: delta.latencyMs,
      usage: { ...answer.usage, upstreamCalls: row.upstream_calls },
      ...(answer.warnings?.length ? { warnings: answer.warnings } : {}),
    };
  }
  if (delta.fallbackFrom !== undefined) result.fallbackFrom = delta.fallbackFrom;
  return { result, templateSha256: served.template.sha256, imageSha256: served.imageSha256 ?? undefined };
}
