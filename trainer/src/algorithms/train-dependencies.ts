/**
 * @module
 * The one contract every training algorithm (PPO, LVLM2P, SAC, VARL) is called with. Effects come
 * in here, so the algorithm files stay pure loops: the clock (for `charts/sps` and teacher waits),
 * the logger (namespaced scalars at a global step, cleanrl's `writer.add_scalar`), progress, the
 * checkpoint sink and, for the teacher-guided variants, the teacher. The budget of every algorithm
 * is `totalTimesteps` (environment steps, MiniGrid's "frames"), and `global_step` counts the same.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '../checkpoints/checkpoint.ts';

/** Namespaced scalars (`charts/…`, `losses/…`, `eval/…`, `teacher/…`). */
export type Scalars = Record<string, number>;

/** Milliseconds on a monotonic clock; tests pass a fake. */
export interface Clock {
  now(): number;
}

export interface TrainLogger {
  /** Scalars observed at environment step `step` (the run's `global_step`). */
  log(step: number, scalars: Scalars): void;
}

export interface TrainProgress {
  /** Environment steps done. */
  step: number;
  /** Environment steps the run will take (the budget rounded up to whole rollouts). */
  totalSteps: number;
}

interface BaseDependencies {
  clock: Clock;
  logger: TrainLogger;
  progress?(progress: TrainProgress): void;
  /** Receives a checkpoint every `checkpointEvery` (the algorithm's unit) and at the end. */
  checkpoint?(checkpoint: Checkpoint): void | Promise<void>;
}

/**
 * What `train` receives. `Teacher` is the variant's teacher (LVLM2P: a discrete gateway teacher;
 * VARL: an action advisor); the plain algorithms take none.
 */
export type TrainDependencies<Teacher = undefined> = BaseDependencies &
  (undefined extends Teacher ? { teacher?: Teacher } : { teacher: Teacher });

/**
 * How a variant changes its base algorithm without copying its loop (LVLM2P on PPO, VARL on SAC).
 * `Contexts` names what each hook sees; a base algorithm calls the hooks it has a place for.
 */
export interface TrainHooks<
  Contexts extends { observe?: unknown; step?: unknown; update?: unknown; loss?: unknown },
> {
  /** Each state as it is collected, before the policy acts on it. */
  observe?(context: Contexts['observe']): void;
  /** After each environment step; a promise is awaited (teacher work in flight, a query round). */
  afterStep?(context: Contexts['step']): Promise<void> | void;
  /** Before each update, after its data is collected. */
  beforeUpdate?(context: Contexts['update']): Promise<void>;
  /** Added to the policy's loss inside the gradient tape; undefined adds nothing. */
  loss?(context: Contexts['loss']): tf.Scalar | undefined;
  /** Scalars to log with the update's line. */
  metrics?(): Scalars;
  dispose?(): Promise<void>;
}
