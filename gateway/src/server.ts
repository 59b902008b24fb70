/**
 * @module
 * The process edge of `teacher-gateway serve`: reads the config file and environment, opens the
 * logger, loads templates and hands them to `listenGateway`. Nothing below this file opens a
 * socket, a file or a clock of its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { ConfigOverrides } from './config/load-config.ts';
import { loadConfig } from './config/load-config.ts';
import { listenGateway } from './listen-gateway.ts';
import type { RunningServer } from './listen-gateway.ts';
import { createFetchBytes } from './images/create-fetch-bytes.ts';
import { createReachabilityProbe } from './providers/create-reachability-probe.ts';
import { reportProviders } from './providers/report-providers.ts';
import { loadTemplates } from './templates/load-templates.ts';

export type { RunningServer } from './listen-gateway.ts';

export interface ServeOptions extends ConfigOverrides {
  configPath?: string;
  /** Human-readable log lines instead of JSON; default: when stdout is a terminal. */
  pretty?: boolean;
  environment?: Record<string, string | undefined>;
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
  const templatesDir = resolve(config.templates.dir);
  if (!existsSync(templatesDir)) {
    throw new Error(
      `no prompt templates at ${templatesDir} (templates.dir is "${config.templates.dir}", relative to where teacher-gateway runs): run it from a folder that holds prompts/, such as the repository's root, or set templates.dir in the config file`,
    );
  }
  const templates = loadTemplates(templatesDir);
  const probeReachability = createReachabilityProbe();
  return listenGateway({
    config,
    missingVariables,
    templates,
    logError: (error, path) => logger.error({ err: error, path }, 'request failed unexpectedly'),
    logger,
    fetchImage: createFetchBytes(),
    probeReachability,
    onCheckpointError: (error) =>
      logger.error({ err: error }, 'WAL checkpoint failed; checkpointing inline until the thread is back'),
    afterListen: (gateway, url, storage) => {
      logger.info({ url, mode: config.cache.mode, storage: storage.backend === 'sqlite' ? config.storage.path : 'postgres', templates: templates.length }, 'listening');
      // After listening, so a self-hosted upstream's probe (up to its timeout) never delays startup.
      return reportProviders(gateway.providers.list(), probeReachability, logger);
    },
    afterClose: () => logger.flush(),
  });
}
