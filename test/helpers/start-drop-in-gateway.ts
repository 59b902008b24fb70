import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import type { VisionLanguageModel } from '@teacher-gateway/gateway/internal/providers/provider';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { TestGateway } from './create-test-gateway.ts';
import { createTestGateway } from './create-test-gateway.ts';

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
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const instance = serve({ fetch: gateway.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(instance));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await gateway.flush();
    },
  };
}
