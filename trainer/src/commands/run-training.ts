/**
 * @module
 * The process edge of `teacher-train ppo|lvlm2p`: parses flags over the algorithm's defaults
 * (every field is a `--kebab-case` flag), then for each seed opens the run folder, the teacher
 * (a gateway URL, or an in-process gateway + simulated VLM), the progress display and the
 * checkpoint file, and hands them to the algorithm's `train`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createClient } from '@teacher-gateway/client';
import { ACTION_LABELS } from '../envs/grid-world/action.ts';
import { envIds } from '../envs/make-env.ts';
import type { Lvlm2pArgs } from '../algorithms/lvlm2p.ts';
import { lvlm2pDefaults, train as trainLvlm2p } from '../algorithms/lvlm2p.ts';
import type { PpoArgs, TrainDependencies, TrainProgress } from '../algorithms/ppo.ts';
import { ppoDefaults, ppoPresets, train as trainPpo } from '../algorithms/ppo.ts';
import { createRunLogger } from '../logging/create-run-logger.ts';
import { applyFieldFlags, fieldFlagOptions, kebab, parseNumber, parseSeeds } from './algorithm-flags.ts';
import type { BackendChoice } from '../tensors/set-up-backend.ts';
import { setUpBackend } from '../tensors/set-up-backend.ts';
import { profileNames } from '../teachers/simulated-vlm/teacher-profile.ts';

export type AlgorithmName = 'ppo' | 'lvlm2p';

/** The fields whose values come from a fixed set. */
const allowedValues: Record<string, readonly (string | number)[]> = {
  network: ['cnn', 'mlp'],
  missionEncoder: ['bag-of-words', 'none'],
  distill: ['soft-kl', 'hard-ce', 'released'],
  lambdaSchedule: ['constant', 'linear', 'exponential'],
  distribution: ['logprobs', 'samples', 'verbalized', 'auto'],
  teacherLag: [0, 1],
  teacherActions: [7, 3],
};

/** Flags every training command takes besides the algorithm's own fields. */
const commonUsage = `  --env <id>               environment (MiniGrid-DoorKey-5x5-v0; "DoorKey-5x5" works too)
  --frames <n>             environment frames per seed (the total-frames field)
  --seeds <list>           comma-separated seeds, run one after another (default 1)
  --out <folder>           where run folders go (default runs)
  --preset <name>          ${Object.keys(ppoPresets).join(' | ')} (default released)
  --backend <name>         auto | wasm | tensorflow | cpu (default auto: tfjs-node if installed, else wasm)
  --threads <n>            WebAssembly threads (default 1)
  --quiet                  no progress output
  --label <text>           the curve's name in reports (default: the algorithm and teacher)`;

export const lvlm2pOnlyUsage = `  --gateway <url>          a running gateway; without it an in-process gateway + simulated VLM is started
  --token <token>          bearer token for --gateway
  --profile <name>         simulated VLM quality: oracle | good | typical | poor (default typical;
                           see docs/teacher-quality.md)
  --action-set <set>       simulated VLM: all | move (only left/right/forward, as the release's teacher)
  --accuracy <p>           simulated VLM without a profile: an error-free planner teacher with this
                           mass on its action (the behaviour before profiles existed)
  --vlm-seed <n>           simulated VLM seed (default: the run's seed)`;

/** The usage text listing an algorithm's fields as flags, with their defaults. */
export function trainingUsage(algorithm: AlgorithmName, summary: string): string {
  const defaults = algorithm === 'ppo' ? ppoDefaults : lvlm2pDefaults;
  const fields = Object.entries(defaults)
    .filter(([key]) => key !== 'envId' && key !== 'seed' && key !== 'totalFrames')
    .map(([key, value]) => `  --${kebab(key).padEnd(23)} default ${JSON.stringify(value)}`)
    .join('\n');
  return `usage: teacher-train ${algorithm} --env <id> --frames <n> [--seeds 1,2,3] [--out runs] [options]

${summary}

options:
${commonUsage}
${algorithm === 'lvlm2p' ? `${lvlm2pOnlyUsage}\n` : ''}
algorithm fields (see trainer/src/algorithms/${algorithm}.ts):
${fields}
`;
}

