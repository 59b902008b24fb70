/**
 * @module
 * Packing: misses of a packed template that share provider, actions, method and decoding go out as
 * one upstream call asking for one answer line per observation (LVLM2P-style), each line read
 * through its own token log-probabilities.
 */
import type { GatewayConfig } from '../config/config-schema.ts';
import { parsePackedLogprobs } from '../parsing/parse-packed-logprobs.ts';
import { shapeDistribution } from '../parsing/shape-distribution.ts';
import type { CachedAnswer } from '../stores/cache-store.ts';
import type { StoredImage } from '../stores/image-store.ts';
import { packPrompts } from '../templates/pack-prompts.ts';
import type { AskDependencies, AskResult } from '../suggestion/ask-single.ts';
import {
  askSingle,
  callSettings,
  estimateTokens,
  failedCall,
  modelOf,
} from '../suggestion/ask-single.ts';
import { callUpstream } from '../suggestion/call-upstream.ts';
import type { Prepared } from '../suggestion/prepare-request.ts';
import { renderPrompt } from '../suggestion/prepare-request.ts';
import { toCacheEntry } from '../suggestion/to-cache-entry.ts';
import { createRequestPacker } from './request-packer.ts';

export interface PackItem {
  prepared: Prepared;
  image: StoredImage | undefined;
  requestId: string;
  signal?: AbortSignal;
}

export interface PackedAsker {
  /** Whether this request may share a packed call. */
  packable(prepared: Prepared, image: StoredImage | undefined): boolean;
  ask(item: PackItem): Promise<AskResult>;
}

/**
 * Every observation's image travels in the packed call, so large images are asked on their own:
 * a packed call stays well under providers' request-size limits and under the memory it takes to
 * encode it. MiniGrid frames are a few kilobytes.
 */
const maxPackedImageBytes = 256 * 1024;

export function createPackedAsker(
  batching: GatewayConfig['batching'],
  dependencies: AskDependencies & { setTimer: (callback: () => void, ms: number) => void },
): PackedAsker {
  const packer = createRequestPacker<PackItem, AskResult>({
    windowMs: batching.windowMs,
    maxBatchSize: batching.maxBatchSize,
    setTimer: dependencies.setTimer,
    flush: (items) =>
      items.length === 1
        ? Promise.all(
            items.map((item) =>
              askSingle(item.prepared, item.image, item.requestId, item.signal, dependencies),
            ),
          )
        : askPacked(items, dependencies),
  });
  return {
    packable: (prepared, image) =>
      prepared.template.packed &&
      prepared.plan.name === 'logprobs' &&
      batching.windowMs > 0 &&
      batching.maxBatchSize > 1 &&
      (image?.data.byteLength ?? 0) <= maxPackedImageBytes,
    ask(item) {
      const { provider, cacheKey } = item.prepared;
      const { components } = cacheKey;
      const group = [
        provider.config.id,
        components.template,
        components.actions,
        components.method,
        components.decoding,
      ].join(':');
      return packer.submit(group, item);
    },
  };
}

async function askPacked(items: PackItem[], dependencies: AskDependencies): Promise<AskResult[]> {
  const first = items[0] as PackItem;
  const { provider, plan } = first.prepared;
  const model = modelOf(provider);
  if (!model.ok) return items.map(() => ({ ok: false, error: model.error, calls: [] }));
  const prompts = items.map(({ prepared, image }) => renderPrompt(prepared, image, true));
  const packed = packPrompts(prompts);
  const outcome = await callUpstream({
    // Every observation's image travels in the packed call, so each counts.
    ...callSettings(
      provider,
      first.requestId,
      dependencies,
      items.reduce((total, item) => total + (item.image?.data.byteLength ?? 0), 0),
    ),
    model: model.model,
    estimatedTokens: estimateTokens(packed.text, false, plan) + 800 * items.length,
    options: {
      messages: packed.messages,
      maxOutputTokens: 2 * items.length + 4,
      temperature: 0,
      samples: 1,
      topLogprobs: plan.decoding.topLogprobs,
    },
  });
  if (!outcome.ok) {
    const error = failedCall(provider, outcome, dependencies.providers);
    // The attempts are the first item's to log, as its request made the call.
    return items.map((_, index) => ({ ok: false, error, calls: index === 0 ? outcome.calls : [] }));
  }
  const choice = outcome.result.choices[0];
  const positions = parsePackedLogprobs(choice?.logprobs, prompts[0]?.letters ?? [], items.length);
  const usage = outcome.result.usage;
  const share = (total: number) => Math.round(total / items.length);
  return Promise.all(
    items.map(async (item, index): Promise<AskResult> => {
      const calls = index === 0 ? outcome.calls : [];
      const position = positions[index];
      const probs = position?.ok
        ? shapeDistribution(position.value.probs, item.prepared.request.distribution)
        : undefined;
      if (!probs) {
        // A line the packed answer lacks is asked on its own rather than failed.
        const alone = await askSingle(
          item.prepared,
          item.image,
          item.requestId,
          item.signal,
          dependencies,
        );
        return { ...alone, calls: calls.concat(alone.calls) };
      }
      const answer: CachedAnswer = {
        method: 'logprobs',
        probs,
        usage: { inputTokens: share(usage.inputTokens), outputTokens: share(usage.outputTokens) },
        warnings: [
          `answered in a packed call with ${items.length} observations (request ${first.requestId})`,
        ],
      };
      return {
        ok: true,
        entry: toCacheEntry(
          item.prepared,
          answer,
          item.requestId,
          model.model.model,
          dependencies.now(),
        ),
        calls,
      };
    }),
  );
}
