import { Action } from '../action.ts';
import type { GridWorldLayout, TaskRules } from '../layout.ts';
import { COLOR_NAMES } from '../world/color.ts';
import { Door } from '../world/world-object.ts';
import { readExtra } from './read-extra.ts';
import { RoomGrid } from './room-grid.ts';

const ROOM_SIZE = 6;

/** `UnlockEnv`: open the locked door of the left room; its key lies in the same room. */
export function unlockLayout(): GridWorldLayout {
  const { width, height } = RoomGrid.dimensions(ROOM_SIZE, 1, 2);
  const rules = (door: Door): TaskRules => ({
    extra: (state) => ({ door_pos: state.positionOf(door), door_color: COLOR_NAMES[door.color] }),
    afterStep(state, action, outcome) {
      if (action === Action.toggle && door.isOpen) {
        outcome.reward = state.reward();
        outcome.terminated = true;
      }
    },
  });
  return {
    width,
    height,
    maxSteps: 8 * ROOM_SIZE * ROOM_SIZE,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const rooms = new RoomGrid(state, ROOM_SIZE, 1, 2);
      rooms.generate();
      const { door } = rooms.addDoor(0, 0, 0, undefined, true);
      rooms.addObject(0, 0, 'key', door.color);
      rooms.placeAgent(0, 0);
      state.mission = 'open the door';
      return rules(door);
    },
    restore(state, extra) {
      const [x, y] = readExtra(extra, 'Unlock').position('door_pos');
      const door = state.grid.get(x, y);
      if (!(door instanceof Door)) throw new Error(`Unlock: no door at door_pos (${x}, ${y})`);
      return rules(door);
    },
  };
}
