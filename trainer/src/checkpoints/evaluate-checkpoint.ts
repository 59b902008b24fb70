/**
 * @module
 * Plays episodes with a checkpoint's student, as `teacher-train eval` and the tests do.
 */
import * as tf from '@tensorflow/tfjs';
import { makeEnv } from '../envs/make-env.ts';
import type { GridObservation } from '../envs/grid-world/observation.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import type { Checkpoint } from './checkpoint.ts';
import { restoreCheckpoint } from './checkpoint.ts';

export interface EvaluateOptions {
  episodes: number;
  /** Seeds the environment's layouts and the action draws. */
  seed: number;
  /** Argmax actions instead of samples. */
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
  const meanReturn = mean(returns);
  return {
    envId,
    episodes: options.episodes,
    meanReturn,
    stdReturn: Math.sqrt(mean(returns.map((value) => (value - meanReturn) ** 2))),
    successRate: mean(returns.map((value) => (value > 0 ? 1 : 0))),
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
