import type { Env, EnvFactory, MakeEnvOptions } from './env.ts';
import { GRID_WORLD_LAYOUTS } from './grid-world/grid-world-layouts.ts';
import { GridWorldEnv } from './grid-world/grid-world-env.ts';
import { PhysicsEnv } from './physics/physics-env.ts';
import { PHYSICS_TASKS } from './physics/physics-tasks.ts';

/** Every environment id the trainer can build, with its factory. Other task families add theirs here. */
const REGISTRY = new Map<string, EnvFactory>([
  ...Object.entries(GRID_WORLD_LAYOUTS).map(([id, layout]): [string, EnvFactory] => [
    id,
    (options) => new GridWorldEnv(id, layout(), options),
  ]),
  ...Object.entries(PHYSICS_TASKS).map(([id, task]): [string, EnvFactory] => [
    id,
    (options) => new PhysicsEnv(id, task, options),
  ]),
]);

/** Ids of all registered environments. */
export function envIds(): string[] {
  return [...REGISTRY.keys()];
}

/** Builds a registered environment; `seed` starts its random stream (first `reset()` without a seed uses it). */
export function makeEnv(id: `MiniGrid-${string}`, options?: MakeEnvOptions): GridWorldEnv;
export function makeEnv(id: `Physics-${string}`, options?: MakeEnvOptions): PhysicsEnv;
export function makeEnv(id: string, options?: MakeEnvOptions): Env<unknown, unknown>;
export function makeEnv(id: string, options: MakeEnvOptions = {}): Env<unknown, unknown> {
  const factory = REGISTRY.get(id);
  if (factory === undefined) {
    throw new RangeError(`unknown environment id "${id}"; registered: ${envIds().join(', ')}`);
  }
  return factory(options);
}
