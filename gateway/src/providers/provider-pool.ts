import { defaultMaxRetryAfterMs } from '../config/config-schema.ts';
import type { ProviderConfig } from '../config/config-schema.ts';
import { boundProviderWaits } from './bound-provider-waits.ts';
import type { ProviderCapabilities, VisionLanguageModel } from './provider.ts';

export interface PoolEntry {
  config: ProviderConfig;
  /** What the provider can do; known even while it is unavailable, so replay can plan requests. */
  capabilities: ProviderCapabilities;
  /** Absent when the provider cannot be called; `reason` says why and what to do. */
  model?: VisionLanguageModel;
  reason?: string;
}

export interface ProviderPool {
  get(id: string): PoolEntry | undefined;
  list(): PoolEntry[];
  /** Marks a provider unusable until restart (per-day quota, revoked key), with the reason. */
  disable(id: string, reason: string): void;
}

export interface ProviderPoolOptions {
  configs: ProviderConfig[];
  /** Unset `${VAR}` references from the config, by path (`providers.0.apiKey`). */
  missingVariables: Map<string, string>;
  create: (config: ProviderConfig) => VisionLanguageModel;
}

/** Kinds that always need a key; local OpenAI-compatible servers usually do not. */
const keyRequired = new Set(['openai', 'gemini']);

/**
 * Builds every configured provider, with the waits it may ask for bounded. A provider whose key is
 * missing, or whose adapter cannot be built, is kept as unavailable with a reason rather than
 * stopping the gateway.
 */
export function createProviderPool(options: ProviderPoolOptions): ProviderPool {
  const entries = new Map<string, PoolEntry>();
  options.configs.forEach((config, index) => {
    if (keyRequired.has(config.kind) && !config.apiKey) {
      const variable = options.missingVariables.get(`providers.${index}.apiKey`);
      entries.set(config.id, {
        config,
        capabilities: defaultCapabilities(config),
        reason: variable
          ? `missing API key: set the environment variable ${variable}`
          : 'missing API key: set apiKey in the config (e.g. apiKey: "${OPENAI_API_KEY}")',
      });
      return;
    }
    try {
      const model = boundProviderWaits(options.create(config), {
        maxRetryAfterMs: config.maxRetryAfterMs ?? defaultMaxRetryAfterMs,
        deadlineMs: config.timeoutMs,
      });
      entries.set(config.id, {
        config,
        model,
        get capabilities() {
          return model.capabilities();
        },
      });
    } catch (error) {
      entries.set(config.id, {
        config,
        capabilities: defaultCapabilities(config),
        reason: `cannot start: ${(error as Error).message}`,
      });
    }
  });
  return {
    get: (id) => entries.get(id),
    list: () => [...entries.values()],
    disable(id, reason) {
      const entry = entries.get(id);
      if (entry) entries.set(id, { config: entry.config, capabilities: entry.capabilities, reason });
    },
  };
}

/** What an adapter of this kind offers, for providers that could not be built. */
export function defaultCapabilities(config: ProviderConfig): ProviderCapabilities {
  return {
    logprobs: config.logprobs ?? true,
    maxTopLogprobs: 20,
    samples: true,
    maxSamples: config.kind === 'gemini' ? 8 : 128,
    images: true,
    guidedChoice: config.kind === 'openai-compatible' && config.guidedChoice,
  };
}
