import type { ProviderConfig } from '../../config/config-schema.ts';
import { createOpenAIChatModel } from '../openai/create-openai-chat-model.ts';
import type { FetchFunction } from '../openai/create-recording-fetch.ts';
import type { VisionLanguageModel } from '../provider.ts';

export interface OpenAICompatibleProviderOptions {
  config: ProviderConfig;
  fetch?: FetchFunction;
  /** Answers larger than this are not read (`limits.upstreamResponseBytes`). */
  maxResponseBytes?: number;
}

/**
 * vLLM, Ollama, LM Studio, llama.cpp and other servers speaking chat completions. Which of them
 * returns logprobs depends on server and version, so the config says (default: yes); a missing
 * answer then becomes a warning, not an error. `guided_choice` is vLLM's and only sent when enabled.
 */
export function createOpenAICompatibleProvider({
  config,
  fetch,
  maxResponseBytes,
}: OpenAICompatibleProviderOptions): VisionLanguageModel {
  if (!config.baseURL)
    throw new Error(`provider ${config.id}: the openai-compatible kind needs a baseURL`);
  return createOpenAIChatModel({
    config,
    kind: 'openai-compatible',
    // The SDK insists on a key; local servers ignore the header.
    apiKey: config.apiKey || 'not-needed',
    baseURL: config.baseURL,
    ...(fetch ? { fetch } : {}),
    ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    maxTokensField: 'max_tokens',
    capabilities: {
      logprobs: config.logprobs ?? true,
      maxTopLogprobs: 20,
      samples: true,
      maxSamples: 128,
      images: true,
      guidedChoice: config.guidedChoice,
    },
    extraBody: (options) =>
      config.guidedChoice && options.guidedChoice && options.guidedChoice.length > 0
        ? { guided_choice: options.guidedChoice }
        : {},
  });
}
