import type { RigidBody, World } from '@dimforge/rapier2d-deterministic-compat';
import { NumpyGenerator } from '../../random/numpy-generator.ts';
import type { ActionSpace, Env, MakeEnvOptions, ResetResult, StepResult } from '../env.ts';
import type { RgbImage } from '../grid-world/rendering/render-grid.ts';
import type { PhysicsEpisode, PhysicsTask } from './physics-task.ts';
import { HAND_RADIUS, TABLE_HALF_SIZE } from './physics-scene.ts';
import type { PhysicsScene, Vec2 } from './physics-scene.ts';
import { RAPIER } from './rapier.ts';
import { RENDER_SIZE, renderPhysicsScene } from './render-physics-scene.ts';

/** Largest hand displacement per step, in table units, for an action component of ±1. */
export const ACTION_SCALE = 0.04;
/** Physics substeps per env step (Meta-World's frame skip): smoother contacts for a pushed puck. */
const SUBSTEPS = 2;
const TIMESTEP = 1 / 60;
const HAND_LIMIT = TABLE_HALF_SIZE - HAND_RADIUS;
const WALL_THICKNESS = 0.05;
const DEFAULT_SEED = 0;

export const PHYSICS_ACTION_LABELS = ['dx', 'dy'] as const;

/**
 * A Rapier 2D table with a kinematic hand (a disc moved by bounded displacements) and the
 * task's bodies. Sparse reward: 1 on the step the task succeeds, which also ends the episode;
 * otherwise 0 until the time limit truncates it. `info.success` flags the success.
 *
 * @example
 * const env = new PhysicsEnv('Physics-Reach-v0', reachTask, { seed: 1 })
 * const { observation } = env.reset()
 * const step = env.step([1, 0])
 */
export class PhysicsEnv implements Env<Float32Array, ArrayLike<number>> {
  readonly actionSpace: ActionSpace = { kind: 'continuous', low: [-1, -1], high: [1, 1] };
  readonly actionLabels = PHYSICS_ACTION_LABELS;
  readonly observationSize: number;
  private random: NumpyGenerator;
  private pendingSeed: number | undefined;
  private world: World | undefined;
  private hand: RigidBody | undefined;
  private episode: PhysicsEpisode | undefined;
  private lastObservation: Float32Array = new Float32Array(0);
  private elapsedSteps = 0;

  constructor(
    readonly id: string,
    readonly task: PhysicsTask,
    options: MakeEnvOptions = {},
  ) {
    this.observationSize = task.observationSize;
    this.pendingSeed = options.seed ?? DEFAULT_SEED;
    this.random = new NumpyGenerator(this.pendingSeed);
  }

  get maxEpisodeSteps(): number {
    return this.task.maxEpisodeSteps;
  }

  reset(seed?: number): ResetResult<Float32Array> {
    const start = seed ?? this.pendingSeed;
    if (start !== undefined) this.random = new NumpyGenerator(start);
    this.pendingSeed = undefined;
    // A fresh world per episode: no solver state (warm starts, contact caches) leaks across episodes.
    this.world?.free();
    const world = new RAPIER.World({ x: 0, y: 0 });
    world.timestep = TIMESTEP;
    addWalls(world);
    const episode = this.task.build(world, this.random);
    const hand = world.createRigidBody(
      RAPIER.RigidBodyDesc.kinematicPositionBased().setTranslation(
        episode.handStart.x,
        episode.handStart.y,
      ),
    );
    world.createCollider(RAPIER.ColliderDesc.ball(HAND_RADIUS).setFriction(0.3), hand);
    this.world = world;
    this.hand = hand;
    this.episode = episode;
    this.elapsedSteps = 0;
    this.lastObservation = episode.observe(episode.handStart);
    return { observation: this.lastObservation, info: { success: false } };
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const { world, hand, episode } = this;
    if (!world || !hand || !episode) throw new Error('call reset() before step()');
    const from = hand.translation();
    const to = {
      x: clamp(from.x + clamp(action[0] ?? 0, -1, 1) * ACTION_SCALE, -HAND_LIMIT, HAND_LIMIT),
      y: clamp(from.y + clamp(action[1] ?? 0, -1, 1) * ACTION_SCALE, -HAND_LIMIT, HAND_LIMIT),
    };
    for (let k = 1; k <= SUBSTEPS; k++) {
      const t = k / SUBSTEPS;
      hand.setNextKinematicTranslation({
        x: from.x + (to.x - from.x) * t,
        y: from.y + (to.y - from.y) * t,
      });
      world.step();
    }
    this.elapsedSteps += 1;
    const position: Vec2 = hand.translation();
    const success = episode.isSuccess(position);
    this.lastObservation = episode.observe(position);
    return {
      observation: this.lastObservation,
      reward: success ? 1 : 0,
      terminated: success,
      truncated: !success && this.elapsedSteps >= this.task.maxEpisodeSteps,
      info: { success },
    };
  }

  /** The current state as the teacher sees it. */
  render(size = RENDER_SIZE): RgbImage {
    return renderPhysicsScene(this.scene(), size);
  }

  scene(observation: ArrayLike<number> = this.lastObservation): PhysicsScene {
    return this.task.sceneOf(observation);
  }

  /** Frees the simulator's WebAssembly memory; the env can be reset again afterwards. */
  close(): void {
    this.world?.free();
    this.world = undefined;
    this.hand = undefined;
    this.episode = undefined;
  }
}

function addWalls(world: World): void {
  const h = TABLE_HALF_SIZE + WALL_THICKNESS;
  const walls: [number, number, number, number][] = [
    [0, h, h, WALL_THICKNESS],
    [0, -h, h, WALL_THICKNESS],
    [h, 0, WALL_THICKNESS, h],
    [-h, 0, WALL_THICKNESS, h],
  ];
  for (const [x, y, hx, hy] of walls) {
    world.createCollider(RAPIER.ColliderDesc.cuboid(hx, hy).setTranslation(x, y));
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Number.isFinite(value) ? value : 0));
}
