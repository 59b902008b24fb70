import { Action } from '../action.ts';
import type { GridWorldState } from '../grid-world-state.ts';
import type { TaskRules } from '../layout.ts';
import { COLOR_NAMES } from '../world/color.ts';
import { OBJECT_TYPE_NAMES } from '../world/object-type.ts';
import type { WorldObject } from '../world/world-object.ts';
import type { ExtraReader } from './read-extra.ts';

/**
 * The "pick up the {colour} {type}" task of UnlockPickup, BlockedUnlockPickup and
 * KeyCorridor: success when a pickup leaves the agent holding this very object (identity,
 * not description).
 */
export const pickUpTarget = {
  rules(target: WorldObject): TaskRules {
    return {
      afterStep(state, action, outcome) {
        if (action === Action.pickup && state.carrying === target) {
          outcome.reward = state.reward();
          outcome.terminated = true;
        }
      },
    };
  },

  mission(target: WorldObject): string {
    return `pick up the ${COLOR_NAMES[target.color]} ${OBJECT_TYPE_NAMES[target.type]}`;
  },

  /** The object at `target_obj_pos`, or the carried one for a state recorded after the pickup. */
  restore(state: GridWorldState, extra: ExtraReader): TaskRules {
    const [x, y] = extra.position('target_obj_pos');
    const target = state.grid.get(x, y) ?? state.carrying;
    if (target === null) throw new Error(`no object at target_obj_pos (${x}, ${y})`);
    return pickUpTarget.rules(target);
  },
};
