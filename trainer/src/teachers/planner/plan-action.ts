import { planWorldAction } from './plan-world-action.ts';
import type { PlanResult } from './planner-world.ts';
import { worldFromSnapshot } from './world-from-snapshot.ts';
import type { PlannerState } from './world-from-snapshot.ts';

/** The planner's next action from the full state (`env.snapshot()`), hidden state included. */
export function planAction(state: PlannerState): PlanResult {
  return planWorldAction(worldFromSnapshot(state));
}
