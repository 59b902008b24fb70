import type { Env, ResetResult, StepResult } from '../env.ts';
import { makeEnv } from '../make-env.ts';

/**
 * Physics-Reach with a dense reward, for checking that a learner learns: each step pays the
 * decrease in hand-goal distance (x10), plus the sparse task's 1 on success. The observation is
 * Reach's own `[hand x, hand y, goal x, goal y]`.
 */
export class DenseReachEnv implements Env<Float32Array, ArrayLike<number>> {
  readonly id = 'Physics-Reach-Dense';
  private readonly inner: Env<Float32Array, ArrayLike<number>>;
  private distance = 0;

  constructor(seed = 0) {
    this.inner = makeEnv('Physics-Reach-v0', { seed }) as Env<Float32Array, ArrayLike<number>>;
  }

  get actionSpace() {
    return this.inner.actionSpace;
  }

  reset(seed?: number): ResetResult<Float32Array> {
    const result = this.inner.reset(seed);
    this.distance = distanceOf(result.observation);
    return result;
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const result = this.inner.step(action);
    const distance = distanceOf(result.observation);
    const reward = 10 * (this.distance - distance) + result.reward;
    this.distance = distance;
    return { ...result, reward };
  }
}

function distanceOf(observation: Float32Array): number {
  return Math.hypot(observation[0]! - observation[2]!, observation[1]! - observation[3]!);
}
