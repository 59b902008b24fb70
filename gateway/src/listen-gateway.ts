/**
 * @module
 * The start-up both ways of running a gateway share (`startServer` for the command line,
 * `startEmbeddedGateway` inside another program): the loopback Host default, storage and its
 * checkpoint thread, the gateway, a listening socket with bounded request deadlines, and a close
 * that flushes before the database goes. Kept in one place because two copies drifted: the
 * embedded one once opened the SQLite path beside a PostgreSQL URL, ignored the upstream body cap
 * and had no Host allow-list.
 */
import { serve } from '@hono/node-server';
import type { GatewayConfig } from './config/config-schema.ts';
import type { GatewayOptions } from './create-gateway.ts';
import { createGateway } from './create-gateway.ts';
import type { Gateway } from './create-gateway.ts';
import { defaultAllowedHosts } from './middleware/host-allow-list/index.ts';
import { createProvider } from './providers/registry.ts';
import { openStorage } from './stores/open-storage.ts';
import { startCheckpointWorker } from './stores/start-checkpoint-worker.ts';
import type { Storage } from './stores/storage.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ListenOptions
  extends Omit<GatewayOptions, 'config' | 'storage' | 'database' | 'createProvider'> {
  config: GatewayConfig;
  /** A failed WAL checkpoint (the thread is restarted; writes checkpoint inline meanwhile). */
  onCheckpointError?: (error: unknown) => void;
  /** Runs after the socket listens (a slow probe must not delay start-up); close waits for it. */
  afterListen?: (gateway: Gateway, url: string, storage: Storage) => Promise<void> | void;
  /** Runs last on close, after the database is closed (flushing a logger). */
  afterClose?: () => void;
}

/**
 * @example
 * const server = await listenGateway({ config, templates: loadTemplates('prompts') })
 */
export async function listenGateway(options: ListenOptions): Promise<RunningServer> {
  const { config, onCheckpointError, afterListen, afterClose, ...rest } = options;
  // A socket bound to loopback answers only to loopback names unless the config says otherwise:
  // otherwise a page on a rebinding domain could reach it from the user's browser.
  const allowedHosts = config.server.allowedHosts ?? defaultAllowedHosts(config.server.host);
  if (allowedHosts) config.server.allowedHosts = allowedHosts;
  const { storage, database } = await openStorage(config.storage);
  // PostgreSQL checkpoints on its own; the worker is for the embedded SQLite file.
  const checkpoints = database
    ? startCheckpointWorker(database, { intervalMs: 200, onError: onCheckpointError })
    : undefined;
  const gateway = createGateway({
    ...rest,
    config,
    storage,
    createProvider: (providerConfig) =>
      createProvider({ config: providerConfig, maxResponseBytes: config.limits.upstreamResponseBytes }),
  });
  const release = async () => {
    try {
      await gateway.flush();
      await checkpoints?.stop();
    } finally {
      try {
        await storage.close();
      } finally {
        afterClose?.();
      }
    }
  };
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
    await release();
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `http://${config.server.host}:${port}`;
  const listened = Promise.resolve().then(() => afterListen?.(gateway, url, storage));
  // Reported by close(); a process that never closes must not crash on it.
  listened.catch(() => undefined);
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Keep-alive sockets would hold the close open until the clients time them out.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      })
        .then(() => listened)
        .finally(release)),
  };
}
