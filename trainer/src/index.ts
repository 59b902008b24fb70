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
// Grid-world rendering: MiniGrid RGB frames, PNG, and reading frames back into cells.
export { renderGrid } from './envs/grid-world/rendering/render-grid.ts';
export type { GridPicture, RgbImage } from './envs/grid-world/rendering/render-grid.ts';
export { encodePng } from './envs/grid-world/rendering/encode-png.ts';
export { toPngDataUrl } from './envs/grid-world/rendering/to-png-data-url.ts';
export { decodePng } from './envs/grid-world/rendering/decode-png.ts';
export { decodePngDataUrl } from './envs/grid-world/rendering/decode-png-data-url.ts';
export { readGridPicture } from './envs/grid-world/rendering/read-grid-picture.ts';
export type {
  GridPictureFailure,
  GridPictureReadResult,
  GridPictureReading,
  ReadGridPictureOptions,
} from './envs/grid-world/rendering/read-grid-picture.ts';
// Teachers: the planner bot (full state, or what a VLM sees).
export { planAction } from './teachers/planner/plan-action.ts';
export { planActionFromMission } from './teachers/planner/plan-action-from-mission.ts';
export { parseMission } from './teachers/planner/parse-mission.ts';
export type { MissionTask } from './teachers/planner/parse-mission.ts';
export type { PlanResult, PlannerWorld, HeldObject } from './teachers/planner/planner-world.ts';
export type { PlannerState } from './teachers/planner/world-from-snapshot.ts';
export type { VisibleGrid, VisibleState } from './teachers/planner/world-from-picture.ts';
// Teachers: the simulated VLM (an OpenAI-compatible server answering from the planner).
export { createSimulatedVlmServer } from './teachers/simulated-vlm/create-simulated-vlm-server.ts';
export type { SimulatedVlmServer } from './teachers/simulated-vlm/create-simulated-vlm-server.ts';
export type { SimulatedVlmOptions } from './teachers/simulated-vlm/simulated-vlm-options.ts';
export type { VectorAdvisor, VectorAdvice, VectorComponent } from './teachers/simulated-vlm/vector-advisor.ts';
// Training (PPO, LVLM2P, networks, checkpoints, reports) loads TensorFlow.js and vega, so it has
// its own entry point: `@teacher-gateway/trainer/training` (trainer/src/training.ts).
// Physics tasks (Rapier 2D, deterministic): reach, push, button press; the top-down render and its read-back.
export { ACTION_SCALE, PHYSICS_ACTION_LABELS, PhysicsEnv } from './envs/physics/physics-env.ts';
export { PHYSICS_TASKS } from './envs/physics/physics-tasks.ts';
export type { PhysicsEpisode, PhysicsTask } from './envs/physics/physics-task.ts';
export type { PhysicsScene, Vec2 } from './envs/physics/physics-scene.ts';
export { RENDER_SIZE, renderPhysicsScene } from './envs/physics/render-physics-scene.ts';
export { readPhysicsScene } from './envs/physics/read-physics-scene.ts';
export type { PhysicsSceneReading, ReadPhysicsSceneOptions } from './envs/physics/read-physics-scene.ts';
// Teachers: physics advice (the simulated VLM's judgement on physics-varl prompts).
export { physicsAdvisor } from './teachers/physics-advisor/physics-advisor.ts';
export { readPhysicsTaskKind, suggestPhysicsAction } from './teachers/physics-advisor/suggest-physics-action.ts';
export type { PhysicsTaskKind } from './teachers/physics-advisor/suggest-physics-action.ts';
