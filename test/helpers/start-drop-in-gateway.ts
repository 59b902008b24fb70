import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import type { VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { TestGateway } from './create-test-gateway.ts';
import { createTestGateway } from './create-test-gateway.ts';
import { serveGatewayOnLoopback } from './listen-on-loopback.ts';

export interface DropInGateway {
  /** The origin, e.g. http://127.0.0.1:PORT (OpenAI SDKs add /v1, Google's SDKs /v1beta). */
  url: string;
  gateway: TestGateway;
  close(): Promise<void>;
}

/**
 * A gateway on loopback whose providers are the real adapters built from `yaml` (pointed at
 * stand-ins), so the official SDKs can be aimed at it with nothing but a base URL.
 */
export async function startDropInGateway(options: { yaml: string; database?: SqliteDatabase }): Promise<DropInGateway> {
  const { config } = loadConfig(options.yaml, {});
  const providers: Record<string, VisionLanguageModel> = {};
  for (const provider of config.providers) providers[provider.id] = createProvider({ config: provider });
  const gateway = createTestGateway({ yaml: options.yaml, providers, ...(options.database ? { database: options.database } : {}) });
  return serveGatewayOnLoopback(gateway);
}
