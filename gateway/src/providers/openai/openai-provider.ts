import type { ProviderConfig } from '../../config/config-schema.ts';
import type { VisionLanguageModel } from '../provider.ts';
import { createOpenAIChatModel } from './create-openai-chat-model.ts';
import type { FetchFunction } from './create-recording-fetch.ts';

export interface OpenAIProviderOptions {
  config: ProviderConfig;
  /** Replaces the keep-alive undici fetch (tests, proxies). */
  fetch?: FetchFunction;
  /** Answers larger than this are not read (`limits.upstreamResponseBytes`). */
  maxResponseBytes?: number;
}

/** OpenAI chat completions: logprobs with up to 20 alternatives, `n` samples, images as data URLs. */
export function createOpenAIProvider({
  config,
  fetch,
  maxResponseBytes,
}: OpenAIProviderOptions): VisionLanguageModel {
  if (!config.apiKey) throw new Error(`provider ${config.id}: the openai kind needs an apiKey`);
  return createOpenAIChatModel({
    config,
    kind: 'openai',
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? 'https://api.openai.com/v1',
    ...(fetch ? { fetch } : {}),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    maxTokensField: 'max_completion_tokens',
    batchApi: true,
    capabilities: {
      logprobs: config.logprobs ?? true,
      maxTopLogprobs: 20,
      samples: true,
      maxSamples: 128,
      images: true,
      guidedChoice: false,
    },
  });
}
