/**
 * @module
 * `@teacher-gateway/trainer/simulated-vlm`: the simulated VLM teacher alone (an OpenAI-compatible
 * server answering from the planner), without loading TensorFlow.js or the physics engine.
 */
export { createSimulatedVlmServer } from './teachers/simulated-vlm/create-simulated-vlm-server.ts';
export type { SimulatedVlmServer } from './teachers/simulated-vlm/create-simulated-vlm-server.ts';
export type { SimulatedVlmOptions } from './teachers/simulated-vlm/simulated-vlm-options.ts';
