/**
 * @module
 * Tasks a correct learner must solve within a small budget, each with its budget and threshold
 * stated: the proof that PPO and SAC learn at all, run by `npm run bench:learning` (all of them,
 * against a random policy measured in the same run) and, the cheapest one, by a slow test.
 */
import { PPO_DEFAULTS, train as trainPpo } from '../algorithms/ppo.ts';
import { SAC_DEFAULTS, train as trainSac } from '../algorithms/sac.ts';
import type { SacArgs } from '../algorithms/sac.ts';
import type { Env } from '../envs/env.ts';
import { PendulumEnv } from '../envs/classic/pendulum-env.ts';
import { DenseReachEnv } from '../envs/physics/dense-reach-env.ts';
import { makeEnv } from '../envs/make-env.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';

export interface LearningCheckResult {
  name: string;
  /** What is measured, in words. */
  measure: string;
  budget: string;
  threshold: number;
  value: number;
  /** The same measure for a uniformly random policy, the baseline. */
  randomValue: number;
  passed: boolean;
  seconds: number;
}

// The learning checks are entry points of their own (bench, slow test): they own the clock.
const clock = { now: () => performance.now() };

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** PPO (released settings) on MiniGrid-Empty-5x5: mean training return of the last 5 updates >= 0.8 within 15,360 frames (40 updates). */
export async function ppoEmptyCheck(seed = 1, frames = 15_360): Promise<LearningCheckResult> {
  const started = performance.now();
  const returns: number[] = [];
  const result = await trainPpo(
    { ...PPO_DEFAULTS, envId: 'MiniGrid-Empty-5x5-v0', totalTimesteps: frames, seed },
    {
      clock,
      logger: {
        log: (_step, scalars) => {
          const r = scalars['charts/episodic_return'];
          if (typeof r === 'number' && Number.isFinite(r)) returns.push(r);
        },
      },
    },
  );
  result.model.dispose();
  const value = mean(returns.slice(-5));
  // A random walk on Empty-5x5 reaches the goal within 100 steps about half the time, for little return.
  const randomValue = randomGridReturn('MiniGrid-Empty-5x5-v0', seed);
  return {
    name: 'ppo-empty-5x5',
    measure: 'mean episodic return of the last 5 updates',
    budget: `${frames} frames`,
    threshold: 0.8,
    value,
    randomValue,
    passed: value >= 0.8,
    seconds: (performance.now() - started) / 1000,
  };
}

function randomGridReturn(envId: string, seed: number, episodes = 50): number {
  return randomReturn(
    () => makeGrid(envId),
    (random) => Math.floor(random.random() * 7),
    seed,
    episodes,
  );
}

const makeGrid = (envId: string) => makeEnv(envId) as unknown as Env<unknown, number>;

function randomReturn<A>(
  build: () => Env<unknown, A>,
  act: (random: NumpyGenerator) => A,
  seed: number,
  episodes: number,
): number {
  const random = new NumpyGenerator(seed + 999);
  const env = build();
  const totals: number[] = [];
  for (let e = 0; e < episodes; e++) {
    env.reset(seed + 50_000 + e);
    let total = 0;
    for (;;) {
      const step = env.step(act(random));
      total += step.reward;
      if (step.terminated || step.truncated) break;
    }
    totals.push(total);
  }
  return mean(totals);
}

interface SacCheckOptions {
  seed?: number;
  steps?: number;
  /** Arguments that differ from the check's own (a sweep over a hyperparameter). */
  overrides?: Partial<SacArgs>;
}

async function sacCheck(
  name: string,
  build: (seed: number) => Env<Float32Array, ArrayLike<number>>,
  args: Partial<SacArgs>,
  measure: 'return' | 'success',
  threshold: number,
  options: SacCheckOptions,
): Promise<LearningCheckResult> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const steps = options.steps ?? args.totalTimesteps ?? 5_000;
  const evaluations: { ret: number; success: number }[] = [];
  await trainSac(
    { ...SAC_DEFAULTS, ...args, ...options.overrides, envId: name, seed, totalTimesteps: steps },
    {
      clock,
      logger: {
        log: (_step, scalars) => {
          const ret = scalars['eval/episodic_return'];
          if (typeof ret === 'number')
            evaluations.push({ ret, success: Number(scalars['eval/success_rate'] ?? 0) });
        },
      },
      makeEnv: (_id, envSeed) => build(envSeed),
    },
  );
  const last = evaluations.at(-1) ?? { ret: Number.NaN, success: Number.NaN };
  const value = measure === 'return' ? last.ret : last.success;
  const env = build(seed);
  const { low, high } = env.actionSpace as { low: readonly number[]; high: readonly number[] };
  const randomValue =
    measure === 'return'
      ? randomReturn(
          () => build(seed),
          (random) => Float32Array.from(low, (lo, i) => random.uniform(lo, high[i]!)),
          seed,
          10,
        )
      : randomSuccess(build, low, high, seed);
  return {
    name,
    measure:
      measure === 'return'
        ? `greedy return, mean of ${args.evalEpisodes ?? SAC_DEFAULTS.evalEpisodes} evaluation episodes at the end`
        : `greedy success rate over ${args.evalEpisodes ?? SAC_DEFAULTS.evalEpisodes} evaluation episodes at the end`,
    budget: `${steps} env steps`,
    threshold,
    value,
    randomValue,
    passed: value >= threshold,
    seconds: (performance.now() - started) / 1000,
  };
}

function randomSuccess(
  build: (seed: number) => Env<Float32Array, ArrayLike<number>>,
  low: readonly number[],
  high: readonly number[],
  seed: number,
): number {
  const random = new NumpyGenerator(seed + 999);
  let successes = 0;
  const episodes = 20;
  for (let e = 0; e < episodes; e++) {
    const env = build(seed + 60_000 + e);
    env.reset(seed + 60_000 + e);
    for (;;) {
      const step = env.step(Float32Array.from(low, (lo, i) => random.uniform(lo, high[i]!)));
      if (step.info.success === true) successes += 1;
      if (step.terminated || step.truncated) break;
    }
  }
  return successes / episodes;
}

/** SAC on Gymnasium's Pendulum-v1 dynamics: greedy return >= -400 after 8,000 steps (random play: about -1200). */
export const sacPendulumCheck = (options: SacCheckOptions = {}) =>
  sacCheck(
    'Pendulum-v1',
    (seed) => new PendulumEnv(seed),
    { totalTimesteps: 8_000, learningStarts: 1_000, evalEvery: 2_000, evalEpisodes: 5 },
    'return',
    -400,
    options,
  );

/** SAC on Reach with a dense (distance-decrease) reward: greedy success >= 0.8 after 4,000 steps. */
export const sacDenseReachCheck = (options: SacCheckOptions = {}) =>
  sacCheck(
    'Physics-Reach-Dense',
    (seed) => new DenseReachEnv(seed),
    { totalTimesteps: 4_000, learningStarts: 500, evalEvery: 1_000, evalEpisodes: 10 },
    'success',
    0.8,
    options,
  );
