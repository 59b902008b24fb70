/**
 * @module
 * The process edge of `teacher-train sac|varl`, shaped like `run-training.ts` (ppo|lvlm2p):
 * parses flags over the algorithm's defaults (every field is a `--kebab-case` flag), then for each
 * seed opens the run folder (`args.json`, `metrics.jsonl`, `checkpoint.json`), the teacher (a
 * gateway URL, or an in-process gateway + simulated VLM) and the progress display, and hands them
 * to the algorithm's `train`.
 *
 * `metrics.jsonl` has one line per evaluation (every `evalEvery` steps): `global_step`, the
 * training episodes finished since the last line (`charts/episodic_return`, which with a reward
 * of 1 on success only is also the training success rate, `charts/success_rate`), the greedy
 * evaluation (`eval/success_rate`, `eval/episodic_return`), the latest losses and the teacher's
 * running cost (`teacher/calls`, `teacher/gateway_upstream_calls`, ...).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createClient } from '@teacher-gateway/client';
import type { SacArgs, SacDependencies, SacWeights, Scalars } from '../algorithms/sac.ts';
import { SAC_DEFAULTS, train as trainSac } from '../algorithms/sac.ts';
import type { VarlArgs } from '../algorithms/varl.ts';
import { VARL_DEFAULTS, train as trainVarl } from '../algorithms/varl.ts';
import { envIds } from '../envs/make-env.ts';
import { PHYSICS_ACTION_LABELS } from '../envs/physics/physics-env.ts';
import { createRunLogger } from '../logging/create-run-logger.ts';
import { applyFieldFlags, fieldFlagOptions, kebab, parseNumber, parseSeeds } from './algorithm-flags.ts';
import type { RunLogger } from '../logging/create-run-logger.ts';
import type { BackendChoice } from '../tensors/set-up-backend.ts';
import { setUpBackend } from '../tensors/set-up-backend.ts';
import { createGatewayActionAdvisor } from '../teachers/create-gateway-action-advisor.ts';
import { createScriptedActionAdvisor } from '../teachers/physics-advisor/create-scripted-action-advisor.ts';

export type SacAlgorithmName = 'sac' | 'varl';

const commonUsage = `  --env <id>               physics task (Physics-Reach-v0, Physics-Push-v0, Physics-ButtonPress-v0; "Push" works too)
  --steps <n>              environment steps per seed (the total-timesteps field; --frames is the same)
  --seeds <list>           comma-separated seeds, run one after another (default 1)
  --out <folder>           where run folders go (default runs)
  --label <text>           the curve's name in reports (default: the algorithm)
  --backend <name>         auto | wasm | tensorflow | cpu (default auto: tfjs-node if installed, else wasm)
  --threads <n>            WebAssembly threads (default 1)
  --quiet                  no progress output`;

const varlOnlyUsage = `  --gateway <url>          a running gateway; without it an in-process gateway + simulated VLM is started
  --token <token>          bearer token for --gateway
  --provider <id>          gateway provider to ask (default: the gateway's default)
  --accuracy <p>           simulated VLM: how often it reads the scene right, and how sure it is (default 0.8)
  --vlm-seed <n>           simulated VLM seed (default: the run's seed)
  --profile <name>         simulated VLM quality, mistakes that repeat per scene: oracle | good |
                           typical | poor, or random (the random-advice control); replaces --accuracy
  --teacher <kind>         gateway (default) | scripted (the same judgement in-process, no gateway: ablations)`;

function defaultsOf(algorithm: SacAlgorithmName): SacArgs | VarlArgs {
  return algorithm === 'sac' ? SAC_DEFAULTS : VARL_DEFAULTS;
}

export function sacTrainingUsage(algorithm: SacAlgorithmName, summary: string): string {
  const fields = Object.entries(defaultsOf(algorithm))
    .filter(([key]) => key !== 'envId' && key !== 'seed' && key !== 'totalTimesteps')
    .map(([key, value]) => `  --${kebab(key).padEnd(23)} default ${JSON.stringify(value)}`)
    .join('\n');
  return `usage: teacher-train ${algorithm} --env <id> --steps <n> [--seeds 1,2,3] [--out runs] [options]

${summary}

options:
${commonUsage}
${algorithm === 'varl' ? `${varlOnlyUsage}\n` : ''}
algorithm fields (see trainer/src/algorithms/${algorithm === 'sac' ? 'sac' : 'varl'}.ts):
${fields}
`;
}

/** Parses the command line of `teacher-train sac|varl` and runs every seed; resolves to the exit code. */
export async function runSacTraining(algorithm: SacAlgorithmName, argv: string[]): Promise<number> {
  const defaults = defaultsOf(algorithm);
  const fieldOptions = fieldFlagOptions(defaults);
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...fieldOptions,
      env: { type: 'string' },
      steps: { type: 'string' },
      frames: { type: 'string' },
      seeds: { type: 'string' },
      out: { type: 'string' },
      label: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      quiet: { type: 'boolean' },
      ...(algorithm === 'varl'
        ? {
            gateway: { type: 'string' },
            token: { type: 'string' },
            provider: { type: 'string' },
            accuracy: { type: 'string' },
            'vlm-seed': { type: 'string' },
            profile: { type: 'string' },
            teacher: { type: 'string' },
          }
        : {}),
    },
  });
  const args = applyFieldFlags(defaults, values);
  if (values.env !== undefined) args.envId = resolvePhysicsEnvId(values.env);
  const steps = values.steps ?? values.frames;
  if (steps !== undefined) args.totalTimesteps = parseNumber('steps', steps);
  const seeds = parseSeeds(values.seeds, args.seed);
  const out = values.out ?? 'runs';
  const backend = await setUpBackend({
    backend: (values.backend ?? 'auto') as BackendChoice,
    threads: values.threads === undefined ? 1 : parseNumber('threads', values.threads),
  });
  const varlValues = values as {
    gateway?: string;
    token?: string;
    provider?: string;
    accuracy?: string;
    'vlm-seed'?: string;
    profile?: string;
    teacher?: string;
  };
  const teacherKind = varlValues.teacher ?? 'gateway';
  if (teacherKind !== 'gateway' && teacherKind !== 'scripted')
    throw new RangeError(`--teacher must be gateway or scripted, got ${teacherKind}`);
  const accuracy =
    varlValues.accuracy === undefined ? 0.8 : parseNumber('accuracy', varlValues.accuracy);

  for (const seed of seeds) {
    const runArgs = { ...args, seed } as SacArgs & Partial<VarlArgs>;
    const logger = createRunLogger({
      out,
      envId: runArgs.envId,
      algorithm,
      seed,
      timestamp: freeTimestamp(out, `${runArgs.envId}__${algorithm}__${seed}`),
      args: {
        ...runArgs,
        backend,
        ...(values.label ? { label: values.label } : {}),
        ...(algorithm === 'varl'
          ? {
              teacher: teacherKind,
              gateway: varlValues.gateway ?? (teacherKind === 'scripted' ? 'none' : 'in-process'),
              accuracy,
              ...(varlValues.profile ? { profile: varlValues.profile } : {}),
            }
          : {}),
      },
    });
    const lines = createEvaluationLines(logger);
    const progress = createProgress(
      logger.runName,
      runArgs.totalTimesteps,
      process.stderr.isTTY && !values.quiet,
      values.quiet ?? false,
      lines,
    );
    const dependencies: SacDependencies = {
      log: (step, scalars) => lines.log(step, scalars),
      progress: (step) => progress.update(step),
      checkpoint: (step, weights) => writeCheckpoint(logger, algorithm, runArgs, step, weights),
    };
    try {
      if (algorithm === 'sac') {
        await trainSac(runArgs, dependencies);
      } else if (teacherKind === 'scripted') {
        await trainVarl(runArgs as VarlArgs, {
          ...dependencies,
          advisor: createScriptedActionAdvisor(),
        });
      } else {
        // Loaded on use: the gateway stack (SQLite, Hono, providers) is only needed offline.
        const { startLocalGateway } =
          await import('../teachers/local-gateway/start-local-gateway.ts');
        const local = varlValues.gateway
          ? undefined
          : await startLocalGateway({
              databasePath: join(logger.folder, 'teacher.db'),
              simulatedVlm: {
                ...(varlValues.profile ? { profile: varlValues.profile } : {}),
                accuracy,
                seed:
                  varlValues['vlm-seed'] === undefined
                    ? seed
                    : parseNumber('vlm-seed', varlValues['vlm-seed']),
              },
            });
        const client = createClient({
          baseUrl: varlValues.gateway ?? local!.url,
          ...(varlValues.token ? { token: varlValues.token } : {}),
        });
        const provider = varlValues.provider ?? local?.provider;
        const teacher = client.teacher({
          template: 'physics-varl',
          actions: {
            kind: 'continuous',
            labels: [...PHYSICS_ACTION_LABELS],
            low: [-1, -1],
            high: [1, 1],
          },
          ...(provider ? { provider } : {}),
          tags: { run: logger.runName },
        });
        try {
          await trainVarl(runArgs as VarlArgs, {
            ...dependencies,
            advisor: createGatewayActionAdvisor(teacher),
          });
          // The gateway's own totals (the in-process gateway serves this one run).
          writeFileSync(
            join(logger.folder, 'teacher-cost.json'),
            `${JSON.stringify(await client.cacheStats(), null, 2)}\n`,
          );
        } finally {
          await client.close();
          await local?.close();
        }
      }
      lines.flush(runArgs.totalTimesteps);
    } finally {
      progress.stop();
    }
    if (!values.quiet) console.log(`${logger.runName}: wrote ${logger.folder}`);
  }
  return 0;
}