/** Parses the command line of `teacher-train <algorithm>` and runs every seed; resolves to the exit code. */
export async function runTraining(algorithm: AlgorithmName, argv: string[]): Promise<number> {
  const defaults: PpoArgs | Lvlm2pArgs = algorithm === 'ppo' ? ppoDefaults : lvlm2pDefaults;
  const fieldOptions = fieldFlagOptions(defaults);
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...fieldOptions,
      env: { type: 'string' },
      frames: { type: 'string' },
      seeds: { type: 'string' },
      out: { type: 'string' },
      preset: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      quiet: { type: 'boolean' },
      label: { type: 'string' },
      ...(algorithm === 'lvlm2p'
        ? {
            gateway: { type: 'string' },
            token: { type: 'string' },
            accuracy: { type: 'string' },
            profile: { type: 'string' },
            'action-set': { type: 'string' },
            'vlm-seed': { type: 'string' },
          }
        : {}),
    },
  });
  const preset = ppoPresets[values.preset ?? 'released'];
  if (!preset)
    throw new RangeError(
      `unknown --preset ${values.preset}; known: ${Object.keys(ppoPresets).join(', ')}`,
    );
  const args = applyFieldFlags(defaults, values, { ...defaults, ...preset });
  for (const [key, allowed] of Object.entries(allowedValues)) {
    if (key in args && !allowed.includes(args[key] as never)) {
      throw new RangeError(
        `--${kebab(key)} must be one of ${allowed.join(', ')}, got ${String(args[key])}`,
      );
    }
  }
  if (values.env !== undefined) args.envId = resolveEnvId(values.env);
  if (values.frames !== undefined) args.totalFrames = parseNumber('frames', values.frames);
  const seeds = parseSeeds(values.seeds, args.seed);
  const out = values.out ?? 'runs';
  const backend = await setUpBackend({
    backend: (values.backend ?? 'auto') as BackendChoice,
    threads: values.threads === undefined ? 1 : parseNumber('threads', values.threads),
  });
  const interactive = process.stderr.isTTY && !values.quiet;
  const lvlm2pValues = values as {
    gateway?: string;
    token?: string;
    accuracy?: string;
    profile?: string;
    'action-set'?: string;
    'vlm-seed'?: string;
  };
  // --accuracy alone keeps the old error-free teacher; otherwise a named profile, typical by default.
  const profile =
    lvlm2pValues.profile ?? (lvlm2pValues.accuracy === undefined ? 'typical' : undefined);
  if (profile !== undefined && !profileNames.includes(profile))
    throw new RangeError(`--profile must be one of ${profileNames.join(', ')}, got ${profile}`);
  const actionSet = lvlm2pValues['action-set'] ?? 'all';
  if (actionSet !== 'all' && actionSet !== 'move')
    throw new RangeError(`--action-set must be all or move, got ${actionSet}`);

  for (const seed of seeds) {
    const runArgs = { ...args, seed } as PpoArgs & Partial<Lvlm2pArgs>;
    const logger = createRunLogger({
      out,
      envId: runArgs.envId,
      algorithm,
      seed,
      timestamp: Math.floor(Date.now() / 1000),
      args: {
        ...runArgs,
        backend,
        ...(values.label ? { label: values.label } : {}),
        ...(algorithm === 'lvlm2p'
          ? {
              gateway: lvlm2pValues.gateway ?? 'in-process',
              accuracy: lvlm2pValues.accuracy === undefined ? 0.8 : Number(lvlm2pValues.accuracy),
              ...(lvlm2pValues.gateway ? {} : { profile: profile ?? null, actionSet }),
            }
          : {}),
      },
    });
    const progress = createProgress(
      logger.runName,
      interactive && !values.quiet,
      values.quiet ?? false,
    );
    const dependencies: TrainDependencies = {
      log: (metrics) => logger.log(metrics),
      onProgress: (update) => progress.update(update),
      saveCheckpoint: (checkpoint) =>
        writeFileSync(join(logger.folder, 'checkpoint.json'), JSON.stringify(checkpoint)),
    };
    try {
      if (algorithm === 'ppo') {
        const result = await trainPpo(runArgs, dependencies);
        result.model.dispose();
      } else {
        // Loaded on use: the gateway stack (SQLite, Hono, providers) is only needed offline.
        const { startLocalGateway } =
          await import('../teachers/local-gateway/start-local-gateway.ts');
        const local = lvlm2pValues.gateway
          ? undefined
          : await startLocalGateway({
              databasePath: join(logger.folder, 'teacher.db'),
              simulatedVlm: {
                ...(profile !== undefined ? { profile } : {}),
                actionSet,
                accuracy:
                  lvlm2pValues.accuracy === undefined
                    ? 0.8
                    : parseNumber('accuracy', lvlm2pValues.accuracy),
                seed:
                  lvlm2pValues['vlm-seed'] === undefined
                    ? seed
                    : parseNumber('vlm-seed', lvlm2pValues['vlm-seed']),
              },
            });
        const client = createClient({
          baseUrl: lvlm2pValues.gateway ?? local!.url,
          ...(lvlm2pValues.token ? { token: lvlm2pValues.token } : {}),
        });
        const lvlm2pArgs = runArgs as Lvlm2pArgs;
        const provider = lvlm2pArgs.provider || local?.provider;
        const teacher = client.teacher({
          template: lvlm2pArgs.template,
          actions: { kind: 'discrete', labels: ACTION_LABELS.slice(0, lvlm2pArgs.teacherActions) },
          ...(provider ? { provider } : {}),
          distribution: { method: lvlm2pArgs.distribution },
          tags: { run: logger.runName },
        });
        try {
          const result = await trainLvlm2p(lvlm2pArgs, {
            ...dependencies,
            teacher,
            gatewayStats: async () => (await client.cacheStats()).total,
          });
          result.model.dispose();
          // The gateway's own totals for the whole run (the in-process gateway serves one run).
          writeFileSync(
            join(logger.folder, 'teacher-cost.json'),
            `${JSON.stringify(await client.cacheStats(), null, 2)}\n`,
          );
        } finally {
          await client.close();
          await local?.close();
        }
      }
    } finally {
      progress.stop();
    }
    if (!values.quiet) console.log(`${logger.runName}: wrote ${logger.folder}`);
  }
  return 0;
}

