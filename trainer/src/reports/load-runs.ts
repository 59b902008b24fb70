/**
 * @module
 * Reads run folders (`args.json` + `metrics.jsonl`) from anywhere under the given paths.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LoadedRun {
  folder: string;
  runName: string;
  algorithm: string;
  envId: string;
  seed: number;
  /** The curve's group: the algorithm, plus what distinguishes a teacher variant. */
  label: string;
  args: Record<string, unknown>;
  metrics: Array<Record<string, number | null>>;
}

/**
 * @example
 * const runs = loadRuns(['runs/demo'])
 */
export function loadRuns(
  paths: readonly string[],
  options: { includeIncomplete?: boolean } = {},
): LoadedRun[] {
  const runs: LoadedRun[] = [];
  const visit = (path: string, depth: number) => {
    if (!existsSync(path) || !statSync(path).isDirectory()) return;
    if (existsSync(join(path, 'args.json')) && existsSync(join(path, 'metrics.jsonl'))) {
      const run = readRun(path);
      if (run && (options.includeIncomplete || isComplete(run))) runs.push(run);
      return;
    }
    if (depth > 4) return;
    for (const entry of readdirSync(path).sort()) visit(join(path, entry), depth + 1);
  };
  for (const path of paths) visit(path, 0);
  return runs;
}

/** A run still in progress (or cut short) would bias the means toward early returns. */
export function isComplete(run: LoadedRun): boolean {
  // `totalFrames`: PPO and LVLM2P runs written before the budget had one name.
  const total = Number(run.args.totalTimesteps ?? run.args.totalFrames ?? 0);
  const batch = Number(run.args.numEnvs ?? 1) * Number(run.args.numSteps ?? 1);
  const last = run.metrics.at(-1)?.global_step ?? 0;
  return last >= Math.ceil(total / batch) * batch;
}

function readRun(folder: string): LoadedRun | undefined {
  const args = JSON.parse(readFileSync(join(folder, 'args.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const metrics = readFileSync(join(folder, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, number | null>);
  if (metrics.length === 0) return undefined;
  const algorithm = String(args.algorithm ?? 'unknown');
  return {
    folder,
    runName: String(args.runName ?? folder),
    algorithm,
    envId: String(args.envId ?? 'unknown'),
    seed: Number(args.seed ?? 0),
    label: labelOf(algorithm, args),
    args,
    metrics,
  };
}

/** `ppo`; `lvlm2p (acc 0.8)`; non-default distillation and lambda show too. */
function labelOf(algorithm: string, args: Record<string, unknown>): string {
  if (typeof args.label === 'string' && args.label !== '') return args.label;
  if (algorithm !== 'lvlm2p') return algorithm;
  const parts: string[] = [];
  if (args.gateway === 'in-process' && typeof args.accuracy === 'number')
    parts.push(`acc ${args.accuracy}`);
  if (args.distill !== undefined && args.distill !== 'soft-kl') parts.push(String(args.distill));
  if (args.queryFraction !== undefined && args.queryFraction !== 1)
    parts.push(`q ${String(args.queryFraction)}`);
  return parts.length > 0 ? `${algorithm} (${parts.join(', ')})` : algorithm;
}
