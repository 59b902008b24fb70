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
import type { Gateway } from '@teacher-gateway/gateway/internal/create-gateway';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createGateway } from '@teacher-gateway/gateway/internal/create-gateway';
import type { FetchFunction } from '@teacher-gateway/gateway/internal/providers/openai/create-recording-fetch';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { startCheckpointWorker } from '@teacher-gateway/gateway/internal/stores/start-checkpoint-worker';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { serveGatewayOnLoopback } from '../test/helpers/listen-on-loopback.ts';

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
  return serveGatewayOnLoopback(gateway, async () => {
    await checkpoints.stop();
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });
}
