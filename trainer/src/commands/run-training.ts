/**
 * @module
 * The process edge of `teacher-train ppo|lvlm2p|sac|varl`, one runner for every algorithm in
 * `algorithm-registry.ts`: parses flags over the algorithm's defaults (every field is a
 * `--kebab-case` flag), then for each seed opens the run folder (`args.json`, `metrics.jsonl`,
 * `checkpoint.json`, under a name no other run has), the clock, the progress display and the
 * teacher (a gateway URL, an in-process gateway + simulated VLM, or a scripted stand-in), and
 * hands them to the algorithm's `train`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@teacher-gateway/client';
import type { GatewayClient } from '@teacher-gateway/client';
import type { TrainDependencies } from '../algorithms/train-dependencies.ts';
import { envIds } from '../envs/make-env.ts';
import { createMetricsLines } from '../logging/create-metrics-lines.ts';
import { createRunLogger } from '../logging/create-run-logger.ts';
import type { BackendChoice } from '../tensors/set-up-backend.ts';
import { setUpBackend } from '../tensors/set-up-backend.ts';
import type { AlgorithmEntry, EnvFamily, RunArgs, RunTeacher } from './algorithm-entry.ts';
import {
  applyFieldFlags,
  fieldFlagOptions,
  kebab,
  parseNumber,
  parseSeeds,
} from './algorithm-flags.ts';
import type { Command } from './command.ts';
import { createProgressDisplay } from './create-progress-display.ts';
import { profileNames } from '../teachers/simulated-vlm/teacher-profile.ts';

const ENV_EXAMPLES: Record<EnvFamily, string> = {
  minigrid: 'MiniGrid-DoorKey-5x5-v0; "DoorKey-5x5" works too',
  physics: 'Physics-Reach-v0, Physics-Push-v0, Physics-ButtonPress-v0; "Push" works too',
};

const teacherUsage = `  --gateway <url>          a running gateway; without it an in-process gateway + simulated VLM is started
  --token <token>          bearer token for --gateway
  --provider <id>          gateway provider to ask (default: the gateway's default)
  --profile <name>         simulated VLM quality, mistakes that repeat per state: ${profileNames.join(' | ')}
                           (random: the random-advice control; lvlm2p default typical, see
                           docs/teacher-quality.md)
  --action-set <set>       simulated VLM: all | move (only left/right/forward, as the release's teacher)
  --accuracy <p>           simulated VLM without a profile: an error-free planner teacher with this
                           mass on its action (default 0.8; the behaviour before profiles existed)
  --vlm-seed <n>           simulated VLM seed (default: the run's seed)`;

/** The usage text: the shared flags, the teacher's, and the algorithm's fields with their defaults. */
export function trainingUsage(entry: AlgorithmEntry): string {
  const fields = Object.entries(entry.defaults)
    .filter(([key]) => key !== 'envId' && key !== 'seed' && key !== 'totalTimesteps')
    .map(([key, value]) => `  --${kebab(key).padEnd(23)} default ${JSON.stringify(value)}`)
    .join('\n');
  const presets = entry.presets ? Object.keys(entry.presets) : [];
  return `usage: teacher-train ${entry.name} --env <id> --steps <n> [--seeds 1,2,3] [--out runs] [options]

${entry.summary}

options:
  --env <id>               environment (${ENV_EXAMPLES[entry.envFamily]})
  --steps <n>              environment steps per seed (the total-timesteps field; --frames is the same)
  --seeds <list>           comma-separated seeds, run one after another (default 1)
  --out <folder>           where run folders go (default runs)
  --label <text>           the curve's name in reports (default: the algorithm)
${presets.length > 0 ? `  --preset <name>          ${presets.join(' | ')} (default ${presets[0]})\n` : ''}  --backend <name>         auto | wasm | tensorflow | cpu (default auto: tfjs-node if installed, else wasm)
  --threads <n>            WebAssembly threads (default 1)
  --quiet                  no progress output
${entry.teacher ? `${teacherUsage}\n` : ''}${entry.teacher?.scripted ? '  --teacher <kind>         gateway (default) | scripted (the same judgement in-process, no gateway: ablations)\n' : ''}
algorithm fields (see trainer/src/algorithms/${entry.name}.ts):
${fields}
`;
}

