/**
 * @module
 * `@teacher-gateway/trainer/training`: PPO and LVLM2P, the student network, checkpoints and
 * reports. A separate entry point from the package root because it loads TensorFlow.js, vega and
 * an in-process gateway, which the environments and teachers alone do not need.
 */
export { computeGae, ppoDefaults, ppoPresets, train as trainPpo } from './algorithms/ppo.ts';
export type {
  Guidance,
  GuidanceRollout,
  PpoArgs,
  TrainDependencies,
  TrainProgress,
  TrainResult,
} from './algorithms/ppo.ts';
export {
  createLvlm2pGuidance,
  distillationLoss,
  lambdaAt,
  lvlm2pDefaults,
  train as trainLvlm2p,
} from './algorithms/lvlm2p.ts';
export type {
  DistillMode,
  LambdaSchedule,
  Lvlm2pArgs,
  Lvlm2pDependencies,
} from './algorithms/lvlm2p.ts';
export { createActorCritic } from './networks/actor-critic.ts';
export type { ActorCritic, ActorCriticOptions } from './networks/actor-critic.ts';
export { createMissionVocabulary } from './networks/mission-vocabulary.ts';
export type { MissionVocabulary } from './networks/mission-vocabulary.ts';
export { createCheckpoint, restoreCheckpoint } from './checkpoints/checkpoint.ts';
export type { Checkpoint } from './checkpoints/checkpoint.ts';
export { evaluateCheckpoint } from './checkpoints/evaluate-checkpoint.ts';
export type { EvaluateOptions, EvaluationResult } from './checkpoints/evaluate-checkpoint.ts';
export { setUpBackend } from './tensors/set-up-backend.ts';
export type { BackendChoice, SetUpBackendOptions } from './tensors/set-up-backend.ts';
export { startLocalGateway } from './teachers/local-gateway/start-local-gateway.ts';
export type {
  LocalGateway,
  LocalGatewayOptions,
} from './teachers/local-gateway/start-local-gateway.ts';
export { createRunLogger } from './logging/create-run-logger.ts';
export type { RunLogger, RunLoggerOptions } from './logging/create-run-logger.ts';
export { loadRuns } from './reports/load-runs.ts';
export type { LoadedRun } from './reports/load-runs.ts';
export { formatSummaryTable, learningCurves, summarizeRuns } from './reports/summarize-runs.ts';
export type { CurvePoint, MethodSummary, SummaryOptions } from './reports/summarize-runs.ts';
export { renderLearningCurves } from './reports/render-learning-curves.ts';
export {
  SAC_DEFAULTS,
  createSacAgent,
  softUpdate,
  train as trainSac,
  updateSac,
} from './algorithms/sac.ts';
export type {
  SacAgent,
  SacArgs,
  SacDependencies,
  SacHooks,
  SacResult,
  Scalars,
} from './algorithms/sac.ts';
export {
  VARL_DEFAULTS,
  gatedBehaviourCloningLoss,
  guidanceGate,
  queryTriggerSteps,
  train as trainVarl,
} from './algorithms/varl.ts';
export type { VarlArgs, VarlDependencies, VarlResult } from './algorithms/varl.ts';
export { ReplayBuffer } from './buffers/replay-buffer.ts';
export type { ReplayBatch, Transition } from './buffers/replay-buffer.ts';
export { GuidanceBuffer } from './buffers/guidance-buffer.ts';
export type {
  ActionAdvice,
  ActionAdviceRequest,
  ActionAdvisor,
} from './teachers/action-advisor.ts';
export { createGatewayActionAdvisor } from './teachers/create-gateway-action-advisor.ts';
export { createScriptedActionAdvisor } from './teachers/physics-advisor/create-scripted-action-advisor.ts';
