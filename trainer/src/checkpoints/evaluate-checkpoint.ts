/**
 * @module
 * Plays episodes with a checkpoint's policy, as `teacher-train eval` and the tests do: PPO and
 * LVLM2P students on their grid world, SAC and VARL actors on their physics task.
 */
import * as tf from '@tensorflow/tfjs';
import type { Env } from '../envs/env.ts';
import { makeEnv } from '../envs/make-env.ts';
import type { GridObservation } from '../envs/grid-world/observation.ts';
import { evaluateSacAgent } from '../evaluation/evaluate-sac-agent.ts';
import { createSacAgent } from '../networks/sac-agent.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import { standardNormal } from '../random/standard-normal.ts';
import type { Checkpoint } from './checkpoint.ts';
import { restoreCheckpoint } from './checkpoint.ts';

export interface EvaluateOptions {
  episodes: number;
  /** Seeds the environment's layouts and the action draws. */
  seed: number;
  /** The most likely action (argmax, or the squashed mean) instead of samples. */
  greedy: boolean;
  /** Default: the checkpoint's environment. */
  envId?: string;
}

export interface EvaluationResult {
  envId: string;
  episodes: number;
  meanReturn: number;
  stdReturn: number;
  successRate: number;
  meanLength: number;
  returns: number[];
}

/**
 * @example
 * evaluateCheckpoint(checkpoint, { episodes: 20, seed: 10_000, greedy: false })
 */
export function evaluateCheckpoint(
  checkpoint: Checkpoint,
  options: EvaluateOptions,
): EvaluationResult {
  return checkpoint.policy.kind === 'actor-critic'
    ? evaluateActorCritic(checkpoint, options)
    : evaluateSquashedGaussian(checkpoint, options);
}

function evaluateActorCritic(checkpoint: Checkpoint, options: EvaluateOptions): EvaluationResult {
  const envId = options.envId ?? checkpoint.envId;
  const { model, vocabulary } = restoreCheckpoint(checkpoint);
  const env = makeEnv(envId as `MiniGrid-${string}`, { seed: options.seed });
  const random = new NumpyGenerator(options.seed);
  const missions = new Float32Array(vocabulary.size);
  const returns: number[] = [];
  const lengths: number[] = [];
  try {
    for (let episode = 0; episode < options.episodes; episode++) {
      let observation: GridObservation = env.reset().observation;
      let total = 0;
      for (let length = 1; ; length++) {
        vocabulary.encode(observation.mission, missions, 0);
        const probabilities = tf.tidy(() =>
          tf
            .softmax(
              model.forward(
                tf.tensor2d(observation.image, [1, 147], 'float32'),
                tf.tensor2d(missions, [1, vocabulary.size]),
              ).logits,
            )
            .dataSync(),
        );
        const action = options.greedy
          ? argMax(probabilities)
          : sample(probabilities, random.random());
        const step = env.step(action);
        total += step.reward;
        observation = step.observation;
        if (step.terminated || step.truncated) {
          returns.push(total);
          lengths.push(length);
          break;
        }
      }
    }
  } finally {
    model.dispose();
  }
  return summarize(
    envId,
    returns,
    lengths,
    returns.map((value) => value > 0),
  );
}

/**
 * A SAC or VARL actor: greedy, the same evaluation training runs (all episodes stepped
 * together); otherwise one episode at a time with actions drawn from the squashed Gaussian.
 * Episode `i` starts from seed `options.seed + i`.
 */
function evaluateSquashedGaussian(
  checkpoint: Checkpoint,
  options: EvaluateOptions,
): EvaluationResult {
  const { policy } = checkpoint;
  if (policy.kind !== 'squashed-gaussian') throw new Error('not a squashed-Gaussian policy');
  const envId = options.envId ?? checkpoint.envId;
  const random = new NumpyGenerator(options.seed);
  const agent = createSacAgent({ ...policy, random });
  const envs = Array.from(
    { length: options.episodes },
    (_, i) => makeEnv(envId, { seed: options.seed + i }) as Env<Float32Array, ArrayLike<number>>,
  );
  try {
    agent.setWeights(checkpoint.weights);
    if (options.greedy) {
      const result = evaluateSacAgent(agent, envs, options.seed);
      return summarize(envId, result.returns, result.lengths, result.successes);
    }
    const returns: number[] = [];
    const lengths: number[] = [];
    const successes: boolean[] = [];
    const o = policy.observationSize;
    const a = policy.low.length;
    envs.forEach((env, i) => {
      let observation = env.reset(options.seed + i).observation;
      let total = 0;
      let success = false;
      for (let length = 1; ; length++) {
        const noise = standardNormal(random, a);
        const action = tf.tidy(() =>
          agent
            .sample(tf.tensor2d(observation, [1, o]), tf.tensor2d(noise, [1, a]))
            .action.dataSync(),
        );
        const step = env.step(action);
        total += step.reward;
        if (step.info['success'] === true) success = true;
        observation = step.observation;
        if (step.terminated || step.truncated) {
          returns.push(total);
          lengths.push(length);
          successes.push(success);
          break;
        }
      }
    });
    return summarize(envId, returns, lengths, successes);
  } finally {
    agent.dispose();
    for (const env of envs) (env as { close?: () => void }).close?.();
  }
}

function summarize(
  envId: string,
  returns: number[],
  lengths: number[],
  successes: boolean[],
): EvaluationResult {
  const meanReturn = mean(returns);
  return {
    envId,
    episodes: returns.length,
    meanReturn,
    stdReturn: Math.sqrt(mean(returns.map((value) => (value - meanReturn) ** 2))),
    successRate: mean(successes.map(Number)),
    meanLength: mean(lengths),
    returns,
  };
}

function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function sample(probabilities: ArrayLike<number>, uniform: number): number {
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i]!;
    if (uniform < cumulative) return i;
  }
  return probabilities.length - 1;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
