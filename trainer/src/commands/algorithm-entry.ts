/**
 * @module
 * What `teacher-train` needs to know to run an algorithm: one entry per algorithm in
 * `algorithm-registry.ts`, run by the one runner in `run-training.ts`, so run naming, progress,
 * teacher wiring and checkpoints behave alike for all of them.
 */
import type { Teacher, TeacherOptions } from '@teacher-gateway/client';
import type { TrainDependencies } from '../algorithms/train-dependencies.ts';

/** The fields every algorithm's arguments share. */
export interface RunArgs {
  envId: string;
  seed: number;
  /** The budget: environment steps (`--steps`, `--frames`). */
  totalTimesteps: number;
}

/** Where a run's environments come from, which decides how a short `--env` name is completed. */
export type EnvFamily = 'minigrid' | 'physics';

/** The gateway teacher the runner opens for a run (a `--gateway` URL or an in-process one). */
export interface GatewayTeacher {
  kind: 'gateway';
  teacher: Teacher;
  /** The gateway's running totals, for `teacher/gateway_*`. */
  gatewayStats(): Promise<{
    upstreamCalls: number;
    hits: number;
    inputTokens: number;
    outputTokens: number;
  }>;
}

/** `--teacher scripted`: the same judgement in-process, no gateway (ablations). */
export interface ScriptedTeacher {
  kind: 'scripted';
}

export type RunTeacher = GatewayTeacher | ScriptedTeacher;

/** How an algorithm asks its teacher through the gateway. */
export interface TeacherSpec {
  /** The action space the teacher answers in (LVLM2P's `--teacher-actions 3` narrows it). */
  actions(args: RunArgs): TeacherOptions['actions'];
  /**
   * The simulated VLM's quality profile when `--profile` is not given (docs/teacher-quality.md);
   * undefined keeps the profile-less teacher. `--accuracy` alone also keeps it.
   */
  defaultProfile?: string;
  template(args: RunArgs): string;
  /** The provider named by the arguments, if the algorithm has such a field. */
  provider?(args: RunArgs): string | undefined;
  distribution?(args: RunArgs): TeacherOptions['distribution'];
  /** Whether `--teacher scripted` (an in-process stand-in for the gateway) is offered. */
  scripted: boolean;
}

export interface AlgorithmEntry {
  name: string;
  /** One line for `teacher-train --help`. */
  summary: string;
  /** Every field is a `--kebab-case` flag with this default. */
  defaults: RunArgs;
  /** Named settings applied before flags (`--preset`); the first is the default. */
  presets?: Record<string, object>;
  /** Fields whose values come from a fixed set. */
  allowedValues: Record<string, readonly (string | number)[]>;
  envFamily: EnvFamily;
  /** Undefined: the algorithm has no teacher. */
  teacher?: TeacherSpec;
  /**
   * `per-update`: the algorithm logs one finished line per update (PPO). `per-evaluation`: it logs
   * each episode and loss as it happens, and the runner folds them into one line per evaluation.
   */
  metrics: 'per-update' | 'per-evaluation';
  /** Trains one seed; the runner owns every effect in `dependencies`. */
  train(args: RunArgs, dependencies: TrainDependencies<RunTeacher | undefined>): Promise<void>;
}
