/**
 * @module
 * Offline labelling's view of a prepared request: its cache slot, the call that would fill it,
 * and a way to store an answer fetched elsewhere (a batch API) as the live pipeline would.
 */
import type {
  GenerateOptions,
  GenerateResult,
  VisionLanguageModel,
} from '../providers/provider.ts';
import type { CacheEntry, CacheStore } from '../stores/cache-store.ts';
import type { ImageStore } from '../stores/image-store.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { generateOptions, modelOf, readEntry, unusableAnswer } from './ask-single.ts';
import type { Prepared } from './prepare-request.ts';
import { attachImage } from './prepare-request.ts';
import type { RecordDependencies } from './record-request.ts';
import { recordRequest } from './record-request.ts';
import { toCallRecord } from './to-call-record.ts';
import { toSuggestion } from './to-suggestion.ts';

/** One request as offline labelling sees it: its cache slot and the call that would fill it. */
export interface LabelPlan {
  key: string;
  sample: number;
  provider: string;
  model: VisionLanguageModel;
  /** The slot is filled already; nothing to ask. */
  cached: boolean;
  options: GenerateOptions;
  /**
   * Reads an answer with the live parsers, writes it into the cache under the live key and logs it
   * as a miss with its upstream call (or, unusable, as the error a live request would get);
   * resolves once durable.
   */
  store(
    result: GenerateResult,
  ): Promise<{ ok: true; entry: CacheEntry } | { ok: false; reason: string }>;
}

export interface PlanLabelDependencies extends RecordDependencies {
  cache: CacheStore;
  images: ImageStore;
  now: () => number;
  monotonic: () => number;
  newId: () => string;
}

export async function planLabel(
  prepared: Prepared,
  dependencies: PlanLabelDependencies,
): Promise<LabelPlan> {
  const model = modelOf(prepared.provider);
  if (!model.ok) throw model.error;
  const { key } = prepared.cacheKey;
  const ref = prepared.image;
  // A batch line carries its image, so the plan holds the bytes until the line is written.
  const image = ref ? (ref.inline ?? (await dependencies.images.get(ref.sha256))) : undefined;
  if (ref && !image)
    throw new GatewayError('internal_error', `image ${ref.sha256} vanished from the image store`);
  return {
    key,
    sample: prepared.sample,
    provider: prepared.provider.config.id,
    model: model.model,
    cached: (await dependencies.cache.get(key)).some((entry) => entry.sample === prepared.sample),
    options: generateOptions(prepared.plan, attachImage(prepared.prompt, image)),
    async store(result) {
      // Logged as a live miss is, so the audit log holds every prompt and answer, and a later
      // hit on this entry finds its prompt. A batch line has no timing of its own.
      const requestId = dependencies.newId();
      const time = dependencies.now();
      const calls = [
        toCallRecord({
          requestId,
          attempt: 1,
          model: model.model,
          startedAt: time,
          durationMs: 0,
          raw: result.raw,
        }),
      ];
      const finished = {
        requestId,
        time,
        prepared,
        tags: prepared.request.tags,
        tokenName: undefined,
        calls,
        latencyMs: 0,
      };
      const read = readEntry(prepared, result, requestId, model.model, time);
      if (!read.ok) {
        await recordRequest(
          { ...finished, outcome: { ok: false, error: unusableAnswer(read.failure) } },
          dependencies,
        );
        return { ok: false, reason: read.failure.reason };
      }
      const suggestion = toSuggestion(prepared, read.entry, 'miss', requestId, calls.length);
      await Promise.all([
        dependencies.cache.put(read.entry),
        recordRequest({ ...finished, outcome: { ok: true, suggestion } }, dependencies),
      ]);
      return read;
    },
  };
}
