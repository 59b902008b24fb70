/**
 * The environment contract shared by every task in the trainer (grid worlds, physics),
 * with Gymnasium 1.x semantics: `terminated` means the task ended (success or failure),
 * `truncated` means a time limit cut it short; both may be true on the same step.
 */
export type EnvInfo = Record<string, unknown>;

export interface ResetResult<Observation> {
  observation: Observation;
  info: EnvInfo;
}

export interface StepResult<Observation> {
  observation: Observation;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: EnvInfo;
}

export type ActionSpace =
  | { kind: 'discrete'; n: number }
  | { kind: 'continuous'; low: readonly number[]; high: readonly number[] };

export interface Env<Observation, Action> {
  readonly id: string;
  readonly actionSpace: ActionSpace;
  /** With a seed, restarts the environment's random stream from it; without, continues the stream. */
  reset(seed?: number): ResetResult<Observation>;
  step(action: Action): StepResult<Observation>;
}

export interface MakeEnvOptions {
  /** Seed of the environment's random stream; used by the first `reset()` without a seed. */
  seed?: number;
}

export type EnvFactory<Observation = unknown, Action = unknown> = (
  options: MakeEnvOptions,
) => Env<Observation, Action>;
