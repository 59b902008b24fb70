import type { ActionSpace, Env, EnvInfo, MakeEnvOptions } from './env.ts';
import { makeEnv } from './make-env.ts';

export interface VectorStepResult<Observation> {
  observations: Observation[];
  rewards: Float64Array;
  /** 1 where the sub-environment's episode ended this step. */
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: EnvInfo[];
}

/**
 * `n` environments stepped together, with Gymnasium 1.x's default autoreset mode,
 * NEXT_STEP: the step that ends an episode returns its final observation and flags; the
 * next `step` call resets that sub-environment (ignoring its action) and returns the reset
 * observation with reward 0 and both flags false.
 */
export class VectorEnv<Observation, Action> {
  readonly numEnvs: number;
  readonly actionSpace: ActionSpace;
  private readonly needsReset: Uint8Array;

  constructor(readonly envs: readonly Env<Observation, Action>[]) {
    const first = envs[0];
    if (first === undefined) throw new RangeError('a vector env needs at least one environment');
    this.numEnvs = envs.length;
    this.actionSpace = first.actionSpace;
    this.needsReset = new Uint8Array(envs.length);
  }

  /**
   * With a seed, sub-environment `i` is reset with `seed + i` (as Gymnasium does); without,
   * each continues its own stream (the first time: the seed it was created with).
   */
  reset(seed?: number): { observations: Observation[]; infos: EnvInfo[] } {
    this.needsReset.fill(0);
    const observations: Observation[] = [];
    const infos: EnvInfo[] = [];
    this.envs.forEach((env, i) => {
      const result = env.reset(seed === undefined ? undefined : seed + i);
      observations.push(result.observation);
      infos.push(result.info);
    });
    return { observations, infos };
  }

  step(actions: ArrayLike<Action>): VectorStepResult<Observation> {
    const n = this.numEnvs;
    const result: VectorStepResult<Observation> = {
      observations: new Array<Observation>(n),
      rewards: new Float64Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      infos: new Array<EnvInfo>(n),
    };
    for (let i = 0; i < n; i++) {
      const env = this.envs[i]!;
      if (this.needsReset[i] === 1) {
        const reset = env.reset();
        this.needsReset[i] = 0;
        result.observations[i] = reset.observation;
        result.infos[i] = reset.info;
        continue;
      }
      const step = env.step(actions[i]!);
      result.observations[i] = step.observation;
      result.rewards[i] = step.reward;
      result.terminated[i] = step.terminated ? 1 : 0;
      result.truncated[i] = step.truncated ? 1 : 0;
      result.infos[i] = step.info;
      if (step.terminated || step.truncated) this.needsReset[i] = 1;
    }
    return result;
  }
}

export type EnvSource<Observation, Action> =
  | string
  | readonly string[]
  | ((index: number, options: MakeEnvOptions) => Env<Observation, Action>);

/**
 * `n` environments from one id, a list of ids (cycled), or a factory. Sub-environment `i`
 * is created with seed `seed + i`; `reset()` without a seed then starts each from its own.
 */
export function createVectorEnv<Observation = unknown, Action = unknown>(
  source: EnvSource<Observation, Action>,
  n: number,
  options: MakeEnvOptions = {},
): VectorEnv<Observation, Action> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const envs: Env<Observation, Action>[] = [];
  for (let i = 0; i < n; i++) {
    const envOptions: MakeEnvOptions = options.seed === undefined ? {} : { seed: options.seed + i };
    if (typeof source === 'function') {
      envs.push(source(i, envOptions));
    } else {
      const ids: readonly string[] = typeof source === 'string' ? [source] : source;
      const id = ids[i % ids.length];
      if (id === undefined) throw new RangeError('createVectorEnv needs at least one id');
      envs.push(makeEnv(id, envOptions) as Env<Observation, Action>);
    }
  }
  return new VectorEnv(envs);
}
