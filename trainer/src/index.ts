// Environments (API.md section 4).
export type {
  ActionSpace,
  Env,
  EnvFactory,
  EnvInfo,
  MakeEnvOptions,
  ResetResult,
  StepResult,
} from './envs/env.ts';
export { envIds, makeEnv } from './envs/make-env.ts';
export { VectorEnv, createVectorEnv } from './envs/vector-env.ts';
export type { EnvSource, VectorStepResult } from './envs/vector-env.ts';
export { GridWorldEnv } from './envs/grid-world/grid-world-env.ts';
export type {
  GridWorldOptions,
  GridWorldSnapshot,
  RenderOptions,
} from './envs/grid-world/grid-world-env.ts';
export { fromEncoding } from './envs/grid-world/from-encoding.ts';
export type { FromEncodingOptions, GridWorldEncoding } from './envs/grid-world/from-encoding.ts';
export { VIEW_SIZE, imageAt } from './envs/grid-world/observation.ts';
export type { GridObservation } from './envs/grid-world/observation.ts';
export { ACTION_LABELS, Action } from './envs/grid-world/action.ts';
export { OBJECT_TYPE_NAMES, ObjectType } from './envs/grid-world/world/object-type.ts';
export { COLOR_NAMES, Color } from './envs/grid-world/world/color.ts';
export { NumpyGenerator } from './random/numpy-generator.ts';
export type { RandomSource } from './random/random-source.ts';
