import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { Color } from '../world/color.ts';
import { Door, Goal, Key } from '../world/world-object.ts';

/** `DoorKeyEnv`: a wall splits the room; a yellow key on the agent's side opens the locked door. */
export function doorKeyLayout(size: number): GridWorldLayout {
  return {
    width: size,
    height: size,
    maxSteps: 10 * size * size,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.wallRect(0, 0, size, size);
      grid.set(size - 2, size - 2, new Goal());
      const split = state.randInt(2, size - 2);
      grid.vertWall(split, 0);
      state.placeAgent([0, 0], [split, size]);
      const doorY = state.randInt(1, size - 2);
      grid.set(split, doorY, new Door(Color.yellow, false, true));
      state.placeObj(new Key(Color.yellow), [0, 0], [split, size]);
      state.mission = 'use the key to open the door and then get to the goal';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}
