import type { ProviderConfig } from '@teacher-gateway/gateway/internal/config/config-schema';

/** What names a provider under test; everything else has a test default. */
export type ProviderUnderTest = Pick<ProviderConfig, 'id' | 'kind' | 'model' | 'baseURL'> &
  Partial<ProviderConfig>;

/**
 * A provider config for adapter tests: no retries (a test sees each failure as it came), a short
 * timeout, room for concurrent calls, and no guided choice unless asked.
 *
 * @example
 * buildProviderConfig({ id: 'openai-mini', kind: 'openai', model: 'gpt-4o-mini', apiKey, baseURL: standIn.url })
 */
export function buildProviderConfig(provider: ProviderUnderTest): ProviderConfig {
  return {
    timeoutMs: 5_000,
    maxRetries: 0,
    maxConcurrency: 8,
    guidedChoice: false,
    ...provider,
  };
}
