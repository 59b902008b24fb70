import { Action } from '../../envs/grid-world/action.ts';
import { planWorldAction } from './plan-world-action.ts';
import type { PlanResult } from './planner-world.ts';
import { worldFromPicture } from './world-from-picture.ts';
import type { VisibleState } from './world-from-picture.ts';

/**
 * The planner's next action from what a VLM is shown: the decoded picture (or a grid described in
 * words) and the mission, with no hidden state. `ok: false` means the picture did not support a
 * plan (no agent, the mission's objects out of sight).
 */
export function planActionFromMission(state: VisibleState): PlanResult {
  const world = worldFromPicture(state);
  if (typeof world === 'string') return { action: Action.left, ok: false, reason: world };
  return planWorldAction(world);
}
