import type { World } from '@dimforge/rapier2d-deterministic-compat';
import type { NumpyGenerator } from '../../random/numpy-generator.ts';
import type { PhysicsScene, Vec2 } from './physics-scene.ts';

/** One episode's bodies, built into a fresh world, and how to read them. */
export interface PhysicsEpisode {
  /** Where the hand starts; the env creates it there. */
  handStart: Vec2;
  /** The student's observation, given the hand's position. */
  observe(hand: Vec2): Float32Array;
  isSuccess(hand: Vec2): boolean;
}

/**
 * A sparse-reward manipulation task in the style of Meta-World, drawn from above: what to
 * build at reset, what the student observes, when it succeeded, and how an observation is drawn.
 */
export interface PhysicsTask {
  /** What the teacher is told, as the prompt's `Task:` line. */
  instruction: string;
  maxEpisodeSteps: number;
  observationSize: number;
  /** Names of the observation's components, in order (for docs and logs). */
  observationLabels: readonly string[];
  /** Adds the episode's bodies to `world` (walls are already there), drawing its layout from `random`. */
  build(world: World, random: NumpyGenerator): PhysicsEpisode;
  /** The scene an observation of this task shows (pure: draws any stored state). */
  sceneOf(observation: ArrayLike<number>): PhysicsScene;
}
