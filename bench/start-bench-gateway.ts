/**
 * @module
 * A gateway listening on loopback for the batching benchmarks: the real config path, a real HTTP
 * server and the real provider adapters pointed at a stand-in, without request logging so the
 * figures measure the gateway rather than the terminal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Gateway } from '../gateway/src/create-gateway.ts';
import { loadConfig } from '../gateway/src/config/load-config.ts';
import { createGateway } from '../gateway/src/create-gateway.ts';
import type { FetchFunction } from '../gateway/src/providers/openai/create-recording-fetch.ts';
import { createProvider } from '../gateway/src/providers/registry.ts';
import { openDatabase } from '../gateway/src/stores/open-database.ts';
import { startCheckpointWorker } from '../gateway/src/stores/start-checkpoint-worker.ts';
import { loadTemplates } from '../gateway/src/templates/load-templates.ts';

export interface BenchGateway {
  url: string;
  gateway: Gateway;
  close(): Promise<void>;
}

/**
 * `yaml` is the config without `storage`; the database is a fresh file in a temp folder (WAL, as
 * served). `fetch` replaces the adapters' HTTP client, e.g. to count what reaches a server.
 */
export async function startBenchGateway(
  yaml: string,
  options: { fetch?: FetchFunction } = {},
): Promise<BenchGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-batching-'));
  const { config, missingVariables } = loadConfig(
    `storage: { path: ${JSON.stringify(join(dir, 'teacher.db'))} }\n${yaml}`,
    {},
  );
  const database = openDatabase(config.storage.path);
  // As served: checkpoints on their own thread (gateway/src/server.ts).
  const checkpoints = startCheckpointWorker(database, { intervalMs: 200 });
  const gateway = createGateway({
    config,
    missingVariables,
    templates: loadTemplates(fileURLToPath(new URL('../prompts/', import.meta.url))),
    database,
    createProvider: (providerConfig) =>
      createProvider({
        config: providerConfig,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    logError: (error) => console.error(error),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const instance = serve({ fetch: gateway.app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(instance),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    gateway,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await gateway.flush();
      await checkpoints.stop();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
