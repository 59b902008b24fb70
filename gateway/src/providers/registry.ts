import type { ProviderConfig } from '../config/config-schema.ts';
import { createGeminiProvider } from './gemini/gemini-provider.ts';
import type { FetchFunction } from './openai/create-recording-fetch.ts';
import { createOpenAIProvider } from './openai/openai-provider.ts';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible-provider.ts';
import type { VisionLanguageModel } from './provider.ts';

export interface CreateProviderOptions {
  config: ProviderConfig;
  /**
   * Replaces the adapter's HTTP client (default: undici with keep-alive for the OpenAI kinds, the
   * global fetch for Gemini).
   */
  fetch?: FetchFunction;
  /** No answer is read past this many bytes (`limits.upstreamResponseBytes`, default 2 MiB). */
  maxResponseBytes?: number;
}

type ProviderFactory = (options: CreateProviderOptions) => VisionLanguageModel;

// Adding a provider: one folder under providers/ and one line here.
const factories: Record<ProviderConfig['kind'], ProviderFactory> = {
  openai: createOpenAIProvider,
  gemini: createGeminiProvider,
  'openai-compatible': createOpenAICompatibleProvider,
};

/** Builds the adapter for a configured provider. Throws when the config cannot work (no key, no URL). */
export function createProvider(options: CreateProviderOptions): VisionLanguageModel {
  return factories[options.config.kind](options);
}
