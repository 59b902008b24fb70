/**
 * @module
 * The process edge of `teacher-gateway label`: reads the input and state files, builds a gateway on
 * the configured database (providers with a batch API label through it), and writes results as JSON Lines.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ConfigError } from '../config/load-config.ts';
import { createGateway } from '../create-gateway.ts';
import { createProvider } from '../providers/registry.ts';
import { readConfig } from '../server.ts';
import { openDatabase } from '../stores/open-database.ts';
import { loadTemplates } from '../templates/load-templates.ts';
import type { LabelState } from './label.ts';
import { label, LabelStateSchema } from './label.ts';
import { sleepWithSignal } from '../scheduling/sleep-with-signal.ts';

export interface LabelCommandOptions {
  configPath?: string;
  db?: string;
  input?: string;
  out?: string;
  statePath?: string;
  provider?: string;
  template?: string;
  /** Comma-separated action labels for lines that carry only an observation. */
  actions?: string;
  pollIntervalMs?: number;
  /** Plain calls even where a batch API exists. */
  noBatch?: boolean;
}

export async function runLabelCommand(options: LabelCommandOptions): Promise<void> {
  if (options.input === undefined) throw new ConfigError('label needs --in <observations.jsonl>');
  const { config, missingVariables } = readConfig({
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    ...(options.db !== undefined ? { db: options.db } : {}),
  });
  if (config.cache.mode === 'replay')
    throw new ConfigError('label writes the cache: use cache mode live or record');
  const database = openDatabase(config.storage.path);
  const gateway = createGateway({
    config,
    missingVariables,
    templates: loadTemplates(resolve(config.templates.dir)),
    database,
    createProvider: (providerConfig) => createProvider({ config: providerConfig }),
  });
  const providerId = options.provider ?? config.defaultProvider ?? config.providers[0]?.id;
  const providerConfig = config.providers.find((entry) => entry.id === providerId);
  const statePath = options.statePath ?? `${options.input}.label-state.json`;
  const output: Writable =
    options.out === undefined ? process.stdout : createWriteStream(options.out, { flags: 'a' });
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted: rerun the same command to resume'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await label({
      service: gateway.service,
      lines: readFileSync(options.input, 'utf8').split('\n'),
      defaults: {
        ...(options.template !== undefined ? { template: options.template } : {}),
        ...(options.provider !== undefined ? { provider: options.provider } : {}),
        ...(options.actions !== undefined
          ? { actions: options.actions.split(',').map((entry) => entry.trim()) }
          : {}),
      },
      ...(options.noBatch ? { noBatch: true } : {}),
      state: {
        load: () =>
          existsSync(statePath)
            ? LabelStateSchema.parse(JSON.parse(readFileSync(statePath, 'utf8')))
            : undefined,
        save: (state: LabelState) => {
          // Written aside and renamed, so a kill mid-write never leaves half a state file.
          writeFileSync(`${statePath}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
          renameSync(`${statePath}.tmp`, statePath);
        },
      },
      output: (result) => output.write(`${JSON.stringify(result)}\n`),
      progress: (event) =>
        process.stderr.write(
          `label: ${event.type} ${event.batchId}${'status' in event ? ` ${event.status}` : ''}\n`,
        ),
      sleep: sleepWithSignal,
      pollIntervalMs: options.pollIntervalMs ?? 30_000,
      concurrency: 2 * (providerConfig?.maxConcurrency ?? 8),
      signal: controller.signal,
    });
    process.stderr.write(
      `label: ${summary.lines} lines: ${summary.labelled} labelled, ${summary.cached} already cached, ${summary.failed} failed` +
        (summary.batches.length > 0 ? ` (batches ${summary.batches.join(', ')})` : '') +
        '\n',
    );
    if (summary.failed > 0) process.exitCode = 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await gateway.flush();
    database.close();
    if (options.out !== undefined) {
      output.end();
      await once(output, 'finish');
    }
  }
}
