import type { CachedAnswer, CacheEntry } from '../stores/cache-store.ts';
import type { Prepared } from './prepare-request.ts';

/** An answer as the cache keeps it, under its request's key and sample slot. */
export function toCacheEntry(
  prepared: Prepared,
  answer: CachedAnswer,
  requestId: string,
  model: string,
  now: number,
): CacheEntry {
  const { plan, request, template } = prepared;
  return {
    key: prepared.cacheKey.key,
    sample: prepared.sample,
    answer: {
      ...answer,
      ...(plan.warning ? { warnings: [plan.warning, ...(answer.warnings ?? [])] } : {}),
    },
    provider: prepared.provider.config.id,
    model,
    template: { id: template.id, version: template.version, sha256: template.sha256 },
    components: prepared.cacheKey.components,
    ...(prepared.image ? { imageSha256: prepared.image.sha256 } : {}),
    requestId,
    ...(request.tags?.run !== undefined ? { run: String(request.tags.run) } : {}),
    createdAt: now,
  };
}
