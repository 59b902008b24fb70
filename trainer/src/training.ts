/**
 * @module
 * `@teacher-gateway/trainer/training`: PPO, LVLM2P, SAC and VARL, the student networks, checkpoints and
 * reports. A separate entry point from the package root because it loads TensorFlow.js, vega and
 * an in-process gateway, which the environments and teachers alone do not need.
 */
export type {
  Clock,
  Scalars,
  TrainDependencies,
  TrainHooks,
  TrainLogger,
  TrainProgress,
} from './algorithms/train-dependencies.ts';
export { PPO_DEFAULTS, PPO_PRESETS, computeGae, train as trainPpo } from './algorithms/ppo.ts';
export type {
  GuidanceRollout,
  PpoArgs,
  PpoHooks,
  PpoResult,
  PpoVariant,
} from './algorithms/ppo.ts';
export {
  LVLM2P_DEFAULTS,
  createLvlm2pGuidance,
  distillationLoss,
  lambdaAt,
  train as trainLvlm2p,
} from './algorithms/lvlm2p.ts';
export type {
  DistillMode,
  LambdaSchedule,
  Lvlm2pArgs,
  Lvlm2pDependencies,
  Lvlm2pTeacher,
} from './algorithms/lvlm2p.ts';
export { createActorCritic } from './networks/actor-critic.ts';
export type { ActorCritic, ActorCriticOptions } from './networks/actor-critic.ts';
export { createMissionVocabulary } from './networks/mission-vocabulary.ts';
export type { MissionVocabulary } from './networks/mission-vocabulary.ts';
export {
  CHECKPOINT_FORMAT,
  createCheckpoint,
  readCheckpoint,
  restoreCheckpoint,
} from './checkpoints/checkpoint.ts';
export type { Checkpoint, CheckpointPolicy } from './checkpoints/checkpoint.ts';
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
  createSacOptimizers,
  train as trainSac,
  updateSac,
} from './algorithms/sac.ts';
export type { SacArgs, SacHooks, SacResult, SacStepContext, SacVariant } from './algorithms/sac.ts';
export { createSacAgent, softUpdate } from './networks/sac-agent.ts';
export type { SacAgent, SacAgentOptions, SacWeights } from './networks/sac-agent.ts';
export { evaluateSacAgent } from './evaluation/evaluate-sac-agent.ts';
export {
  VARL_DEFAULTS,
  gatedBehaviourCloningLoss,
  guidanceGate,
  queryTriggerSteps,
  train as trainVarl,
} from './algorithms/varl.ts';
export type { VarlArgs, VarlDependencies, VarlResult, VarlTeacher } from './algorithms/varl.ts';
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
export { referencePhysicsAction } from './teachers/physics-advisor/reference-physics-action.ts';
export { referencePlannerAction } from './teachers/planner/reference-planner-action.ts';
