import type { GridWorldSnapshot } from '../../envs/grid-world/grid-world-env.ts';
import { planAction } from './plan-action.ts';

/**
 * The planner's action on an exact grid-world state, or null where it has no plan: what LVLM2P
 * measures its teacher's agreement against (injected, so the algorithm imports no teacher).
 *
 * @example
 * await trainLvlm2p(args, { clock, logger, teacher: { teacher, reference: referencePlannerAction } })
 */
export function referencePlannerAction(snapshot: GridWorldSnapshot): number | null {
  try {
    const plan = planAction(snapshot);
    return plan.ok ? plan.action : null;
  } catch {
    return null;
  }
}