interface ProgressDisplay {
  update(progress: TrainProgress): void;
  stop(): void;
}

/** A cli-progress bar on a terminal; otherwise a log line about every 10% of the run. */
function createProgress(runName: string, interactive: boolean, quiet: boolean): ProgressDisplay {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${runName} |{bar}| {value}/{total} frames | {sps} frames/s | return {ret} | teacher calls {calls}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(progress) {
        const payload = {
          sps: progress.sps,
          ret: progress.episodicReturn.toFixed(3),
          calls: progress.teacherCalls,
        };
        if (!started) {
          bar.start(progress.totalFrames, progress.frames, payload);
          started = true;
        } else bar.update(progress.frames, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let nextReport = 0;
  return {
    update(progress) {
      if (progress.frames < nextReport && progress.frames < progress.totalFrames) return;
      nextReport = progress.frames + progress.totalFrames / 10;
      console.log(
        `${runName} frames ${progress.frames}/${progress.totalFrames} | ${progress.sps} frames/s | return ${progress.episodicReturn.toFixed(3)} | teacher calls ${progress.teacherCalls}`,
      );
    },
    stop: () => undefined,
  };
}

/** `DoorKey-5x5` → `MiniGrid-DoorKey-5x5-v0`; full ids pass through. */
export function resolveEnvId(name: string): string {
  const known = envIds();
  if (known.includes(name)) return name;
  const candidate = `MiniGrid-${name.replace(/^MiniGrid-/, '')}${/-v\d+$/.test(name) ? '' : '-v0'}`;
  if (known.includes(candidate)) return candidate;
  throw new RangeError(`unknown environment "${name}"`);
}
