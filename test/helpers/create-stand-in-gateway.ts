import { ProviderConfigSchema } from '@teacher-gateway/gateway/internal/config/config-schema';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { TestGateway } from './create-test-gateway.ts';
import { createTestGateway } from './create-test-gateway.ts';

/**
 * A gateway whose one provider (`openai-mini`) is the real OpenAI adapter pointed at a stand-in
 * server over loopback, so requests cross the same HTTP client, headers and SDK as in production.
 */
export function createStandInGateway(options: {
  baseURL: string;
  apiKey: string;
  mode?: string;
  database?: SqliteDatabase;
}): TestGateway {
  const raw = { id: 'openai-mini', kind: 'openai', model: 'gpt-4o-mini', apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 2 };
  const provider = createProvider({ config: ProviderConfigSchema.parse(raw) });
  return createTestGateway({
    yaml: `storage: { path: ":memory:" }
cache: { mode: ${options.mode ?? 'live'} }
defaultProvider: openai-mini
providers:
  - ${JSON.stringify(raw)}
`,
    providers: { 'openai-mini': provider },
    ...(options.database ? { database: options.database } : {}),
  });
}
