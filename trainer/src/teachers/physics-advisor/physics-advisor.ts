import { decodePngDataUrl } from '../../envs/grid-world/rendering/decode-png-data-url.ts';
import { readPhysicsScene } from '../../envs/physics/read-physics-scene.ts';
import type { VectorAdvice, VectorAdvisor } from '../simulated-vlm/vector-advisor.ts';
import { readPhysicsTaskKind, suggestPhysicsAction } from './suggest-physics-action.ts';

/**
 * The simulated VLM's answer to a `physics-varl` prompt: it reads the objects' positions from
 * the top-down picture by colour, runs the scripted manipulation policy on them, and scales the
 * action to the bounds the prompt lists. The server's `accuracy` knob sets how often it judges
 * the scene right (otherwise it confidently suggests a uniformly random action) and how sure it
 * is (the server spreads its answer around the advice by `1 - confidence`). Returns null when
 * the picture or the task cannot be read, so the server answers unsure.
 *
 * @example
 * createSimulatedVlmServer({ accuracy: 0.8, vectorAdvisor: physicsAdvisor })
 */
export const physicsAdvisor: VectorAdvisor = ({
  task,
  imageUrl,
  components,
  accuracy = 0.8,
  random,
}) => {
  const kind = readPhysicsTaskKind(task);
  if (kind === undefined || imageUrl === undefined || components.length !== 2) return null;
  let action: [number, number] | undefined;
  try {
    action = suggestPhysicsAction(kind, readPhysicsScene(decodePngDataUrl(imageUrl)));
  } catch {
    return null;
  }
  if (action === undefined) return null;
  if (random !== undefined && random() >= accuracy) {
    return {
      action: components.map(({ low, high }) => low + random() * (high - low)),
      confidence: accuracy,
    };
  }
  const advice: VectorAdvice = {
    action: components.map(({ low, high }, i) => low + ((action[i]! + 1) / 2) * (high - low)),
    confidence: accuracy,
  };
  return advice;
};
