import type { GridWorldState } from './grid-world-state.ts';

/** Mutable result of one step, which task rules may rewrite after the base dynamics. */
export interface StepOutcome {
  reward: number;
  terminated: boolean;
}

/**
 * Env-specific rules around MiniGrid's base step. Created per episode (by generation or by
 * restoring a recorded state), so rules may hold the objects they track by identity.
 */
export interface TaskRules {
  /** Runs before the base step; returns the action the base step applies. */
  beforeStep?(state: GridWorldState, action: number): number;
  /** Runs after the base step with the applied action. */
  afterStep?(state: GridWorldState, action: number, outcome: StepOutcome): void;
  /** The hidden state `restore` needs, named as in the reference fixtures. */
  extra?(state: GridWorldState): Extra;
}

export type Extra = Readonly<Record<string, unknown>>;

/** One registered MiniGrid env id: its constants and its layout family's generator. */
export interface GridWorldLayout {
  readonly width: number;
  readonly height: number;
  readonly maxSteps: number;
  readonly seeThroughWalls: boolean;
  /** 7, except Dynamic-Obstacles (3). */
  readonly actionCount: number;
  /** Builds the layout into `state` (grid cleared, agent at (-1, -1)); sets the mission. */
  generate(state: GridWorldState): TaskRules;
  /** Rebuilds the rules from a recorded state's `extra` (named as in the reference fixtures). */
  restore(state: GridWorldState, extra: Extra): TaskRules;
}

export const BASE_RULES: TaskRules = {};
