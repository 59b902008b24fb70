#!/usr/bin/env node
/**
 * @module
 * `teacher-gateway`: serve the gateway, and work with its cache and audit log from the shell.
 */
import { parseArgs } from 'node:util';
import { cacheModes } from './config/config-schema.ts';
import type { CacheMode } from './config/config-schema.ts';
import { ConfigError } from './config/load-config.ts';
import { startServer } from './server.ts';

const usage = `usage: teacher-gateway <command> [options]

commands:
  serve                         run the gateway (default command)

options:
  --config <file>    configuration file (default ./gateway.config.yaml)
  --port <n>         listen port (overrides server.port)
  --host <address>   listen address (overrides server.host)
  --db <file>        SQLite file, or :memory: (overrides storage.path)
  --mode <mode>      cache mode: ${cacheModes.join(' | ')}
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (values.mode !== undefined && !cacheModes.includes(values.mode as CacheMode)) {
    throw new ConfigError(`--mode must be one of ${cacheModes.join(', ')}`);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new ConfigError('--port must be an integer from 0 to 65535');
  }
  switch (command) {
    case 'serve': {
      const server = await startServer({
        ...(values.config !== undefined ? { configPath: values.config } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(values.host !== undefined ? { host: values.host } : {}),
        ...(values.db !== undefined ? { db: values.db } : {}),
        ...(values.mode !== undefined ? { mode: values.mode as CacheMode } : {}),
      });
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${usage}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`teacher-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
