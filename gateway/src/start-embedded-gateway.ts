/**
 * @module
 * A gateway inside another program (the trainer's offline runs, tests): configuration given as
 * YAML text instead of a file, no process-wide logger or signal handling, listening on loopback.
 * `startServer` is the command line's counterpart.
 */
import { serve } from '@hono/node-server';
import { loadConfig } from './config/load-config.ts';
import { createGateway } from './create-gateway.ts';
import { defaultAllowedHosts } from './middleware/host-allow-list/index.ts';
import { createProvider } from './providers/registry.ts';
import { openStorage } from './stores/open-storage.ts';
import { startCheckpointWorker } from './stores/start-checkpoint-worker.ts';
import { loadTemplates } from './templates/load-templates.ts';
import type { RunningServer } from './server.ts';

export interface EmbeddedGatewayOptions {
  /** `gateway.config.yaml` content; `server.port: 0` picks a free port. */
  configYaml: string;
  /** Folder of prompt templates. */
  templatesDir: string;
  /** Values for `${VAR}` in the configuration; default none (not the process environment). */
  environment?: Record<string, string | undefined>;
  logError?: (error: unknown) => void;
}

/**
 * @example
 * const gateway = await startEmbeddedGateway({ configYaml, templatesDir: 'prompts' })
 * const client = createClient({ baseUrl: gateway.url })
 */
export async function startEmbeddedGateway(options: EmbeddedGatewayOptions): Promise<RunningServer> {
  const { config, missingVariables } = loadConfig(options.configYaml, options.environment ?? {});
  // It listens on a socket too, so a rebinding page could reach it: the same loopback default as startServer.
  const allowedHosts = config.server.allowedHosts ?? defaultAllowedHosts(config.server.host);
  if (allowedHosts) config.server.allowedHosts = allowedHosts;
  const { storage, database } = await openStorage(config.storage);
  // PostgreSQL checkpoints on its own; the worker is for the embedded SQLite file.
  const checkpoints = database ? startCheckpointWorker(database, { intervalMs: 200 }) : undefined;
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const gateway = createGateway({
    config,
    missingVariables,
    templates: loadTemplates(options.templatesDir),
    storage,
    createProvider: (providerConfig) =>
      createProvider({ config: providerConfig, maxResponseBytes: config.limits.upstreamResponseBytes }),
    logError: (error) => logError(error),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const instance = serve({ fetch: gateway.app.fetch, hostname: config.server.host, port: config.server.port }, () =>
      resolve(instance),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.server.host}:${port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold the close open until the client times them out.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      })
        .then(() => gateway.flush())
        .then(() => checkpoints?.stop())
        .finally(() => storage.close())),
  };
}
