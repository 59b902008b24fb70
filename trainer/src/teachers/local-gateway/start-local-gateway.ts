/**
 * @module
 * The offline teacher in one call: a simulated VLM (the planner behind a VLM's eyes) and a real
 * gateway in front of it, on an embedded SQLite file, both listening on free loopback ports. The
 * trainer then talks to it through the client exactly as it would to a remote gateway, so the
 * cache, batching and cost accounting are the real ones.
 */
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
// The gateway package exports no API yet; its source is reached through the project reference.
import { loadConfig } from '../../../../gateway/src/config/load-config.ts';
import { createGateway } from '../../../../gateway/src/create-gateway.ts';
import { createProvider } from '../../../../gateway/src/providers/registry.ts';
import { openDatabase } from '../../../../gateway/src/stores/open-database.ts';
import { startCheckpointWorker } from '../../../../gateway/src/stores/start-checkpoint-worker.ts';
import { loadTemplates } from '../../../../gateway/src/templates/load-templates.ts';
import { createSimulatedVlmServer } from '../simulated-vlm/create-simulated-vlm-server.ts';
import type { SimulatedVlmOptions } from '../simulated-vlm/simulated-vlm-options.ts';

export interface LocalGatewayOptions {
  /** SQLite file for the cache, images and audit log (`:memory:` for none). */
  databasePath: string;
  /** The simulated VLM's knobs (accuracy, seed, latency, failures). */
  simulatedVlm?: SimulatedVlmOptions;
  /** Prompt templates; default the repository's `prompts/`. */
  templatesDir?: string;
}

export interface LocalGateway {
  /** The gateway's base URL, for `createClient`. */
  url: string;
  /** The provider id the gateway knows the simulated VLM by. */
  provider: string;
  close(): Promise<void>;
}

const defaultTemplatesDir = fileURLToPath(new URL('../../../../prompts/', import.meta.url));

/**
 * @example
 * const local = await startLocalGateway({ databasePath: 'runs/x/teacher.db', simulatedVlm: { accuracy: 0.8 } })
 * const client = createClient({ baseUrl: local.url })
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const vlm = await createSimulatedVlmServer({ ...options.simulatedVlm, port: 0 });
  const yaml = `server: { host: 127.0.0.1, port: 0 }
storage: { path: ${JSON.stringify(options.databasePath)} }
cache: { mode: live }
defaultProvider: simulated
providers:
  - { id: simulated, kind: openai-compatible, baseURL: ${JSON.stringify(vlm.url)}, model: simulated-planner, maxConcurrency: 8 }
`;
  const { config, missingVariables } = loadConfig(yaml, {});
  const database = openDatabase(config.storage.path);
  const checkpoints = startCheckpointWorker(database, { intervalMs: 200 });
  const gateway = createGateway({
    config,
    missingVariables,
    templates: loadTemplates(options.templatesDir ?? defaultTemplatesDir),
    database,
    createProvider: (providerConfig) => createProvider({ config: providerConfig }),
    logError: (error) => console.error(error),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const instance = serve({ fetch: gateway.app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(instance),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    provider: 'simulated',
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold the close open until the client times them out.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      })
        .then(() => gateway.flush())
        .then(() => checkpoints.stop())
        .then(() => vlm.close())
        .finally(() => database.close())),
  };
}