interface EvaluationLines {
  log(step: number, scalars: Scalars): void;
  flush(step: number): void;
  latest: Scalars;
}

/** Folds the run's scalars into one metrics line per evaluation (see the module comment). */
function createEvaluationLines(logger: RunLogger): EvaluationLines {
  let episodes = { count: 0, returns: 0, successes: 0, lengths: 0 };
  let pending: Scalars = {};
  const latest: Scalars = {};
  let lastFlushed = -1;
  const flush = (step: number) => {
    if (step === lastFlushed) return;
    lastFlushed = step;
    const line: Scalars = { global_step: step, ...pending };
    if (episodes.count > 0) {
      line['charts/episodic_return'] = episodes.returns / episodes.count;
      line['charts/success_rate'] = episodes.successes / episodes.count;
      line['charts/episodic_length'] = episodes.lengths / episodes.count;
    }
    line['charts/episodes'] = episodes.count;
    logger.log(line);
    episodes = { count: 0, returns: 0, successes: 0, lengths: 0 };
    pending = Object.fromEntries(
      Object.entries(pending).filter(([key]) => key.startsWith('teacher/')),
    );
  };
  return {
    latest,
    log(step, scalars) {
      if ('charts/episodic_return' in scalars) {
        episodes.count += 1;
        episodes.returns += scalars['charts/episodic_return']!;
        episodes.successes += scalars['charts/success'] ?? 0;
        episodes.lengths += scalars['charts/episodic_length'] ?? 0;
        return;
      }
      Object.assign(pending, scalars);
      Object.assign(latest, scalars);
      if ('eval/success_rate' in scalars) flush(step);
    },
    flush,
  };
}

