import type { PhysicsScene } from '../../envs/physics/physics-scene.ts';
import { readPhysicsTaskKind, suggestPhysicsAction } from './suggest-physics-action.ts';

/**
 * The scripted policy's action on an exact scene, for a task named by its instruction: what VARL
 * measures its teacher's agreement against (injected, so the algorithm imports no teacher).
 *
 * @example
 * await trainVarl(args, { clock, logger, teacher: { advisor, reference: referencePhysicsAction } })
 */
export function referencePhysicsAction(
  instruction: string,
  scene: PhysicsScene,
): readonly number[] | undefined {
  const kind = readPhysicsTaskKind(instruction);
  return kind === undefined ? undefined : suggestPhysicsAction(kind, scene);
}
