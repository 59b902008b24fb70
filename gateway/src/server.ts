/**
 * @module
 * The process edge of `teacher-gateway serve`: reads the config file and environment, opens the
 * database, loads templates, listens, and shuts down cleanly. Nothing below this file opens a
 * socket, a file or a clock of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { ConfigOverrides } from './config/load-config.ts';
import { loadConfig } from './config/load-config.ts';
import { createGateway } from './create-gateway.ts';
import { createFetchBytes } from './images/create-fetch-bytes.ts';
import { defaultAllowedHosts } from './middleware/host-allow-list/index.ts';
import { createProvider } from './providers/registry.ts';
import { openStorage } from './stores/open-storage.ts';
import { createReachabilityProbe } from './providers/create-reachability-probe.ts';
import { reportProviders } from './providers/report-providers.ts';
import { startCheckpointWorker } from './stores/start-checkpoint-worker.ts';
import { loadTemplates } from './templates/load-templates.ts';

export interface ServeOptions extends ConfigOverrides {
  configPath?: string;
  /** Human-readable log lines instead of JSON; default: when stdout is a terminal. */
  pretty?: boolean;
  environment?: Record<string, string | undefined>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Reads `gateway.config.yaml` (or the given file); a missing default file means all defaults. */
export function readConfig(options: ServeOptions) {
  const path = options.configPath ?? 'gateway.config.yaml';
  if (options.configPath !== undefined && !existsSync(path)) {
    throw new Error(`config file ${path} does not exist`);
  }
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '{}';
  return loadConfig(text, options.environment ?? process.env, options, path);
}

/**
 * Starts the gateway and resolves once it listens.
 *
 * @example
 * const server = await startServer({ port: 0, db: ':memory:' })
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const { config, missingVariables } = readConfig(options);
  // A socket bound to loopback answers only to loopback names unless the config says otherwise.
  const allowedHosts = config.server.allowedHosts ?? defaultAllowedHosts(config.server.host);
  if (allowedHosts) config.server.allowedHosts = allowedHosts;
  // Asynchronous writes: a synchronous write per request line costs more than serving a cache hit.
  // A person at a terminal reads pretty lines; anything else (files, log shippers) gets JSON.
  const logger = pino(
    {
      name: 'teacher-gateway',
      redact: { paths: ['*.apiKey', '*.authorization', 'headers.authorization', '*.token'], censor: '[redacted]' },
    },
    (options.pretty ?? process.stdout.isTTY)
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true })
      : pino.destination({ sync: false }),
  );
  const { storage, database } = await openStorage(config.storage);
  // PostgreSQL checkpoints on its own; the worker is for the embedded SQLite file.
  const checkpoints = database
    ? startCheckpointWorker(database, {
        intervalMs: 200,
        onError: (error) => logger.error({ err: error }, 'WAL checkpoint failed; checkpointing inline until the thread is back'),
      })
    : undefined;
  const templates = loadTemplates(resolve(config.templates.dir));
  const probeReachability = createReachabilityProbe();
  const gateway = createGateway({
    config,
    missingVariables,
    templates,
    storage,
    createProvider: (providerConfig) =>
      createProvider({ config: providerConfig, maxResponseBytes: config.limits.upstreamResponseBytes }),
    logError: (error, path) => logger.error({ err: error, path }, 'request failed unexpectedly'),
    logger,
    fetchImage: createFetchBytes(),
    probeReachability,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, rejectServer) => {
    const { requestTimeoutMs, headersTimeoutMs } = config.server;
    const instance = serve(
      {
        fetch: gateway.app.fetch,
        hostname: config.server.host,
        port: config.server.port,
        // A client that never finishes its body would otherwise hold a socket and a handler for
        // Node's 5-minute default; Node checks these deadlines every connectionsCheckingInterval.
        serverOptions: {
          requestTimeout: requestTimeoutMs,
          headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
          connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
          // Longer than the official SDKs keep idle connections (httpx 5 s, undici 4 s), so the
          // gateway never closes one a client is about to reuse (Node's default is 5 s).
          keepAliveTimeout: 65_000,
        },
      },
      () => resolveServer(instance),
    );
    // A port in use is an 'error' event, not a thrown error: without this it would crash the process.
    instance.once('error', rejectServer);
  }).catch(async (error: unknown) => {
    await gateway.flush();
    await checkpoints?.stop();
    await storage.close();
    logger.flush();
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host}:${port}`;
  logger.info({ url, mode: config.cache.mode, storage: storage.backend === 'sqlite' ? config.storage.path : 'postgres', templates: templates.length }, 'listening');
  // After listening, so a self-hosted upstream's probe (up to its timeout) never delays startup.
  const reported = reportProviders(gateway.providers.list(), probeReachability, logger);
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Keep-alive sockets would hold the close open until the clients time out.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      })
        .then(() => gateway.flush())
        .then(() => reported)
        .then(() => checkpoints?.stop())
        .finally(async () => {
          await storage.close();
          logger.flush();
        })),
  };
}