function writeCheckpoint(
  logger: RunLogger,
  algorithm: SacAlgorithmName,
  args: object,
  step: number,
  weights: SacWeights,
): void {
  const checkpoint = { format: 'teacher-train-sac-checkpoint/1', algorithm, step, args, weights };
  writeFileSync(join(logger.folder, 'checkpoint.json'), JSON.stringify(checkpoint));
}

interface ProgressDisplay {
  update(step: number): void;
  stop(): void;
}

/** A cli-progress bar on a terminal; otherwise a log line about every 10% of the run. */
function createProgress(
  runName: string,
  total: number,
  interactive: boolean,
  quiet: boolean,
  lines: EvaluationLines,
): ProgressDisplay {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  const payload = () => ({
    sps: Math.round(lines.latest['charts/sps'] ?? 0),
    success: (lines.latest['eval/success_rate'] ?? 0).toFixed(2),
    calls: lines.latest['teacher/calls'] ?? 0,
  });
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${runName} |{bar}| {value}/{total} steps | {sps} steps/s | eval success {success} | teacher calls {calls}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, payload());
    return {
      update(step) {
        if (step % 50 === 0 || step === total) bar.update(step, payload());
      },
      stop: () => bar.stop(),
    };
  }
  let nextReport = total / 10;
  return {
    update(step) {
      if (step < nextReport && step < total) return;
      nextReport = step + total / 10;
      const p = payload();
      console.log(
        `${runName} steps ${step}/${total} | ${p.sps} steps/s | eval success ${p.success} | teacher calls ${p.calls}`,
      );
    },
    stop: () => undefined,
  };
}

/**
 * Unix seconds for the run name, moved on while a folder of that name exists: runs of one env,
 * algorithm and seed started in the same second (a sensitivity sweep) must not share a folder.
 */
function freeTimestamp(out: string, prefix: string): number {
  let timestamp = Math.floor(Date.now() / 1000);
  while (existsSync(join(out, `${prefix}__${timestamp}`))) timestamp += 1;
  return timestamp;
}

/** `Push` → `Physics-Push-v0`; full ids pass through. */
export function resolvePhysicsEnvId(name: string): string {
  const known = envIds();
  if (known.includes(name)) return name;
  const candidate = `Physics-${name.replace(/^Physics-/, '')}${/-v\d+$/.test(name) ? '' : '-v0'}`;
  if (known.includes(candidate)) return candidate;
  throw new RangeError(`unknown environment "${name}"`);
}
