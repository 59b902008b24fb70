import { Action } from '../action.ts';
import type { Position } from '../grid-world-state.ts';
import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { COLOR_NAMES, RANDOM_COLOR_ORDER, colorIndex } from '../world/color.ts';
import { OBJECT_TYPE_NAMES, objectTypeIndex } from '../world/object-type.ts';
import type { WorldObject } from '../world/world-object.ts';
import { readExtra } from './read-extra.ts';
import { makeObject } from './room-grid.ts';

interface PutNearTask {
  moveType: number;
  moveColor: number;
  targetPos: Position;
}

/** `PutNearEnv`: pick up the named object and drop it next to the target's original cell. */
export function putNearLayout(size: number, numObjs: number): GridWorldLayout {
  const rules = ({ moveType, moveColor, targetPos: [tx, ty] }: PutNearTask): TaskRules => {
    let heldBefore: WorldObject | null = null;
    let frontX = 0;
    let frontY = 0;
    return {
      extra: () => ({
        move_type: OBJECT_TYPE_NAMES[moveType],
        move_color: COLOR_NAMES[moveColor],
        target_pos: [tx, ty],
      }),
      beforeStep(state, action) {
        heldBefore = state.carrying;
        frontX = state.frontX;
        frontY = state.frontY;
        return action;
      },
      afterStep(state, action, outcome) {
        const carrying = state.carrying;
        if (action === Action.pickup && carrying !== null) {
          if (carrying.type !== moveType || carrying.color !== moveColor) outcome.terminated = true;
        }
        // Any drop attempted while holding something ends the episode, even one that failed.
        if (action === Action.drop && heldBefore !== null) {
          if (
            state.grid.get(frontX, frontY) === heldBefore &&
            Math.abs(frontX - tx) <= 1 &&
            Math.abs(frontY - ty) <= 1
          ) {
            outcome.reward = state.reward();
          }
          outcome.terminated = true;
        }
      },
    };
  };
  return {
    width: size,
    height: size,
    maxSteps: 5 * size,
    seeThroughWalls: true,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.horzWall(0, 0);
      grid.horzWall(0, size - 1);
      grid.vertWall(0, 0);
      grid.vertWall(size - 1, 0);
      const descriptions: [number, number][] = [];
      const positions: Position[] = [];
      const nearPlaced = (x: number, y: number) =>
        positions.some(([px, py]) => Math.abs(x - px) <= 1 && Math.abs(y - py) <= 1);
      while (descriptions.length < numObjs) {
        const kind = state.randElem(['key', 'ball', 'box'] as const);
        const color = state.randElem(RANDOM_COLOR_ORDER);
        const object = makeObject(kind, color);
        if (descriptions.some(([t, c]) => t === object.type && c === color)) continue;
        positions.push(state.placeObj(object, undefined, undefined, nearPlaced));
        descriptions.push([object.type, color]);
      }
      state.placeAgent();
      const moveIdx = state.randInt(0, descriptions.length);
      let targetIdx: number;
      do targetIdx = state.randInt(0, descriptions.length);
      while (targetIdx === moveIdx);
      const [moveType, moveColor] = descriptions[moveIdx]!;
      const [targetType, targetColor] = descriptions[targetIdx]!;
      state.mission =
        `put the ${COLOR_NAMES[moveColor]} ${OBJECT_TYPE_NAMES[moveType]} ` +
        `near the ${COLOR_NAMES[targetColor]} ${OBJECT_TYPE_NAMES[targetType]}`;
      return rules({ moveType, moveColor, targetPos: positions[targetIdx]! });
    },
    restore(_state, extra) {
      const fields = readExtra(extra, 'PutNear');
      return rules({
        moveType: objectTypeIndex(fields.string('move_type')),
        moveColor: colorIndex(fields.string('move_color')),
        targetPos: fields.position('target_pos'),
      });
    },
  };
}
