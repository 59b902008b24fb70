#!/usr/bin/env node
/**
 * @module
 * `teacher-gateway`: serve the gateway, and work with its cache and audit log from the shell.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { LogQuerySchema } from '@teacher-gateway/client';
import { exportCache } from './commands/export-cache.ts';
import { exportLogs } from './commands/export-logs.ts';
import { importCache } from './commands/import-cache.ts';
import { runLabelCommand } from './commands/run-label-command.ts';
import { parseDuration } from './commands/parse-duration.ts';
import { pruneLogs } from './commands/prune-logs.ts';
import { showCacheStats } from './commands/show-cache-stats.ts';
import { cacheModes } from './config/config-schema.ts';
import type { CacheMode } from './config/config-schema.ts';
import { ConfigError } from './config/load-config.ts';
import type { LogFilter } from './stores/audit-log.ts';
import { openDatabase } from './stores/open-database.ts';
import { openReadOnlyDatabase } from './stores/open-read-only-database.ts';
import { openStorage } from './stores/open-storage.ts';
import { sealDatabaseFile } from './stores/seal-database-file.ts';
import { createSqliteStorageRows } from './stores/sqlite-storage-rows.ts';
import type { StorageRows } from './stores/storage-rows.ts';
import { readConfig, startServer } from './server.ts';

const usage = `usage: teacher-gateway <command> [options]

commands:
  serve                         run the gateway (default command)
  logs export [filters] [--out f.jsonl]
                                audit-log entries as JSON Lines (stdout without --out)
  logs prune --older-than 30d   delete audit-log entries older than an age (s, m, h, d)
  cache export [--run R] --out f.db
                                one run's cache entries and their images as a gateway database
  cache import <f.db>           merge an exported cache file into the database (idempotent)
  cache stats                   what the cache holds, by provider and by run (JSON)
  label --in obs.jsonl [--provider p] [--template t] [--actions a,b,c] [--out results.jsonl]
        [--state label-state.json] [--poll-interval 30s] [--no-batch]
                                answer observations ahead of training into the cache: the OpenAI
                                Batch API for openai providers, plain calls otherwise; resumable

options:
  --config <file>    configuration file (default ./gateway.config.yaml)
  --port <n>         listen port (overrides server.port)
  --host <address>   listen address (overrides server.host)
  --db <file>        SQLite file, or :memory: (overrides storage.path)
  --mode <mode>      cache mode: ${cacheModes.join(' | ')}

log filters (as GET /v1/logs):
  --run <run> --provider <id> --template <id> --cache <hit|miss|coalesced|replayed>
  --status <ok|error|HTTP status|error code> --since <ms|ISO date> --until <ms|ISO date>
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
      out: { type: 'string' },
      run: { type: 'string' },
      provider: { type: 'string' },
      template: { type: 'string' },
      cache: { type: 'string' },
      status: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'older-than': { type: 'string' },
      in: { type: 'string' },
      state: { type: 'string' },
      actions: { type: 'string' },
      'poll-interval': { type: 'string' },
      'no-batch': { type: 'boolean' },
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
      if (positionals.length > 1) {
        // `npm start -- label ...` lands here as `serve label ...`: refuse rather than serve.
        throw new ConfigError(
          `serve takes no operands, got "${positionals.slice(1).join(' ')}"; other commands run as teacher-gateway <command> (teacher-gateway --help)`,
        );
      }
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
    case 'label': {
      const poll = values['poll-interval'];
      const pollIntervalMs = poll === undefined ? undefined : parseDuration(poll);
      if (poll !== undefined && pollIntervalMs === undefined) throw new ConfigError('--poll-interval takes <n><s|m|h|d>, such as 30s');
      return runLabelCommand({
        ...(values.config !== undefined ? { configPath: values.config } : {}),
        ...(values.db !== undefined ? { db: values.db } : {}),
        ...(values.in !== undefined ? { input: values.in } : {}),
        ...(values.out !== undefined ? { out: values.out } : {}),
        ...(values.state !== undefined ? { statePath: values.state } : {}),
        ...(values.provider !== undefined ? { provider: values.provider } : {}),
        ...(values.template !== undefined ? { template: values.template } : {}),
        ...(values.actions !== undefined ? { actions: values.actions } : {}),
        ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
        ...(values['no-batch'] ? { noBatch: true } : {}),
      });
    }
    case 'logs':
    case 'cache':
      return runDataCommand(`${command} ${positionals[1] ?? ''}`.trim(), positionals.slice(2), values);
    default:
      process.stderr.write(`unknown command "${command}"\n\n${usage}`);
      process.exitCode = 2;
  }
}

type Values = Record<string, string | boolean | undefined>;

/** The commands that work on the database file; the gateway may be serving it at the same time (WAL). */
async function runDataCommand(command: string, operands: string[], values: Values): Promise<void> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const { config } = readConfig({
    ...(text('config') !== undefined ? { configPath: text('config') } : {}),
    ...(text('db') !== undefined ? { db: text('db') } : {}),
  });
  const progress = (what: string) => (rows: number) => process.stderr.write(`${what}: ${rows} rows\n`);
  const { storage } = await openStorage(config.storage);
  try {
    switch (command) {
      case 'logs export': {
        const filter = readLogFilter(values);
        const out = text('out');
        const output: Writable = out === undefined ? process.stdout : createWriteStream(out);
        const rows = await exportLogs({ auditLog: storage.auditLog, filter, output, progress: progress('logs export') });
        if (out !== undefined) {
          output.end();
          await once(output, 'finish');
          process.stderr.write(`logs export: ${rows} entries written to ${out}\n`);
        }
        return;
      }
      case 'logs prune': {
        const age = text('older-than');
        const olderThanMs = age === undefined ? undefined : parseDuration(age);
        if (olderThanMs === undefined) throw new ConfigError('logs prune needs --older-than <n><s|m|h|d>, such as 30d');
        const { deleted, before } = await pruneLogs({ auditLog: storage.auditLog, olderThanMs, now: Date.now() });
        process.stderr.write(`logs prune: deleted ${deleted} entries older than ${new Date(before).toISOString()}\n`);
        return;
      }
      case 'cache export': {
        const out = text('out');
        if (out === undefined) throw new ConfigError('cache export needs --out <file.db>');
        if (existsSync(out)) throw new ConfigError(`${out} already exists; cache export writes a new file`);
        const run = text('run');
        if (run !== undefined && !(await runHasEntries(storage.rows, run))) {
          // An empty file would look like a successful export of a run that was never recorded.
          process.stderr.write(`cache export: warning: the cache holds no entries of run "${run}" (teacher-gateway cache stats lists the runs); nothing written\n`);
          process.exitCode = 1;
          return;
        }
        const target = openDatabase(out);
        try {
          const result = await exportCache({
            source: storage.rows,
            target: createSqliteStorageRows(target),
            ...(run !== undefined ? { run } : {}),
            progress: progress('cache export'),
          });
          sealDatabaseFile(target);
          process.stderr.write(
            `cache export: ${result.entries} entries, ${result.images} images and the ${result.requests} logged requests that filled them written to ${out}` +
              (result.missingImages > 0 ? ` (${result.missingImages} referenced images were not in the database)` : '') +
              '\n',
          );
        } finally {
          target.close();
        }
        return;
      }
      case 'cache import': {
        const file = operands[0];
        if (file === undefined) throw new ConfigError('cache import needs a file: teacher-gateway cache import <f.db>');
        if (!existsSync(file)) throw new ConfigError(`cache import: ${file} does not exist (a file written by teacher-gateway cache export)`);
        const source = openReadOnlyDatabase(file);
        try {
          const { entries, images, requests } = await importCache({
            source: createSqliteStorageRows(source),
            target: storage.rows,
            progress: progress('cache import'),
          });
          process.stderr.write(
            `cache import: ${entries.added} entries added, ${entries.present} already present; ` +
              `${images.added} images added, ${images.present} already present; ` +
              `${requests.added} logged requests added, ${requests.present} already present\n`,
          );
        } finally {
          source.close();
        }
        return;
      }
      case 'cache stats':
        await showCacheStats({ rows: storage.rows, output: process.stdout });
        return;
      default:
        process.stderr.write(`unknown command "${command}"\n\n${usage}`);
        process.exitCode = 2;
    }
  } finally {
    await storage.close();
  }
}

async function runHasEntries(rows: StorageRows, run: string): Promise<boolean> {
  for await (const batch of rows.entries(run)) if (batch.length > 0) return true;
  return false;
}

function readLogFilter(values: Values): LogFilter {
  const names = ['run', 'provider', 'template', 'cache', 'status', 'since', 'until'] as const;
  const query = Object.fromEntries(names.flatMap((name) => (typeof values[name] === 'string' ? [[name, values[name]]] : [])));
  const parsed = LogQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`--${issue?.path.join('.') ?? 'filter'}: ${issue?.message ?? 'invalid'}`);
  }
  const { limit: _limit, cursor: _cursor, ...filter } = parsed.data;
  return filter as LogFilter;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const { code, port } = error as { code?: string; port?: number };
  const message =
    code === 'EADDRINUSE'
      ? `port ${port ?? ''} is already in use (another gateway?); pick another with --port <n>, e.g. --port ${(port ?? 8787) + 1}`
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`teacher-gateway: ${message}\n`);
  process.exitCode = 1;
});
