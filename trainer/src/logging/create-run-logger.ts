/**
 * @module
 * A run's folder: `args.json` (every argument, written first) and `metrics.jsonl` (one line of
 * namespaced scalars per update, cleanrl's keys), under `<out>/<env>__<algorithm>__<seed>__<timestamp>`.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunLoggerOptions {
  out: string;
  envId: string;
  algorithm: string;
  seed: number;
  /** Unix seconds in the run name. */
  timestamp: number;
  args: object;
}

export interface RunLogger {
  runName: string;
  folder: string;
  log(metrics: Record<string, number>): void;
}

/**
 * @example
 * const logger = createRunLogger({ out: 'runs', envId, algorithm: 'ppo', seed: 1, timestamp: Math.floor(Date.now() / 1000), args })
 * logger.log({ global_step: 384, 'charts/episodic_return': 0.2 })
 */
export function createRunLogger(options: RunLoggerOptions): RunLogger {
  const runName = `${options.envId}__${options.algorithm}__${options.seed}__${options.timestamp}`;
  const folder = join(options.out, runName);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'args.json'),
    `${JSON.stringify({ algorithm: options.algorithm, runName, ...options.args }, null, 2)}\n`,
  );
  const metricsPath = join(folder, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  return {
    runName,
    folder,
    log(metrics) {
      // NaN (e.g. no agreement measured yet) is not JSON; it becomes null.
      appendFileSync(
        metricsPath,
        `${JSON.stringify(metrics, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))}\n`,
      );
    },
  };
}
