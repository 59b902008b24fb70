import { decodePngDataUrl } from '../../envs/grid-world/rendering/decode-png-data-url.ts';
import { readPhysicsScene } from '../../envs/physics/read-physics-scene.ts';
import type { VectorAdvice, VectorAdvisor } from '../simulated-vlm/vector-advisor.ts';
import { stateRandom } from '../simulated-vlm/state-random.ts';
import { pickErrorMode } from '../simulated-vlm/teacher-profile.ts';
import type { TeacherProfile } from '../simulated-vlm/teacher-profile.ts';
import type { PhysicsSceneReading } from '../../envs/physics/read-physics-scene.ts';
import { readPhysicsTaskKind, suggestPhysicsAction } from './suggest-physics-action.ts';

/**
 * The simulated VLM's answer to a `physics-varl` prompt: it reads the objects' positions from
 * the top-down picture by colour, runs the scripted manipulation policy on them, and scales the
 * action to the bounds the prompt lists. The server's `accuracy` knob sets how often it judges
 * the scene right (otherwise it confidently suggests a uniformly random action) and how sure it
 * is (the server spreads its answer around the advice by `1 - confidence`). With a teacher
 * `profile` its mistakes instead belong to the scene (see `profiledPhysicsAction`). Returns null when
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
  profile,
  seed = 0,
}) => {
  const kind = readPhysicsTaskKind(task);
  if (kind === undefined || imageUrl === undefined || components.length !== 2) return null;
  let action: [number, number] | undefined;
  let scene: PhysicsSceneReading;
  try {
    scene = readPhysicsScene(decodePngDataUrl(imageUrl));
    action = suggestPhysicsAction(kind, scene);
  } catch {
    return null;
  }
  if (action === undefined) return null;
  if (profile !== undefined) {
    const judged = profiledPhysicsAction(action, scene, profile, seed);
    if (judged === 'malformed') return { action: components.map(({ low, high }) => (low + high) / 2), confidence: 0, malformed: true };
    return {
      action: components.map(({ low, high }, i) => low + ((judged.action[i]! + 1) / 2) * (high - low)),
      confidence: judged.confidence,
    };
  }
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

/** Scene positions rounded to 2 cm: the "state" a profiled advisor's mistakes are tied to. */
function sceneKey(scene: PhysicsSceneReading): string {
  return (['hand', 'goal', 'puck', 'button'] as const)
    .map((name) => {
      const p = scene[name];
      return p ? `${name}:${Math.round(p.x * 50)},${Math.round(p.y * 50)}` : name;
    })
    .join('|');
}

function rotate([x, y]: [number, number], angle: number): [number, number] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const rx = c * x - s * y;
  const ry = s * x + c * y;
  const largest = Math.max(1, Math.abs(rx), Math.abs(ry));
  return [rx / largest, ry / largest];
}

/**
 * A profiled advisor's move for a scene: right on most scenes; on a fixed share (a hash of the
 * scene and `seed`) wrong the same way every time it is asked. Detours turn the move by 30-60
 * degrees, heading and position misreadings by 90-180, invalid answers stand still.
 */
export function profiledPhysicsAction(
  action: [number, number],
  scene: PhysicsSceneReading,
  profile: TeacherProfile,
  seed: number,
): { action: [number, number]; confidence: number } | 'malformed' {
  const draw = stateRandom(seed, sceneKey(scene));
  const [low, high] = profile.confidence;
  const confidence = low + (high - low) * draw();
  if (draw() >= profile.errorRate) return { action, confidence };
  const mode = pickErrorMode(profile.mix, draw());
  const side = draw() < 0.5 ? -1 : 1;
  switch (mode) {
    case 'malformed':
      return 'malformed';
    case 'invalid':
      return { action: [0, 0], confidence };
    case 'random':
      return { action: [2 * draw() - 1, 2 * draw() - 1], confidence };
    case 'detour':
      return { action: rotate(action, side * (Math.PI / 6 + (draw() * Math.PI) / 6)), confidence };
    default:
      return { action: rotate(action, side * (Math.PI / 2 + (draw() * Math.PI) / 2)), confidence };
  }
}
