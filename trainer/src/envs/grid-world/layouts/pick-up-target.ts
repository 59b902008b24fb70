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
      // A carried target has no cell; the agent's own cell (always empty of objects) makes `restore` fall back to the carried one.
      extra: (state) => ({
        target_obj_pos: state.positionOf(target) ?? [state.agentX, state.agentY],
        target_obj: [OBJECT_TYPE_NAMES[target.type], COLOR_NAMES[target.color]],
      }),
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
    const [type, color] = extra.strings('target_obj');
    const matches = (object: WorldObject | null): object is WorldObject =>
      object !== null &&
      OBJECT_TYPE_NAMES[object.type] === type &&
      COLOR_NAMES[object.color] === color;
    const atCell = state.grid.get(x, y);
    const target = matches(atCell) ? atCell : matches(state.carrying) ? state.carrying : null;
    if (target === null)
      throw new Error(`no ${color} ${type} at target_obj_pos (${x}, ${y}) or carried`);
    return pickUpTarget.rules(target);
  },
};