/** The `teacher-train <name>` command of an algorithm. */
export function trainingCommand(entry: AlgorithmEntry): Command {
  return {
    name: entry.name,
    summary: entry.summary,
    usage: trainingUsage(entry),
    run: (argv) => runTraining(entry, argv),
  };
}

/** Parses the command line of `teacher-train <algorithm>` and runs every seed; resolves to the exit code. */
export async function runTraining(entry: AlgorithmEntry, argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...fieldFlagOptions(entry.defaults),
      env: { type: 'string' },
      steps: { type: 'string' },
      frames: { type: 'string' },
      seeds: { type: 'string' },
      out: { type: 'string' },
      label: { type: 'string' },
      backend: { type: 'string' },
      threads: { type: 'string' },
      quiet: { type: 'boolean' },
      ...(entry.presets ? { preset: { type: 'string' } } : {}),
      ...(entry.teacher
        ? {
            gateway: { type: 'string' },
            token: { type: 'string' },
            provider: { type: 'string' },
            accuracy: { type: 'string' },
            profile: { type: 'string' },
            'action-set': { type: 'string' },
            'vlm-seed': { type: 'string' },
          }
        : {}),
      ...(entry.teacher?.scripted ? { teacher: { type: 'string' } } : {}),
    },
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const text = (name: string) => flags[name] as string | undefined;
  const presetName = text('preset') ?? Object.keys(entry.presets ?? {})[0];
  const preset = presetName === undefined ? {} : entry.presets?.[presetName];
  if (!preset)
    throw new RangeError(
      `unknown --preset ${presetName}; known: ${Object.keys(entry.presets ?? {}).join(', ')}`,
    );
  const args = applyFieldFlags(entry.defaults, flags, { ...entry.defaults, ...preset });
  for (const [key, allowed] of Object.entries(entry.allowedValues)) {
    if (key in args && !allowed.includes(args[key] as never)) {
      throw new RangeError(
        `--${kebab(key)} must be one of ${allowed.join(', ')}, got ${String(args[key])}`,
      );
    }
  }
  if (values.env !== undefined) args.envId = resolveEnvId(values.env, entry.envFamily);
  const steps = values.steps ?? values.frames;
  if (steps !== undefined)
    args.totalTimesteps = parseNumber(values.steps === undefined ? 'frames' : 'steps', steps);
  const teacherKind = text('teacher') ?? 'gateway';
  if (teacherKind !== 'gateway' && teacherKind !== 'scripted')
    throw new RangeError(`--teacher must be gateway or scripted, got ${teacherKind}`);
  const accuracy =
    text('accuracy') === undefined ? 0.8 : parseNumber('accuracy', text('accuracy')!);
  // --accuracy alone keeps the old error-free teacher; otherwise a named profile.
  const profile =
    text('profile') ?? (text('accuracy') === undefined ? entry.teacher?.defaultProfile : undefined);
  if (profile !== undefined && profile !== 'random' && !profileNames.includes(profile))
    throw new RangeError(`--profile must be one of ${profileNames.join(', ')}, random; got ${profile}`);
  const actionSet = text('action-set') ?? 'all';
  if (actionSet !== 'all' && actionSet !== 'move')
    throw new RangeError(`--action-set must be all or move, got ${actionSet}`);
  const seeds = parseSeeds(values.seeds, args.seed);
  const out = values.out ?? 'runs';
  const backend = await setUpBackend({
    backend: (values.backend ?? 'auto') as BackendChoice,
    threads: values.threads === undefined ? 1 : parseNumber('threads', values.threads),
  });
  const clock = { now: () => performance.now() };

  for (const seed of seeds) {
    const runArgs = { ...args, seed } as RunArgs & Record<string, unknown>;
    const logger = createRunLogger({
      out,
      envId: runArgs.envId,
      algorithm: entry.name,
      seed,
      timestamp: freeTimestamp(out, `${runArgs.envId}__${entry.name}__${seed}`),
      args: {
        ...runArgs,
        backend,
        ...(values.label ? { label: values.label } : {}),
        ...(entry.teacher
          ? {
              teacher: teacherKind,
              gateway: text('gateway') ?? (teacherKind === 'scripted' ? 'none' : 'in-process'),
              accuracy,
              ...(text('gateway') ? {} : { profile: profile ?? null, actionSet }),
            }
          : {}),
      },
    });
    const lines = createMetricsLines(entry.metrics, (line) => logger.log(line));
    const progress = createProgressDisplay({
      runName: logger.runName,
      mode: values.quiet ? 'none' : process.stderr.isTTY ? 'bar' : 'lines',
      latest: lines.latest,
    });
    const dependencies: TrainDependencies = {
      clock,
      logger: lines,
      progress: (update) => progress.update(update),
      checkpoint: (checkpoint) =>
        writeFileSync(join(logger.folder, 'checkpoint.json'), JSON.stringify(checkpoint)),
    };
    try {
      if (!entry.teacher) {
        await entry.train(runArgs, dependencies);
      } else if (teacherKind === 'scripted') {
        await entry.train(runArgs, { ...dependencies, teacher: { kind: 'scripted' } });
      } else {
        // Loaded on use: the gateway stack (SQLite, Hono, providers) is only needed offline.
        const { startLocalGateway } =
          await import('../teachers/local-gateway/start-local-gateway.ts');
        const local = text('gateway')
          ? undefined
          : await startLocalGateway({
              databasePath: join(logger.folder, 'teacher.db'),
              simulatedVlm: {
                ...(profile !== undefined ? { profile } : {}),
                actionSet,
                accuracy,
                seed:
                  text('vlm-seed') === undefined
                    ? seed
                    : parseNumber('vlm-seed', text('vlm-seed')!),
              },
            });
        const client = createClient({
          baseUrl: text('gateway') ?? local!.url,
          ...(text('token') ? { token: text('token')! } : {}),
        });
        const spec = entry.teacher;
        const provider = text('provider') ?? spec.provider?.(runArgs) ?? local?.provider;
        const distribution = spec.distribution?.(runArgs);
        const teacher: RunTeacher = {
          kind: 'gateway',
          teacher: client.teacher({
            template: spec.template(runArgs),
            actions: spec.actions(runArgs),
            ...(provider ? { provider } : {}),
            ...(distribution ? { distribution } : {}),
            tags: { run: logger.runName },
          }),
          gatewayStats: async () => (await client.cacheStats()).total,
        };
        try {
          await entry.train(runArgs, { ...dependencies, teacher });
          await writeTeacherCost(client, logger.folder);
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

/** The gateway's own totals for the whole run (the in-process gateway serves this one run). */
async function writeTeacherCost(client: GatewayClient, folder: string): Promise<void> {
  writeFileSync(
    join(folder, 'teacher-cost.json'),
    `${JSON.stringify(await client.cacheStats(), null, 2)}\n`,
  );
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

/** `DoorKey-5x5` → `MiniGrid-DoorKey-5x5-v0`, `Push` → `Physics-Push-v0`; full ids pass through. */
export function resolveEnvId(name: string, family: EnvFamily = 'minigrid'): string {
  const known = envIds();
  if (known.includes(name)) return name;
  const prefix = family === 'minigrid' ? 'MiniGrid-' : 'Physics-';
  const candidate = `${prefix}${name.replace(prefix, '')}${/-v\d+$/.test(name) ? '' : '-v0'}`;
  if (known.includes(candidate)) return candidate;
  throw new RangeError(`unknown environment "${name}"`);
}
