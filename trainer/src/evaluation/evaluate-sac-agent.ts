/**
 * @module
 * SAC's evaluation: the greedy policy (the squashed mean action) on fixed episode seeds, all
 * episodes stepped together so the actor runs once per step on a batch. Training evaluates with
 * it every `evalEvery` steps; `teacher-train eval` with it on a checkpoint's actor.
 */
import * as tf from '@tensorflow/tfjs';
import type { Env } from '../envs/env.ts';
import type { SacAgent } from '../networks/sac-agent.ts';

/** Training evaluates on episode seeds `seed + EVAL_SEED_OFFSET + i`, far from its own. */
export const EVAL_SEED_OFFSET = 1_000_000;

export interface SacEvaluation {
  successRate: number;
  meanReturn: number;
  meanLength: number;
  returns: number[];
  lengths: number[];
  successes: boolean[];
}

/** One greedy episode per environment, environment `i` reset with seed `firstSeed + i`. */
export function evaluateSacAgent(
  agent: Pick<SacAgent, 'observationSize' | 'actionSize' | 'meanAction'>,
  envs: readonly Env<Float32Array, ArrayLike<number>>[],
  firstSeed: number,
): SacEvaluation {
  const n = envs.length;
  const observations = envs.map((env, i) => env.reset(firstSeed + i).observation);
  const running = new Array<boolean>(n).fill(true);
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  const successes = new Array<boolean>(n).fill(false);
  const o = agent.observationSize;
  while (running.some(Boolean)) {
    const flat = new Float32Array(n * o);
    observations.forEach((obs, i) => flat.set(obs, i * o));
    const actions = tf.tidy(() => agent.meanAction(tf.tensor2d(flat, [n, o])).dataSync());
    envs.forEach((env, i) => {
      if (!running[i]) return;
      const result = env.step(actions.subarray(i * agent.actionSize, (i + 1) * agent.actionSize));
      observations[i] = result.observation;
      returns[i]! += result.reward;
      lengths[i]! += 1;
      if (result.info['success'] === true) successes[i] = true;
      if (result.terminated || result.truncated) running[i] = false;
    });
  }
  const mean = (values: number[]) => values.reduce((x, y) => x + y, 0) / values.length;
  return {
    successRate: mean(successes.map(Number)),
    meanReturn: mean(returns),
    meanLength: mean(lengths),
    returns,
    lengths,
    successes,
  };
}
